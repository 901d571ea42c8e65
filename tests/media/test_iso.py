"""Disc images, read by xorriso (ISO 9660/Joliet) and 7-Zip (UDF) — never by the code that wrote them."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from handoff.errors import StateError
from handoff.media.iso import write_media
from handoff.media.layout import DVD_R_BYTES, RESERVE, plan_parts, volume_id
from handoff.media.status import medium_status
from tests.package.helpers import NAMES, Sealed, seal

pytestmark = pytest.mark.skipif(shutil.which("xorriso") is None, reason="xorriso not installed")


def xorriso(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["xorriso", *args], capture_output=True, text=True, check=False)


@pytest.fixture
def sealed(tmp_path: Path) -> Sealed:
    return seal(tmp_path / "data", rows=100)


def test_xorriso_lists_zip_and_readme_with_the_volume_id(sealed: Sealed) -> None:
    """``xorriso -indev X -ls /`` shows <job-id>.zip and README.TXT; the volume id is the derived one."""
    image = sealed.images[0]
    proc = xorriso("-indev", str(image.path), "-ls", "/")
    assert proc.returncode == 0
    assert f"'{sealed.job.job_id}.zip'" in proc.stdout and "'README.TXT'" in proc.stdout
    assert f"Volume id    : '{image.volume_id}'" in proc.stderr + proc.stdout
    assert image.path.parent == sealed.job.medium and image.path.name == f"{image.medium_id}.iso"


def test_extracted_zip_is_byte_identical(sealed: Sealed, tmp_path: Path) -> None:
    """``xorriso -osirrox on -extract`` gives back exactly the sealed ZIP; README names ids and the hash."""
    out = tmp_path / "out"
    proc = xorriso("-osirrox", "on", "-indev", str(sealed.images[0].path), "-extract", "/", str(out))
    assert proc.returncode == 0, proc.stderr
    assert (out / f"{sealed.job.job_id}.zip").read_bytes() == sealed.package.path.read_bytes()
    readme = (out / "README.TXT").read_bytes()
    assert readme.startswith(b"\xef\xbb\xbf") and b"\r\n" in readme
    text = readme.decode("utf-8-sig")
    for phrase in (sealed.job.job_id, sealed.images[0].medium_id, sealed.package.sha256, "7-Zip"):
        assert phrase in text
    assert not any(name in text for name in NAMES)


@pytest.mark.skipif(shutil.which("7zz") is None, reason="7zz not installed")
def test_udf_tree_readable_by_7zip(sealed: Sealed) -> None:
    """7-Zip opens the image as UDF and lists the ZIP under its full name."""
    proc = subprocess.run(["7zz", "l", "-tudf", str(sealed.images[0].path)], capture_output=True, text=True)
    assert proc.returncode == 0 and f"{sealed.job.job_id}.zip" in proc.stdout


def test_status_written_with_image_hash(sealed: Sealed) -> None:
    """After imaging, the medium is 'written' (not handable) and its status records the image SHA-256."""
    image = sealed.images[0]
    status = medium_status(sealed.job, image.medium_id)
    assert status.state == "written" and not status.handable
    assert status.details["image_sha256"] == hashlib.sha256(image.path.read_bytes()).hexdigest()
    assert image.path.stat().st_mode & 0o777 == 0o600


def test_existing_image_never_overwritten(sealed: Sealed) -> None:
    """Imaging the same job again is refused."""
    with pytest.raises(StateError):
        write_media(sealed.job, sealed.package.path, sealed.package.sha256)


def test_volume_id_is_ascii_d_characters_and_unique_parts_first() -> None:
    """Volume ids: A–Z 0–9 _ only, ≤ 32 characters, starting with date, time and the job's random part."""
    vid = volume_id("20260601-093000-kodomo-iryosho-ab12")
    assert vid == "20260601_093000_AB12_KODOMO_IRYO"
    assert volume_id("20260601-093000-kodomo-iryosho-ab12", 2, 3).startswith("20260601_093000_AB12_2OF3_")
    for other in (vid, volume_id("x-y z/ä"), volume_id("a" * 80)):
        assert re.fullmatch(r"[A-Z0-9_]{1,32}", other)


def test_capacity_plan_for_a_dvd_r() -> None:
    """A ZIP within one DVD-R stays whole; a bigger one is cut into parts each under 4 GiB and the disc."""
    assert plan_parts(1_000_000) == [(0, 1_000_000)]
    parts = plan_parts(9_000_000_000)
    assert sum(n for _, n in parts) == 9_000_000_000 and len(parts) == 3
    assert all(n < 4 * 2**30 and n <= DVD_R_BYTES - RESERVE for _, n in parts)


def test_large_job_split_over_several_media(tmp_path: Path) -> None:
    """A ZIP over capacity spans several images; xorriso's parts join to the ZIP and 7-Zip opens the split set."""
    capacity = RESERVE + 10 * 1024
    sealed = seal(tmp_path / "data", rows=3000, capacity=capacity)
    assert len(sealed.images) >= 2
    out = tmp_path / "parts"
    for image in sealed.images:
        assert image.size <= capacity and image.count == len(sealed.images)
        proc = xorriso("-osirrox", "on", "-indev", str(image.path), "-extract", f"/{image.part.name}",
                       str(out / image.part.name))
        assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"{sealed.job.job_id}.zip.{i:03d}" for i in range(1, len(sealed.images) + 1)]
    joined = b"".join((out / n).read_bytes() for n in names)
    assert joined == sealed.package.path.read_bytes()
    if shutil.which("7zz"):
        proc = subprocess.run(["7zz", "t", f"-p{sealed.password.typed()}", str(out / names[0])],
                              capture_output=True, text=True, stdin=subprocess.DEVNULL)
        assert "Everything is Ok" in proc.stdout, proc.stdout
