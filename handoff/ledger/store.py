"""One storage contract for the ledger, shared by SQLite and PostgreSQL (and one test suite for both).

A store keeps rows and checkpoints and serialises writers; it knows nothing about rules or hashing policy.
Only the SQL dialect, the write lock and the connection differ per backend, so the queries live here once.
"""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from handoff.errors import IntegrityError

ENTRY_COLS = "seq, time, type, job, item, data, leaf_hash"


@dataclass(frozen=True, slots=True)
class Row:
    """An entry as stored: ``data`` is the canonical leaf; the other columns are indexes derived from it."""

    seq: int
    time: str
    type: str
    job: str | None
    item: str | None
    data: bytes
    leaf_hash: bytes


@dataclass(frozen=True, slots=True)
class StoredCheckpoint:
    size: int
    root: bytes
    note: str


_BUFFERS = (bytes, bytearray, memoryview)


def _row_of(r: Sequence[Any]) -> Row:
    """A stored row (``ENTRY_COLS``) as a Row, whatever buffer types the driver returned. A row whose sequence
    number is not an integer, or whose entry bytes or leaf hash are stored as something other than bytes (TEXT
    written over a BLOB by hand), was not written by handoff: IntegrityError naming it."""
    seq, data, leaf = r[0], r[5], r[6]
    if type(seq) is not int or not isinstance(data, _BUFFERS) or not isinstance(leaf, _BUFFERS):
        raise IntegrityError("ledger.entry_altered", seq=seq)
    return Row(seq, r[1], r[2], r[3], r[4], _blob(data), _blob(leaf))


