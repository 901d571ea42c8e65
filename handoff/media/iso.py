"""Disc images with pycdlib: ISO 9660 + Joliet + UDF 2.60, one per medium, in the job's ``medium/`` folder.

- ISO 9660 level 1 names (``DATA.ZIP``, ``README.TXT``) for the oldest readers; Joliet and UDF carry the real
  names (``<job-id>.zip``); Windows reads UDF/Joliet, xorriso reads Joliet, 7-Zip reads UDF.
- The volume id is ASCII d-characters (A–Z 0–9 _), ≤ 32, derived from the job id (unique parts first);
  Joliet and UDF, limited to 16 UCS-2 characters, carry its first 16 (date, time).
- A disc holds what the vendor profile's medium allows (a CD-R 737,280,000 bytes, a DVD-R 4,700,372,992, a BD-R
  25,025,314,816, or a smaller ``capacity_bytes``) and an ISO 9660 file extent is < 4 GiB. A ZIP that does not fit one
  disc is cut into byte ranges stored as ``<job-id>.zip.001``, ``.002`` … one per disc — 7-Zip's split-archive naming,
  so the vendor copies all parts into one folder and opens ``.001``. One archive keeps one manifest, one HMAC
  per member and one SHA-256 for the whole ZIP (re-rendering rows into several ZIPs would change all three).
- Each image is streamed from the ZIP (never loaded), written atomically, then re-read with pycdlib to
  check that every payload file hashes to what was put in. A status file ``<medium-id>.status.json``
  records the image hash with state ``written`` (and the medium type, when known, which ``burn`` then asks of
  the blank disc); only ``burn`` can make it ``verified``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path
from typing import BinaryIO, cast

from handoff.errors import IntegrityError, StateError
from handoff.fs import JobDir, atomic_writer
from handoff.media import medium_id as make_medium_id
from handoff.media.layout import DVD_R_BYTES, MediumImage, Part, plan_parts, volume_id
from handoff.media.readme import readme_text
from handoff.media.status import write_status
from handoff.media.verify import CHUNK, sha256_file


def write_media(
    job: JobDir,
    zip_file: Path,
    zip_sha256: str,
    *,
    capacity: int = DVD_R_BYTES,
    medium_type: str = "",
    created: dt.datetime | None = None,
) -> list[MediumImage]:
    """One ISO image per medium for the job's ZIP, in order; refuses to overwrite an existing image."""
    size = zip_file.stat().st_size
    ranges = plan_parts(size, capacity)
    count = len(ranges)
    parts = []
    with zip_file.open("rb") as fh:
        for i, (off, length) in enumerate(ranges, 1):
            name = f"{job.job_id}.zip" if count == 1 else f"{job.job_id}.zip.{i:03d}"
            parts.append(Part(name, off, length, _hash_range(fh, off, length)))
    if count == 1 and parts[0].sha256 != zip_sha256:
        raise IntegrityError("media.zip_changed", job=job.job_id)
    images = []
    for i, part in enumerate(parts, 1):
        mid = make_medium_id(job.job_id, i)
        readme = readme_text(job.job_id, mid, i, count, zip_sha256, size, parts, created)
        images.append(_write_image(job, zip_file, part, mid, i, count, readme, capacity, medium_type))
    return images


def _write_image(
    job: JobDir, zip_file: Path, part: Part, mid: str, index: int, count: int, readme: bytes, capacity: int,
    medium_type: str,
) -> MediumImage:
    import pycdlib

    target = job.medium / f"{mid}.iso"
    if target.exists():
        raise StateError("media.exists", medium=mid)
    vol = volume_id(job.job_id, index, count)
    iso_name = "/DATA.ZIP;1" if count == 1 else f"/DATA.{index:03d};1"
    iso = pycdlib.PyCdlib()
    # Joliet stores the volume id in UCS-2 within 32 bytes (16 characters) and pycdlib passes one id to
    # every descriptor: create with the 16-character head, then give the ISO 9660 PVD the full id.
    iso.new(interchange_level=1, joliet=3, udf="2.60", vol_ident=vol[:16], app_ident_str="HANDOFF")
    iso.pvd.volume_identifier = vol.encode("ascii").ljust(32, b" ")
    with zip_file.open("rb") as src:
        iso.add_fp(io.BytesIO(readme), len(readme), "/README.TXT;1", joliet_path="/README.TXT",
                   udf_path="/README.TXT")
        iso.add_fp(cast(BinaryIO, _Slice(src, part.offset, part.length)), part.length, iso_name,
                   joliet_path=f"/{part.name}", udf_path=f"/{part.name}")
        with atomic_writer(target) as out:
            iso.write_fp(out, blocksize=CHUNK)
    iso.close()
    digest, size = sha256_file(target)
    if size > capacity:
        target.unlink()
        raise StateError("media.too_large", medium=mid, size=size, capacity=capacity)
    _check_payload(target, part)
    typed = {"medium_type": medium_type} if medium_type else {}
    write_status(job, mid, "written", image=target.name, image_sha256=digest, image_size=size, volume_id=vol,
                 part=part.name, part_sha256=part.sha256, index=index, count=count, capacity=capacity, **typed)
    return MediumImage(mid, index, count, target, vol, size, digest, part)


def _check_payload(image: Path, part: Part) -> None:
    """Re-open the written image and hash the payload as a reader of the disc would see it (Joliet)."""
    import pycdlib

    sink = _HashSink()
    iso = pycdlib.PyCdlib()
    with image.open("rb") as fh:
        iso.open_fp(fh)
        iso.get_file_from_iso_fp(cast(BinaryIO, sink), joliet_path=f"/{part.name}")
        iso.close()
    if sink.hexdigest() != part.sha256:
        image.unlink()
        raise IntegrityError("media.image_payload_mismatch", image=image.name)


def _hash_range(fh: BinaryIO, offset: int, length: int) -> str:
    fh.seek(offset)
    digest = hashlib.sha256()
    left = length
    while left:
        chunk = fh.read(min(CHUNK, left))
        if not chunk:
            raise IntegrityError("media.zip_short", expected=length)
        digest.update(chunk)
        left -= len(chunk)
    return digest.hexdigest()


class _Slice(io.RawIOBase):
    """A read-only window [offset, offset+length) of a file, for pycdlib to stream one part from the ZIP."""

    def __init__(self, fh: BinaryIO, offset: int, length: int) -> None:
        self._fh, self._start, self._len, self._pos = fh, offset, length, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, pos: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._len}[whence]
        self._pos = max(0, min(self._len, base + pos))
        return self._pos

    def tell(self) -> int:
        return self._pos

    def read(self, size: int = -1) -> bytes:
        want = self._len - self._pos if size is None or size < 0 else min(size, self._len - self._pos)
        self._fh.seek(self._start + self._pos)
        data = self._fh.read(want)
        if len(data) != want:
            # pycdlib tolerates short reads silently; a short part must never become a short disc.
            raise IntegrityError("media.zip_short", expected=self._len)
        self._pos += len(data)
        return data


class _HashSink(io.RawIOBase):
    def __init__(self) -> None:
        self._digest = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._digest.update(data)
        return len(data)

    def hexdigest(self) -> str:
        return self._digest.hexdigest()
