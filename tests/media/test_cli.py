"""The operator commands ``handoff media …`` and ``handoff notice print``, run as real subprocesses.

Burning is recorded in the ledger (``medium.written``), so these tests run on an initialised site.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from handoff.config import defaults_dir, load_site
from handoff.fs import write_atomic
from handoff.ledger.service import Ledger
from handoff.media.burn import burn
from handoff.media.status import medium_status
from handoff.package.notice import notice_file
from tests.conftest import Runner
from tests.package.helpers import Sealed
from tests.package.test_wiring import STAFF, entries, init_site, prepare_job

pytestmark = pytest.mark.skipif(shutil.which("xorriso") is None, reason="xorriso not installed")


@pytest.fixture
def site_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An initialised site (overrides the conftest one, which has no ledger), selected through HANDOFF_HOME."""
    home = init_site(tmp_path / "site")
    monkeypatch.setenv("HANDOFF_HOME", str(home))
    return home


def finished(s: Sealed) -> Sealed:
    """Mark the job finished as ``handoff run`` does last (``internal/job.json``): only such a job is burned."""
    write_atomic(s.job.finished_marker, b"{}")
    return s


@pytest.fixture
def sealed(site_dir: Path) -> Sealed:
    """A finished sealed job with its notice, in the test site's data folder, recorded as prepared."""
    return finished(prepare_job(site_dir))


def _burn(cli: Runner, sealed: Sealed, disc: Path) -> subprocess.CompletedProcess[str]:
    return cli("media", "burn", sealed.job.job_id, "--staff", STAFF, "--device", f"stdio:{disc}", "--yes")


