"""The ledger fixtures (sites with a created ledger on SQLite and PostgreSQL) reused for the audit's tests."""

from tests.ledger.conftest import backend, pg_url, site, sqlite_site

__all__ = ["backend", "pg_url", "site", "sqlite_site"]
