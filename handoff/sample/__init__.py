"""Synthetic host exports (dummy data only) with planted defects and their expected counts."""
