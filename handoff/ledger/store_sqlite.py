"""SQLite ledger store: the default, one file in the site's data folder.

WAL lets readers (verify, export) run beside a writer; synchronous=FULL makes a committed entry survive a
power cut; ``BEGIN IMMEDIATE`` takes the write lock before reading the head, so two writers never fork the
tree.
Triggers refuse UPDATE and DELETE: the tool never needs them, so anything that tries is not the tool.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from handoff.ledger.store import Store

BUSY_TIMEOUT_MS = 120_000  # a writer waits this long for another writer before giving up
_TABLES = ("meta", "entries", "checkpoints")
# Result codes that describe the file, not the moment: a locked database, a full disk or a missing permission is
# not damage, and a ProgrammingError is a bug of ours (exit 10), so neither becomes an integrity failure.
_DAMAGE_CODES = frozenset({
    sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_FORMAT, sqlite3.SQLITE_MISMATCH,
    sqlite3.SQLITE_TOOBIG, sqlite3.SQLITE_RANGE,
})


class SqliteStore(Store):
    backend = "sqlite"

    def __init__(self, path: str | Path, *, create: bool = False, read_only: bool = False) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        if create and not self.path.exists():
            from handoff.fs import make_dir

            make_dir(self.path.parent)
            # SQLite gives its -wal and -shm files the mode of the database file, so start it at 0600.
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        self._exists_on_disk = self.path.is_file()
        if not self._exists_on_disk:
            self._conn: sqlite3.Connection | None = None
            return
        if read_only or not os.access(self.path.parent, os.W_OK):
            self._conn = self._open_read_only()
            return
        self._conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            with self._guard():  # the first read of the file: garbage written over it is "not a database"
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute("PRAGMA synchronous=FULL")
                self._conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        except BaseException:
            self.close()
            raise

    def _open_read_only(self) -> sqlite3.Connection:
        """A folder that cannot be written (a read-only mount, an auditor's copy): SQLite cannot make the WAL's
        shared-memory file there, so the file is opened read-only. With no write-ahead log beside it (every
        writer's last close folds the log into the file) it is opened ``immutable``, which needs no lock file;
        with one, plain ``mode=ro``, which reads the log too. Writes then fail as read-only (exit 11)."""
        wal = self.path.with_name(self.path.name + "-wal")
        # ``immutable`` only where no one can be writing (the folder itself is read-only): on a live ledger a
        # writer may commit while the audit reads, and plain ``mode=ro`` takes the readers' lock for that.
        live = os.access(self.path.parent, os.W_OK) or (wal.exists() and wal.stat().st_size > 0)
        flags = "mode=ro" if live else "mode=ro&immutable=1"
        conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?{flags}", uri=True, isolation_level=None,
                               timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            with self._guard():
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except BaseException:
            conn.close()
            raise
        return conn

    def _damaged(self, exc: Exception) -> bool:
        if not isinstance(exc, sqlite3.DatabaseError) or isinstance(exc, sqlite3.ProgrammingError):
            return False
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF  # the primary code; extended codes add high bits
        # A table or column that is gone is a schema someone edited: handoff never drops or alters one.
        return code in _DAMAGE_CODES or (code == sqlite3.SQLITE_ERROR and str(exc).startswith("no such "))

    def _cursor(self, binary: bool = False) -> Any:
        if self._conn is None:
            raise RuntimeError("ledger store is closed")
        return self._conn.cursor()

    def _table(self, name: str) -> str:
        return name

    def _begin_write(self) -> None:
        self._exec("BEGIN IMMEDIATE")

    def _begin_read(self) -> None:
        self._exec("BEGIN")

    def exists(self) -> bool:
        if self._conn is None:
            return False
        rows = self._all("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'entries'")
        return bool(rows)

    def _ddl(self) -> list[str]:
        stmts = [
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "CREATE TABLE entries (seq INTEGER PRIMARY KEY, time TEXT NOT NULL, type TEXT NOT NULL,"
            " job TEXT, item TEXT, data BLOB NOT NULL, leaf_hash BLOB NOT NULL)",
            "CREATE INDEX entries_job ON entries (job)",
            "CREATE INDEX entries_item ON entries (item)",
            "CREATE INDEX entries_type ON entries (type)",
            "CREATE TABLE checkpoints (size INTEGER PRIMARY KEY, root BLOB NOT NULL, note TEXT NOT NULL)",
        ]
        for table in _TABLES:
            for op in ("UPDATE", "DELETE"):
                stmts.append(
                    f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table}"
                    " BEGIN SELECT RAISE(ABORT, 'handoff ledger is append-only'); END"
                )
        return stmts

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
