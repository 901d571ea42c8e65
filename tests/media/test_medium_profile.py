"""The vendor profile's medium (CD-R, DVD-R, BD-R and its capacity): what ``handoff run`` lays on each disc, and
the disc type ``media burn`` asks of the drive."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from handoff import api
from handoff.config import MEDIUM_BYTES, MediumProfile, VendorProfile, load_site
from handoff.errors import ConfigError, StateError
from handoff.fs import JobDir
from handoff.media import burn as burn_mod
from handoff.media.iso import write_media
from handoff.media.layout import RESERVE, plan_parts
from handoff.media.status import medium_status
from tests.package.helpers import seal
from tests.package.test_wiring import init_site

needs_xorriso = pytest.mark.skipif(shutil.which("xorriso") is None, reason="xorriso not installed")


def test_each_type_has_its_disc_capacity_by_default() -> None:
    """CD-R 700 MB (360,000 sectors), DVD-R 4.7 GB, BD-R 25 GB (12,219,392 sectors); DVD-R without a setting."""
    assert MEDIUM_BYTES == {"CD-R": 360_000 * 2048, "DVD-R": 4_700_372_992, "BD-R": 12_219_392 * 2048}
    assert VendorProfile().medium == MediumProfile(type="DVD-R", capacity_bytes=4_700_372_992)
    for kind, size in MEDIUM_BYTES.items():
        assert MediumProfile.model_validate({"type": kind}).capacity_bytes == size


def test_capacity_may_be_lowered_but_never_above_the_disc(tmp_path: Path) -> None:
    """site.toml may give a smaller capacity_bytes; more than the disc holds, or an unknown type, is refused."""
    assert MediumProfile.model_validate({"type": "CD-R", "capacity_bytes": 650_000_000}).capacity_bytes == 650_000_000
    from handoff.config import defaults_dir

    text = (defaults_dir() / "site.toml").read_text(encoding="utf-8")
    marker = '[vendor_profiles.utf8]\n'
    assert marker in text
    for bad in ('medium = { type = "CD-R", capacity_bytes = 800_000_000 }', 'medium = { type = "MO" }'):
        (tmp_path / "site.toml").write_text(text.replace(marker, marker + bad + "\n"), encoding="utf-8")
        with pytest.raises(ConfigError) as err:
            load_site(tmp_path)
        assert "medium" in str(err.value)


def test_cd_r_plan_cuts_a_large_zip_into_discs() -> None:
    """A 1.5 GB ZIP needs three CD-Rs: each holds the disc's bytes less the reserve for the file system."""
    per_disc = MEDIUM_BYTES["CD-R"] - RESERVE
    parts = plan_parts(1_500_000_000, MEDIUM_BYTES["CD-R"])
    assert [length for _, length in parts] == [per_disc, per_disc, 1_500_000_000 - 2 * per_disc]
    assert plan_parts(1_500_000_000, MEDIUM_BYTES["BD-R"]) == [(0, 1_500_000_000)]


@pytest.mark.parametrize(("current", "declared", "ok"), [
    ("CD-R", "CD-R", True), ("DVD-R sequential recording", "DVD-R", True), ("BD-R sequential recording", "BD-R", True),
    ("DVD+R", "DVD-R", False), ("DVD-RW sequential recording", "DVD-R", False), ("CD-RW", "CD-R", False),
    ("DVD-R sequential recording", "CD-R", False), ("", "DVD-R", False),
])
def test_type_matches_reads_xorriso_media_current(current: str, declared: str, ok: bool) -> None:
    """The disc type is the first word of xorriso's "Media current" line; DVD+R and -RW are other discs."""
    assert burn_mod.type_matches(current, declared) is ok


def test_burn_refuses_a_disc_of_another_type(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A medium made for CD-R is not burned onto a blank DVD-R: refused before anything is written."""
    s = seal(tmp_path / "data", rows=20)
    job = JobDir.create(tmp_path / "data", "20260601-093000-test-prog-cd01")
    (image,) = write_media(job, s.package.path, s.package.sha256, capacity=MEDIUM_BYTES["CD-R"], medium_type="CD-R")
    assert medium_status(job, image.medium_id).details["medium_type"] == "CD-R"
    monkeypatch.setattr(burn_mod, "media_space", lambda _dev: (True, 2_000_000, "DVD-R sequential recording"))
    monkeypatch.setattr(burn_mod, "_run_burn", lambda *_a: pytest.fail("the burner must not start"))
    with pytest.raises(StateError) as err:
        burn_mod.burn(job, image.medium_id, "/dev/sr-test")
    assert err.value.code == "media.wrong_type"
    assert medium_status(job, image.medium_id).state == "written"


@needs_xorriso
def test_run_splits_a_job_over_cd_r_sized_media(tmp_path: Path) -> None:
    """``handoff run`` with a CD-R profile of tiny capacity: 2+ images, each read back by xorriso, parts = the ZIP."""
    home = init_site(tmp_path / "site")
    toml = home / "site.toml"
    text = toml.read_text(encoding="utf-8")
    marker = '[vendor_profiles.cp932-ibm]\nencoding = "cp932"\n'
    assert marker in text
    capacity = RESERVE + 8_000  # each disc carries 8,000 bytes of the ZIP
    toml.write_text(text.replace(marker, marker + f'medium = {{ type = "CD-R", capacity_bytes = {capacity} }}\n'),
                    encoding="utf-8")
    src = tmp_path / "in.csv"
    subprocess.run([sys.executable, "-m", "handoff", "sample", "kodomo-iryosho", "-o", str(src), "-n", "300",
                    "--no-progress"], check=True, capture_output=True, env={**os.environ, "HANDOFF_HOME": str(home)})
    result = api.run("kodomo-iryosho", src, staff="S001", site=home)
    zip_bytes = result.zip_path.read_bytes()
    expected_count = -(-len(zip_bytes) // 8_000)
    assert len(result.iso_paths) == expected_count >= 2
    assert len(set(result.media_ids)) == expected_count
    joined = b""
    for index, (iso, mid) in enumerate(zip(result.iso_paths, result.media_ids, strict=True), 1):
        assert iso.stat().st_size <= capacity
        listing = subprocess.run(["xorriso", "-indev", str(iso), "-find", "/", "-type", "f"], capture_output=True,
                                 text=True, check=True).stdout
        part = f"{result.job_id}.zip.{index:03d}"
        assert f"'/{part}'" in listing and "'/README.TXT'" in listing
        out = tmp_path / f"x{index}"
        subprocess.run(["xorriso", "-osirrox", "on", "-indev", str(iso), "-extract", "/", str(out)],
                       capture_output=True, check=True)
        data = (out / part).read_bytes()
        status = medium_status(JobDir(home / "data" / "jobs" / result.job_id), mid)
        assert hashlib.sha256(data).hexdigest() == status.details["part_sha256"]
        assert hashlib.sha256(iso.read_bytes()).hexdigest() == status.details["image_sha256"]
        assert status.details["capacity"] == capacity and status.details["count"] == expected_count
        joined += data
    assert joined == zip_bytes
    assert hashlib.sha256(joined).hexdigest() == result.to_json()["report"]["zip_sha256"]
    recorded = json.loads((home / "data" / "jobs" / result.job_id / "internal" / "job.json").read_text())
    assert recorded["media"] == result.media_ids
