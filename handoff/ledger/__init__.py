"""The custody ledger (管理簿): append-only events, an RFC 9162 Merkle tree, signed checkpoints, write-time rules,
the SQLite and PostgreSQL stores, and verification. Paper made from it (receipts, exports) is in ``handoff.paper``.
"""
