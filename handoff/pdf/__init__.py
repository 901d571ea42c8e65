"""Shared PDF helpers: the embedded Japanese font and page basics used by every PDF handoff writes."""
