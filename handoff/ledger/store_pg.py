"""PostgreSQL ledger store, for a ledger several departments share.

Writers serialise on ``LOCK TABLE entries IN SHARE ROW EXCLUSIVE MODE`` taken in the same transaction as the
insert: that mode conflicts with itself, so a second writer waits until the first commits and then sees its
head; plain readers are not blocked. The schema comes from ``?schema=`` in the URL (default ``handoff``),
which also lets tests use a throw-away schema per run. Triggers refuse UPDATE, DELETE and TRUNCATE.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from handoff.errors import ConfigError
from handoff.ledger.store import Store

DEFAULT_SCHEMA = "handoff"
_SCHEMA_RE = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def split_url(url: str) -> tuple[str, str]:
    """(libpq URL without our ``schema`` parameter, schema name)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    schema = next((v for k, v in query if k == "schema"), DEFAULT_SCHEMA)
    rest = urlencode([(k, v) for k, v in query if k != "schema"])
    if not _SCHEMA_RE.fullmatch(schema):
        raise ConfigError("ledger.bad_schema", schema=schema)
    return urlunsplit(parts._replace(query=rest)), schema


def redact(url: str) -> str:
    """The URL without any password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc}"))


class PgStore(Store):
    backend = "postgresql"
    paramstyle = "%s"
    reads_from_any_thread = True  # psycopg's connections are thread-safe (one query at a time)

    def __init__(self, url: str, *, read_only: bool = False) -> None:
        import psycopg

        from handoff.errors import StateError

        dsn, self.schema = split_url(url)
        self.location = f"{redact(dsn)} (schema {self.schema})"
        try:
            # Read-only for the whole session: the server refuses any write, whatever the role may do.
            if read_only:
                self._conn = psycopg.connect(dsn, autocommit=True, options="-c default_transaction_read_only=on")
            else:
                self._conn = psycopg.connect(dsn, autocommit=True)
        except psycopg.OperationalError:
            raise StateError("ledger.db_unreachable", location=self.location) from None

    def _cursor(self, binary: bool = False) -> Any:
        return self._conn.cursor(binary=binary)

    def _table(self, name: str) -> str:
        return f"{self.schema}.{name}"

    def _damaged(self, exc: Exception) -> bool:
        import psycopg
        from psycopg import errors

        # Data the server cannot read back as written, and tables or columns someone dropped or retyped.
        return isinstance(exc, psycopg.DataError | errors.DataCorrupted | errors.IndexCorrupted
                          | errors.UndefinedTable | errors.UndefinedColumn | errors.DatatypeMismatch)

    def _contains(self, column: str) -> str:
        return f"position(? in {column}) > 0"

    def _begin_write(self) -> None:
        self._exec("BEGIN")
        self._exec("LOCK TABLE {e} IN SHARE ROW EXCLUSIVE MODE")

    def _begin_read(self) -> None:
        self._exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def exists(self) -> bool:
        rows = self._all("SELECT to_regclass(%s)", (f"{self.schema}.entries",))
        return rows[0][0] is not None

    def _ddl(self) -> list[str]:
        s = self.schema
        stmts = [
            f"CREATE SCHEMA IF NOT EXISTS {s}",
            f"CREATE TABLE {s}.meta (key text PRIMARY KEY, value text NOT NULL)",
            f"CREATE TABLE {s}.entries (seq bigint PRIMARY KEY, time text NOT NULL, type text NOT NULL,"
            " job text, item text, data bytea NOT NULL, leaf_hash bytea NOT NULL)",
            f"CREATE INDEX entries_job ON {s}.entries (job)",
            f"CREATE INDEX entries_item ON {s}.entries (item)",
            f"CREATE INDEX entries_type ON {s}.entries (type)",
            f"CREATE TABLE {s}.checkpoints (size bigint PRIMARY KEY, root bytea NOT NULL, note text NOT NULL)",
            f"CREATE FUNCTION {s}.refuse_change() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN RAISE EXCEPTION 'handoff ledger is append-only'; END $$",
        ]
        for table in ("meta", "entries", "checkpoints"):
            stmts.append(
                f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {s}.{table}"
                f" FOR EACH ROW EXECUTE FUNCTION {s}.refuse_change()"
            )
            stmts.append(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {s}.{table}"
                f" FOR EACH STATEMENT EXECUTE FUNCTION {s}.refuse_change()"
            )
        return stmts

    def drop(self) -> None:
        """Remove the whole schema: only for tests and the benchmark's throw-away schemas."""
        self._exec(f"DROP SCHEMA IF EXISTS {self.schema} CASCADE")

    def close(self) -> None:
        self._conn.close()
