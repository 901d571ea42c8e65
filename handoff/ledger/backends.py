"""Open the ledger's store: SQLite (a file) or PostgreSQL (a URL), both behind the one ``Store`` protocol."""

from __future__ import annotations

from handoff.errors import StateError
from handoff.ledger.store import Store


def open_store(backend: str, target: str, *, create: bool = False, read_only: bool = False) -> Store:
    """``target`` is a file path for sqlite and a URL for postgresql (``?schema=name`` picks the schema).

    Without ``create`` a missing ledger is a StateError telling the operator to run ``handoff init``.
    ``read_only`` (the audit) opens it so that no write can happen: SQLite ``mode=ro``, a PostgreSQL session
    whose every transaction is read-only.
    """
    store: Store
    # Each backend is imported only when chosen: psycopg is large and most sites never load it.
    if backend == "postgresql":
        from handoff.ledger.store_pg import PgStore

        store = PgStore(target, read_only=read_only)
    else:
        from handoff.ledger.store_sqlite import SqliteStore

        store = SqliteStore(target, create=create, read_only=read_only)
    if not create and not store.exists():
        store.close()
        raise StateError("ledger.not_initialised", location=store.location)
    if create and store.exists():
        store.close()
        raise StateError("ledger.exists", location=store.location)
    return store
