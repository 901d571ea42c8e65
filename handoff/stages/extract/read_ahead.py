"""Read a large CP932 export and convert it to UTF-8 while Python loads what a run needs.

Before ``check`` or ``run`` can parse the first row, Python loads pandas, pyarrow and the stages, on one core.
Converting a million-row CP932 export to UTF-8 (:mod:`handoff.jp.iconv`) needs none of them and uses the other
core meanwhile. ``start`` reads and converts the file on a background thread; ``extract.run`` takes the result
with ``take``.

What ``take`` returns is exactly what extract would have read and converted itself: the file's bytes from one
read, and their conversion (or None where iconv refused a byte or cannot be used: extract then decodes with
Python's codec). It is handed over once, for the same path, and only if the file's size and modification time
are the same as before and after that read; otherwise extract reads the file itself.
"""

from __future__ import annotations

import stat
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from handoff.jp import iconv

if TYPE_CHECKING:
    from handoff.programme import SourceSpec

_Key = tuple[str, int, int]  # absolute path, size, modification time (ns)


@dataclass(frozen=True)
class Ahead:
    data: bytes = field(repr=False)  # the file as read (never shown: it is an export)
    # ``data`` as UTF-8, in the parts iconv converted (iconv.cp932_to_utf8_parts); None: decode with Python's codec
    utf8: list[npt.NDArray[np.uint8]] | None = field(repr=False)


_lock = threading.Lock()
_pending: dict[str, tuple[_Key, Future[Ahead | None]]] = {}


def _key(path: Path) -> _Key | None:
    """The key of a regular file; None for anything else. ``lstat``: a symbolic link is not read ahead (extract
    decides whether the site lets it be read at all), nor is a FIFO, which would block the read."""
    try:
        st = path.lstat()
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return str(path.resolve()), st.st_size, st.st_mtime_ns


def _converted(source: SourceSpec) -> bool:
    """Is this a source whose file a read-ahead converts (a CP932 CSV/TSV)? Checked when it starts and again
    when it is taken, so a read-ahead is never handed to a reader that declares another encoding."""
    return source.format in ("csv", "tsv") and source.encoding == "cp932"


def start(path: Path, source: SourceSpec) -> None:
    """Begin reading and converting ``path`` if extract will read it as a large CP932 CSV/TSV; else nothing."""
    if not _converted(source):
        return
    key = _key(path)
    if key is None or key[1] < iconv.MIN_BODY:
        return
    future: Future[Ahead | None] = Future()
    with _lock:
        _pending[key[0]] = (key, future)
    # A daemon thread: a run refused before extraction (a cycle already handed over) exits without waiting.
    threading.Thread(target=_read, args=(path, key, future), name="read-ahead", daemon=True).start()


def _read(path: Path, key: _Key, future: Future[Ahead | None]) -> None:
    try:
        data = path.read_bytes()
        if _key(path) != key or len(data) != key[1]:
            future.set_result(None)  # changed while being read: extract reads it again itself
            return
        future.set_result(Ahead(data, iconv.cp932_to_utf8_parts(data)))
    except BaseException:  # any failure: extract reads the file itself and reports what it finds
        future.set_result(None)


def take(path: Path, source: SourceSpec) -> Ahead | None:
    """The read-ahead of ``path`` (waiting for it), once; None if none was started, ``source`` is not read
    the way it was converted, or the file has changed."""
    with _lock:
        entry = _pending.pop(str(path.resolve()), None)
    if entry is None or not _converted(source):
        return None
    key, future = entry
    ahead = future.result()
    if ahead is None or _key(path) != key:
        return None
    return ahead
