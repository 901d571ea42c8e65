"""Finding the vendor's ZIP: the ZIP file itself, or the one ZIP on a disc (an ISO image or a drive).

A disc is read with pycdlib, as handoff's own images are checked (``handoff.media.iso``): its Joliet names when
it has them (Windows and xorriso write them), else Rock Ridge, else ISO 9660. The ZIP is streamed from the disc
(never copied to disk) and must be the only file matching the programme's ``[inbound] archive`` pattern.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from typing import IO, Any, BinaryIO, cast

from handoff.errors import InputError, PolicyError
from handoff.package.unpack import matches

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
ISO_MAGIC_AT, ISO_MAGIC = 0x8001, b"CD001"  # the first volume descriptor's standard identifier
CHUNK = 1 << 20
# pycdlib's walk and open take the same keyword for each of a disc's name spaces.
_NAME_SPACES = (("joliet_path", "has_joliet"), ("rr_path", "has_rock_ridge"), ("iso_path", None))


@contextlib.contextmanager
def archive_in(fh: IO[bytes], pattern: str, max_bytes: int) -> Iterator[IO[bytes]]:
    """The ZIP in ``fh`` (a seekable ZIP file, ISO image or drive), as a seekable stream; InputError when it is
    neither a ZIP nor a disc holding exactly one ZIP matching ``pattern``; PolicyError when it is too large."""
    fh.seek(0)
    if fh.read(4) in ZIP_MAGIC:
        _check_size(fh, max_bytes)
        yield fh
        return
    fh.seek(ISO_MAGIC_AT)
    if fh.read(len(ISO_MAGIC)) != ISO_MAGIC:
        raise InputError("intake.not_disc")
    with _zip_on_disc(fh, pattern) as stream:
        _check_size(stream, max_bytes)
        yield stream


@contextlib.contextmanager
def _zip_on_disc(fh: IO[bytes], pattern: str) -> Iterator[IO[bytes]]:
    import pycdlib
    from pycdlib.pycdlibexception import PyCdlibException

    iso = pycdlib.PyCdlib()
    try:
        iso.open_fp(cast(BinaryIO, fh))
    except (PyCdlibException, OSError, ValueError, IndexError, KeyError) as exc:
        raise InputError("intake.disc_unreadable", reason=type(exc).__name__) from None
    try:
        key, found = _find(iso, pattern)
        if not found:
            raise InputError("intake.no_archive", pattern=pattern)
        if len(found) > 1:
            raise InputError("intake.several_archives", pattern=pattern, count=len(found))
        try:
            opened: Any = iso.open_file_from_iso(**{key: found[0]})
        except (PyCdlibException, OSError) as exc:
            raise InputError("intake.disc_unreadable", reason=type(exc).__name__) from None
        with opened as stream:
            yield stream
    finally:
        iso.close()


def _find(iso: Any, pattern: str) -> tuple[str, list[str]]:
    """The disc's richest name space and the paths in it whose file name matches ``pattern``."""
    from pycdlib.pycdlibexception import PyCdlibException

    for key, has in _NAME_SPACES:
        if has is not None and not getattr(iso, has)():
            continue
        try:
            found = [f"{top.rstrip('/')}/{name}" for top, _dirs, files in iso.walk(**{key: "/"})
                     for name in files if matches(name.split(";", 1)[0], pattern)]
        except (PyCdlibException, OSError) as exc:
            raise InputError("intake.disc_unreadable", reason=type(exc).__name__) from None
        return key, found
    return "iso_path", []


def _check_size(stream: IO[bytes], max_bytes: int) -> None:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    if size > max_bytes:
        raise PolicyError("intake.archive_too_large", size=size, limit=max_bytes)


def sha256_of(stream: IO[bytes]) -> tuple[str, int]:
    """SHA-256 and size of the whole stream, read in pieces from its start."""
    digest = hashlib.sha256()
    stream.seek(0)
    size = 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return digest.hexdigest(), size