def _pdftext(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_media_burn_yes_to_pseudo_drive_then_list(cli: Runner, sealed: Sealed, tmp_path: Path) -> None:
    """``media burn JOB --device stdio:… --yes`` burns, verifies, writes the label; ``media list`` shows it."""
    disc = tmp_path / "disc.iso"
    proc = _burn(cli, sealed, disc)
    assert proc.returncode == 0, proc.stderr
    medium = sealed.images[0].medium_id
    assert f"媒体 {medium} を書き込み、読み戻して照合しました" in proc.stdout
    assert (sealed.job.root / f"label-{medium}.pdf").is_file()
    listing = cli("media", "list", sealed.job.job_id)
    assert "検証済み" in listing.stdout and medium in listing.stdout
    again = _burn(cli, sealed, tmp_path / "b.iso")
    assert again.returncode == 9 and "書込み待ちの媒体はありません" in again.stderr


def test_burn_records_medium_written_and_ledger_verifies(cli: Runner, sealed: Sealed, site_dir: Path,
                                                         tmp_path: Path) -> None:
    """A verified burn records medium.written with hashes, drive and tool; ledger show lists it, verify exits 0."""
    disc = tmp_path / "disc.iso"
    assert _burn(cli, sealed, disc).returncode == 0
    image = sealed.images[0]
    (entry,) = entries(site_dir, "medium.written")
    assert entry.job == sealed.job.job_id and entry.subject["medium"] == image.medium_id
    assert entry.actor.staff == STAFF
    pay = entry.payload
    assert pay["verified"] is True and pay["iso_sha256"] == pay["readback_sha256"] == image.sha256
    assert pay["drive"] == f"stdio:{disc}" and pay["tool"].startswith("xorriso")
    assert pay["media_type"] == "stdio file, overwriteable"
    shown = cli("ledger", "show", "--job", sealed.job.job_id, "--json")
    assert '"medium.written"' in shown.stdout and '"verified":true' in shown.stdout.replace(" ", "")
    assert cli("ledger", "verify").returncode == 0


def test_label_carries_the_checkpoint_after_the_entry(cli: Runner, sealed: Sealed, site_dir: Path,
                                                      tmp_path: Path) -> None:
    """The disc label printed after the burn shows that checkpoint: its short form, and a QR of the signed note."""
    import numpy as np
    import zxingcpp
    from PIL import Image

    assert _burn(cli, sealed, tmp_path / "disc.iso").returncode == 0
    (entry,) = entries(site_dir, "medium.written")
    with Ledger.open(load_site(site_dir)) as ledger:
        current = ledger.current_checkpoint()
    assert current.size == entry.seq + 1  # the newest checkpoint is the one that took in this entry
    label = sealed.job.root / f"label-{sealed.images[0].medium_id}.pdf"
    text = " ".join(_pdftext(label).split())
    assert current.short in text and "（管理簿の記録後に記入）" not in text
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", str(label), str(tmp_path / "l")], check=True)
    image = np.asarray(Image.open(tmp_path / "l.png").convert("L"))
    qr = [b.text for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.QRCode]
    assert qr == [current.note]


def _corrupting_xorriso(tmp_path: Path, offset: int) -> Path:
    """A directory whose ``xorriso`` runs the real one and, after a ``-as cdrecord`` write to a stdio: drive,
    flips one byte of the written disc — a bad burn the read-back has to catch."""
    real = shutil.which("xorriso")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "xorriso"
    script.write_text(
        f"#!{sys.executable}\n"
        "import subprocess, sys\n"
        f"rc = subprocess.call([{real!r}, *sys.argv[1:]])\n"
        "if 'cdrecord' in sys.argv:\n"
        "    disc = next(a[len('dev=stdio:'):] for a in sys.argv if a.startswith('dev=stdio:'))\n"
        "    with open(disc, 'r+b') as f:\n"
        f"        f.seek({offset})\n"
        "        b = f.read(1)\n"
        f"        f.seek({offset})\n"
        "        f.write(bytes([b[0] ^ 0x40]))\n"
        "sys.exit(rc)\n",
        encoding="utf-8",
    )
    script.chmod(0o700)
    return bin_dir


def test_failed_verification_is_recorded_and_never_handed_over(cli: Runner, sealed: Sealed, site_dir: Path,
                                                               tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A byte flipped in the burn fails read-back (exit 7), is recorded unverified and can never be handed over."""
    image = sealed.images[0]
    bin_dir = _corrupting_xorriso(tmp_path, image.size - 4096)  # inside the ZIP payload
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    proc = _burn(cli, sealed, tmp_path / "disc.iso")
    assert proc.returncode == 7 and "[media.readback_mismatch]" in proc.stderr, proc.stderr
    assert "破棄" in proc.stderr
    (entry,) = entries(site_dir, "medium.written")
    assert entry.payload["verified"] is False and "readback_sha256" not in entry.payload
    assert entry.payload["iso_sha256"] == image.sha256
    assert medium_status(sealed.job, image.medium_id).state == "unusable"
    assert not (sealed.job.root / f"label-{image.medium_id}.pdf").exists()
    handover = cli("custody", "handover", "--medium", image.medium_id, "--handler", "V01-H1", "--quantity",
                   str(len(sealed.images)), "--bag", "BAG-1", "--staff", STAFF, "--yes")
    assert handover.returncode == 6 and "[custody.not_verified]" in handover.stderr
    assert not entries(site_dir, "medium.handed_over")
    assert cli("ledger", "verify").returncode == 0


def test_verified_medium_can_be_handed_over(cli: Runner, sealed: Sealed, tmp_path: Path) -> None:
    """The counterpart: after a verified burn the same handover is accepted (exit 0)."""
    assert _burn(cli, sealed, tmp_path / "disc.iso").returncode == 0
    handover = cli("custody", "handover", "--medium", sealed.images[0].medium_id, "--handler", "V01-H1",
                   "--quantity", str(len(sealed.images)), "--bag", "BAG-1", "--staff", STAFF, "--yes",
                   "--receipt", str(tmp_path / "receipt.pdf"))
    assert handover.returncode == 0, handover.stderr


def test_uninitialised_site_refuses_before_burning(tmp_path: Path) -> None:
    """On a site without a ledger, ``media burn`` exits 9 naming ``handoff init``; no disc is written."""
    home = tmp_path / "plain"
    home.mkdir()
    shutil.copy(defaults_dir() / "site.toml", home / "site.toml")
    s = finished(prepare_job(home, record=False))
    disc = tmp_path / "disc.iso"
    env = {**os.environ, "HANDOFF_HOME": str(home), "HANDOFF_LANG": "ja"}
    proc = subprocess.run([sys.executable, "-m", "handoff", "media", "burn", s.job.job_id, "--staff", STAFF,
                           "--device", f"stdio:{disc}", "--yes"], capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == 9 and "[ledger.not_initialised]" in proc.stderr and "handoff init" in proc.stderr
    assert not disc.exists() and medium_status(s.job, s.images[0].medium_id).state == "written"


def test_job_unknown_to_the_ledger_or_staff_refused_before_burning(cli: Runner, site_dir: Path,
                                                                   tmp_path: Path) -> None:
    """A job without job.prepared, or an unregistered staff id, exits 6 before anything is burned."""
    s = finished(prepare_job(site_dir, record=False))
    disc = tmp_path / "disc.iso"
    unprepared = _burn(cli, s, disc)
    assert unprepared.returncode == 6 and "[custody.job_not_prepared]" in unprepared.stderr
    stranger = cli("media", "burn", s.job.job_id, "--staff", "X999", "--device", f"stdio:{disc}", "--yes")
    assert stranger.returncode == 6 and "[custody.unknown_staff]" in stranger.stderr
    assert not disc.exists() and medium_status(s.job, s.images[0].medium_id).state == "written"


def test_burn_missing_from_the_ledger_is_recorded_on_the_next_run(cli: Runner, sealed: Sealed, site_dir: Path,
                                                                  tmp_path: Path) -> None:
    """A disc whose ledger write failed after the burn is recorded, with its label, by the next media burn."""
    image = sealed.images[0]
    burn(sealed.job, image.medium_id, f"stdio:{tmp_path / 'disc.iso'}")  # as if the process died right after
    proc = _burn(cli, sealed, tmp_path / "other.iso")
    assert proc.returncode == 0, proc.stderr
    assert "管理簿に未記録だったため" in proc.stdout and not (tmp_path / "other.iso").exists()
    (entry,) = entries(site_dir, "medium.written")
    assert entry.payload["verified"] is True and entry.payload["readback_sha256"] == image.sha256
    assert (sealed.job.root / f"label-{image.medium_id}.pdf").is_file()


def test_media_verify_detects_flipped_byte_with_exit_7(cli: Runner, sealed: Sealed, tmp_path: Path) -> None:
    """``media verify`` of a disc with one byte flipped exits 7 and tells the operator to destroy it."""
    disc = tmp_path / "disc.iso"
    assert _burn(cli, sealed, disc).returncode == 0
    data = bytearray(disc.read_bytes())
    data[sealed.images[0].size - 3000] ^= 0xFF
    disc.write_bytes(bytes(data))
    medium = sealed.images[0].medium_id
    proc = cli("media", "verify", sealed.job.job_id, "--medium", medium, "--device", f"stdio:{disc}")
    assert proc.returncode == 7 and "破棄" in proc.stderr
    assert "使用不可" in cli("media", "list", sealed.job.job_id).stdout


def test_burn_prompt_declined_writes_nothing(site_dir: Path, sealed: Sealed, tmp_path: Path) -> None:
    """Without --yes the operator is asked for a blank disc in Japanese; answering no burns nothing."""
    disc = tmp_path / "disc.iso"
    env = {**os.environ, "HANDOFF_HOME": str(site_dir), "HANDOFF_LANG": "ja", "HANDOFF_STAFF": STAFF}
    proc = subprocess.run([sys.executable, "-m", "handoff", "media", "burn", sealed.job.job_id, "--device",
                           f"stdio:{disc}"], input="n\n", capture_output=True, text=True, env=env, timeout=120)
    assert "未使用の DVD-R" in proc.stdout and proc.returncode == 13 and not disc.exists()
    assert not entries(site_dir, "medium.written")


def test_notice_print_to_file_then_gone(cli: Runner, sealed: Sealed, tmp_path: Path) -> None:
    """``notice print JOB --to-file PATH`` writes the PDF (0600) with the password line and deletes it."""
    dest = tmp_path / "notice.pdf"
    proc = cli("notice", "print", sealed.job.job_id, "--staff", STAFF, "--to-file", str(dest))
    assert proc.returncode == 0, proc.stderr
    assert dest.stat().st_mode & 0o777 == 0o600 and not notice_file(sealed.job).exists()
    text = _pdftext(dest)
    assert f"パスワード: {sealed.password.typed()}" in text.splitlines()
    again = cli("notice", "print", sealed.job.job_id, "--staff", STAFF, "--to-file", str(tmp_path / "again.pdf"))
    assert again.returncode == 9 and "新しいジョブ" in again.stderr
    assert sealed.password.typed() not in proc.stdout + proc.stderr + again.stdout + again.stderr


def test_unknown_job_is_a_state_error(cli: Runner) -> None:
    """Commands on a job that does not exist exit 9 with the job id named."""
    proc = cli("media", "list", "20990101-000000-none-0000")
    assert proc.returncode == 9 and "20990101-000000-none-0000" in proc.stderr


def test_help_of_the_new_groups(cli: Runner) -> None:
    """``notice`` and ``media`` have Japanese help for every command."""
    for args in (("notice", "--help"), ("notice", "print", "--help"), ("media", "burn", "--help"),
                 ("media", "list", "--help"), ("media", "verify", "--help")):
        proc = cli(*args)
        assert proc.returncode == 0 and "使い方:" in proc.stdout
