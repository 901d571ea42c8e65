"""``handoff custody return --medium M --image FILE``: a returned disc is read back and must match what was written.

A small job is burned to a ``stdio:`` pseudo-drive (a real xorriso burn, padded like a disc), handed over, and
then returned from that file or from altered copies of it; on SQLite and (when HANDOFF_TEST_PG_URL is set)
PostgreSQL.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from handoff.config import load_site
from handoff.ledger.events import Entry
from handoff.ledger.service import Ledger
from tests.ledger.conftest import BACKENDS, drop_schema, schema_url, write_site
from tests.package.helpers import Sealed
from tests.package.test_wiring import STAFF, init_site, prepare_job

pytestmark = pytest.mark.skipif(shutil.which("xorriso") is None, reason="xorriso not installed")


@pytest.fixture(params=BACKENDS)
def home(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """An initialised site on the parametrised ledger backend (PostgreSQL: a fresh schema, dropped after)."""
    if request.param == "sqlite":
        yield init_site(tmp_path / "site")
        return
    schema = f"t_{secrets.token_hex(6)}"
    cfg = write_site(tmp_path / "site", "postgresql", schema_url(schema))
    Ledger.create(cfg).close()
    try:
        yield cfg.home
    finally:
        drop_schema(schema)


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HANDOFF_HOME": str(home), "HANDOFF_LANG": "ja", "COLUMNS": "200", "HANDOFF_STAFF": STAFF}
    return subprocess.run([sys.executable, "-m", "handoff", *args], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=600)


def typed(home: Path, event: str) -> list[Entry]:
    with Ledger.open(load_site(home)) as ledger:
        return [e for e in ledger.entries() if e.type == event]


@pytest.fixture
def out(home: Path, tmp_path: Path) -> tuple[Sealed, Path]:
    """A job whose one medium was burned to ``disc.iso`` (stdio: drive) and handed over: (job, disc file)."""
    sealed = prepare_job(home)
    disc = tmp_path / "disc.iso"
    burned = cli(home, "media", "burn", sealed.job.job_id, "--device", f"stdio:{disc}", "--yes")
    assert burned.returncode == 0, burned.stderr
    medium = sealed.images[0].medium_id
    handed = cli(home, "custody", "handover", "--medium", medium, "--handler", "V01-H1", "--quantity",
                 str(len(sealed.images)), "--bag", "BAG-1", "--yes")
    assert handed.returncode == 0, handed.stderr
    return sealed, disc


def give_back(home: Path, medium: str, *source: str) -> subprocess.CompletedProcess[str]:
    return cli(home, "custody", "return", "--medium", medium, "--handler", "V01-H1", *source, "--yes")


def verifies(home: Path) -> bool:
    return cli(home, "ledger", "verify").returncode == 0


def refused(proc: subprocess.CompletedProcess[str], code: str, exit_code: int) -> None:
    assert proc.returncode == exit_code, proc.stdout + proc.stderr
    assert f"[{code}]" in proc.stderr and "Traceback" not in proc.stderr


def test_the_same_disc_is_returned(home: Path, out: tuple[Sealed, Path]) -> None:
    """The burned file (longer than the image: padded) reads back as written: medium.returned, hash_matches true."""
    sealed, disc = out
    image = sealed.images[0]
    assert disc.stat().st_size > image.size  # the drive padded the track
    proc = give_back(home, image.medium_id, "--image", str(disc))
    assert proc.returncode == 0, proc.stderr
    (entry,) = typed(home, "medium.returned")
    assert entry.payload["readback_sha256"] == image.sha256 and entry.payload["hash_matches"] is True
    assert not typed(home, "incident.recorded") and verifies(home)


def test_a_changed_byte_is_an_incident_not_a_return(home: Path, out: tuple[Sealed, Path], tmp_path: Path) -> None:
    """One byte changed: exit 7, an incident of kind hash_mismatch, no medium.returned; the return stays blocked (exit 6) until a supervisor closes the incident, then the right disc is returned."""
    sealed, disc = out
    medium = sealed.images[0].medium_id
    bad = tmp_path / "bad.iso"
    data = bytearray(disc.read_bytes())
    data[sealed.images[0].size // 2] ^= 0x01
    bad.write_bytes(bytes(data))
    proc = give_back(home, medium, "--image", str(bad))
    refused(proc, "custody.return_hash_mismatch", 7)
    assert "監督者に報告" in proc.stderr
    (incident,) = typed(home, "incident.recorded")
    assert incident.payload["kind"] == "hash_mismatch" and incident.subject["medium"] == medium
    assert incident.payload["reported_by"] == STAFF
    assert not typed(home, "medium.returned") and verifies(home)
    refused(give_back(home, medium, "--image", str(disc)), "custody.open_incident", 6)
    assert not typed(home, "medium.returned") and verifies(home)
    closed = cli(home, "incident", "close", str(incident.seq), "--outcome", "正しい媒体を再読取り", "--staff", "S002",
                 "--yes")
    assert closed.returncode == 0, closed.stderr
    assert give_back(home, medium, "--image", str(disc)).returncode == 0
    assert typed(home, "medium.returned")[0].payload["hash_matches"] is True and verifies(home)


def test_a_truncated_disc_is_an_unreadable_incident(home: Path, out: tuple[Sealed, Path], tmp_path: Path) -> None:
    """A file shorter than the image: exit 7, an incident of kind unreadable, no medium.returned."""
    sealed, disc = out
    short = tmp_path / "short.iso"
    short.write_bytes(disc.read_bytes()[: sealed.images[0].size - 1])
    refused(give_back(home, sealed.images[0].medium_id, "--image", str(short)), "custody.return_unreadable", 7)
    (incident,) = typed(home, "incident.recorded")
    assert incident.payload["kind"] == "unreadable"
    assert not typed(home, "medium.returned") and verifies(home)


def test_a_missing_file_is_refused_and_nothing_recorded(home: Path, out: tuple[Sealed, Path],
                                                        tmp_path: Path) -> None:
    """A path that does not exist is a clear input error (exit 4): no incident, no return."""
    sealed, _disc = out
    proc = give_back(home, sealed.images[0].medium_id, "--image", str(tmp_path / "nothing.iso"))
    refused(proc, "custody.return_image_missing", 4)
    assert not typed(home, "incident.recorded") and not typed(home, "medium.returned") and verifies(home)


def test_a_typed_hash_is_no_longer_accepted(home: Path, out: tuple[Sealed, Path]) -> None:
    """``--sha256`` is gone (usage error 2) and a medium needs --image or --device; nothing is recorded."""
    sealed, _disc = out
    medium = sealed.images[0].medium_id
    assert give_back(home, medium, "--sha256", "0" * 64).returncode == 2
    assert give_back(home, medium).returncode == 2
    assert not typed(home, "medium.returned") and not typed(home, "incident.recorded")


def test_the_pseudo_drive_is_read_through_the_drive_code(home: Path, out: tuple[Sealed, Path]) -> None:
    """``--device stdio:FILE`` reads the disc through xorriso's block check and the read-back: returned."""
    sealed, disc = out
    proc = give_back(home, sealed.images[0].medium_id, "--device", f"stdio:{disc}")
    assert proc.returncode == 0, proc.stderr
    assert typed(home, "medium.returned")[0].payload["hash_matches"] is True and verifies(home)