class Store(ABC):
    """Base of both backends. ``write()`` is the only way to append, and it holds the backend's write lock."""

    backend: str = ""
    location: str = ""  # for messages: a path or a URL without password
    paramstyle = "?"
    reads_from_any_thread = False  # may another thread run a query while this one does not (raw_pages)

    # --- backend hooks -------------------------------------------------------------------------------
    @abstractmethod
    def _cursor(self, binary: bool = False) -> Any:
        """A cursor; ``binary`` asks for the driver's binary transfer where it has one (bytea as bytes)."""

    @abstractmethod
    def _ddl(self) -> list[str]: ...

    @abstractmethod
    def _table(self, name: str) -> str: ...

    @abstractmethod
    def _begin_write(self) -> None: ...

    @abstractmethod
    def _begin_read(self) -> None: ...

    @abstractmethod
    def exists(self) -> bool: ...

    @abstractmethod
    def close(self) -> None: ...

    def _damaged(self, exc: Exception) -> bool:
        """Whether a driver error says the stored data is damaged (not busy, unreachable or a bug of ours)."""
        return False

    def _contains(self, column: str) -> str:
        """SQL that is true when the bytes of ``column`` contain the bytes given as its one parameter."""
        return f"instr({column}, ?) > 0"

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn a driver error about damaged data into IntegrityError naming the store (never its password)."""
        try:
            yield
        except Exception as exc:
            if not self._damaged(exc):
                raise
            from handoff.log import get_logger

            get_logger().error("ledger.store_damaged", backend=self.backend, error=type(exc).__name__)
            raise IntegrityError("ledger.store_damaged", location=self.location) from None

    # --- shared SQL ----------------------------------------------------------------------------------
    def _sql(self, text: str) -> str:
        text = text.format(e=self._table("entries"), c=self._table("checkpoints"), m=self._table("meta"))
        return text.replace("?", self.paramstyle) if self.paramstyle != "?" else text

    def _run(self, text: str, params: Sequence[Any], *, binary: bool = False) -> Any:
        cur = self._cursor(binary)
        with self._guard():
            # No parameters, no placeholder parsing: DDL may contain characters psycopg would read as one.
            cur.execute(self._sql(text), params) if params else cur.execute(self._sql(text))
        return cur

    def _all(self, text: str, params: Sequence[Any] = (), *, binary: bool = False) -> list[Any]:
        cur = self._run(text, params, binary=binary)
        with self._guard():  # SQLite reads the pages while stepping through the rows, not at execute
            return list(cur.fetchall())

    def _exec(self, text: str, params: Sequence[Any] = ()) -> None:
        self._run(text, params)

    def create(self, meta: Mapping[str, str]) -> None:
        """Create the tables, their append-only triggers and the meta rows, in one transaction."""
        self._exec("BEGIN")
        try:
            for stmt in self._ddl():
                self._exec(stmt)
            self._cursor().executemany(self._sql("INSERT INTO {m} (key, value) VALUES (?, ?)"), list(meta.items()))
            self._exec("COMMIT")
        except BaseException:
            self._exec("ROLLBACK")
            raise

    def meta(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in self._all("SELECT key, value FROM {m}")}

    @contextlib.contextmanager
    def write(self) -> Iterator[Store]:
        """Hold the write lock for the block; commit on success, roll back on any exception."""
        self._begin_write()
        try:
            yield self
            self._exec("COMMIT")
        except BaseException:
            self._exec("ROLLBACK")
            raise

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[Store]:
        """A consistent read view, so a verify never sees entries whose checkpoint is not yet visible."""
        self._begin_read()
        try:
            yield self
        finally:
            self._exec("ROLLBACK")

    def size(self) -> int:
        """The next sequence number (max + 1), not a count: a deleted middle row must not be reused."""
        (value,) = self._all("SELECT COALESCE(MAX(seq) + 1, 0) FROM {e}")[0]
        return int(value)

    def count(self) -> int:
        return int(self._all("SELECT COUNT(*) FROM {e}")[0][0])

    def last_time(self) -> object:
        """The stored time of the last entry (an ISO text as written; None for an empty ledger)."""
        rows = self._all("SELECT time FROM {e} ORDER BY seq DESC LIMIT 1")
        return rows[0][0] if rows else None

    def prepared_rows(self, needle: bytes, event: str = "job.prepared") -> list[Row]:
        """The rows of ``event`` (``job.prepared`` by default) whose entry bytes contain ``needle``: the database
        narrows them down by the type column (indexed) and a byte search, so no entry is parsed to find a cycle's
        jobs."""
        return self._rows(f"type = ? AND {self._contains('data')}", (event, needle))

    def leaf_hashes(self, start: int = 0, stop: int | None = None) -> list[bytes]:
        stop = self.size() if stop is None else stop
        rows = self._all("SELECT leaf_hash FROM {e} WHERE seq >= ? AND seq < ? ORDER BY seq", (start, stop))
        return [_blob(r[0]) for r in rows]

    def _rows(self, where: str, params: Sequence[Any], tail: str = "") -> list[Row]:
        return [_row_of(r) for r in self._all(f"SELECT {ENTRY_COLS} FROM {{e}} WHERE {where} ORDER BY seq {tail}",
                                              params)]

    def rows_for(self, *, job: str | None = None, item: str | None = None) -> list[Row]:
        if job is not None:
            return self._rows("job = ?", (job,))
        return self._rows("item = ?", (item,))

    def row(self, seq: int) -> Row | None:
        found = self._rows("seq = ?", (seq,))
        return found[0] if found else None

    def iter_rows(self, start: int = 0, batch: int = 20_000) -> Iterator[Row]:
        """Every row from ``start`` in sequence order, fetched in pages so memory stays flat on a large ledger."""
        for page in self.raw_pages(start, batch):
            yield from map(_row_of, page)

    def raw_pages(self, start: int = 0, batch: int = 20_000, *, fetch_ahead: bool = False
                  ) -> Iterator[list[Any]]:
        """Every entry from ``start`` in sequence order as the driver returns it, a page at a time: tuples in
        ``ENTRY_COLS`` order, no Row built (verify reads every entry of the ledger and checks each column's type
        itself).

        With ``fetch_ahead``, where the connection may be used from another thread (``reads_from_any_thread``),
        the next page is fetched on a worker while the caller works through the current one: the database's
        time then overlaps the caller's. Only one thread uses the connection at any moment, inside the
        caller's transaction; the caller must not query meanwhile.
        """
        from concurrent.futures import ThreadPoolExecutor

        def fetch(last: int) -> list[Any]:
            return self._all(f"SELECT {ENTRY_COLS} FROM {{e}} WHERE seq > ? ORDER BY seq LIMIT ?", (last, batch),
                             binary=True)

        ahead_ok = fetch_ahead and self.reads_from_any_thread
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ledger-page") as pool:
            page = fetch(start - 1)
            while page:
                more = len(page) == batch
                ahead = pool.submit(fetch, int(page[-1][0])) if more and ahead_ok else None
                yield page
                if not more:
                    return
                page = ahead.result() if ahead is not None else fetch(int(page[-1][0]))

    def insert(self, rows: Sequence[Row]) -> None:
        with self._guard():
            self._cursor().executemany(
                self._sql(f"INSERT INTO {{e}} ({ENTRY_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)"),
                [(r.seq, r.time, r.type, r.job, r.item, r.data, r.leaf_hash) for r in rows],
            )

    def add_checkpoint(self, cp: StoredCheckpoint) -> None:
        self._exec("INSERT INTO {c} (size, root, note) VALUES (?, ?, ?)", (cp.size, cp.root, cp.note))

    def checkpoints(self) -> list[StoredCheckpoint]:
        rows = self._all("SELECT size, root, note FROM {c} ORDER BY size")
        return [StoredCheckpoint(int(r[0]), _blob(r[1]), str(r[2])) for r in rows]

    def latest_checkpoint(self) -> StoredCheckpoint | None:
        rows = self._all("SELECT size, root, note FROM {c} ORDER BY size DESC LIMIT 1")
        return StoredCheckpoint(int(rows[0][0]), _blob(rows[0][1]), str(rows[0][2])) if rows else None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _blob(value: object) -> bytes:
    """Bytes of a BLOB column. A hand-edited SQLite row can hold TEXT or a number there instead; verify must
    then report the entry as altered rather than crash, so anything is turned into bytes."""
    if type(value) is bytes:  # the common case, without a copy (verify reads every row)
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode()
