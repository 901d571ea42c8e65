"""handoff — safe handover of recipient data to print-and-enclose vendors."""

__version__ = "0.1.0"
