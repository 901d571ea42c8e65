"""The operator commands ``handoff media …`` and ``handoff notice print``, run as real subprocesses."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from handoff.package.notice import NoticeInfo, notice_file, write_notice
from tests.conftest import Runner
from tests.package.helpers import Sealed, seal

pytestmark = pytest.mark.skipif(shutil.which("xorriso") is None, reason="xorriso not installed")


@pytest.fixture
def sealed(site_dir: Path) -> Sealed:
    """A sealed job with its notice, in the test site's data folder."""
    s = seal(site_dir / "data", rows=30)
    info = NoticeInfo(s.job.job_id, tuple(i.medium_id for i in s.images), "test-prog", "試験用事業", "V01",
                      "見本印刷株式会社", "見本区役所", dt.date(2026, 6, 1))
    write_notice(s.job, s.password, info)
    return s


def test_media_burn_yes_to_pseudo_drive_then_list(cli: Runner, sealed: Sealed, tmp_path: Path) -> None:
    """``media burn JOB --device stdio:… --yes`` burns, verifies, writes the label; ``media list`` shows it."""
    disc = tmp_path / "disc.iso"
    proc = cli("media", "burn", sealed.job.job_id, "--device", f"stdio:{disc}", "--yes")
    assert proc.returncode == 0, proc.stderr
    medium = sealed.images[0].medium_id
    assert f"媒体 {medium} を書き込み、読み戻して照合しました" in proc.stdout
    assert (sealed.job.root / f"label-{medium}.pdf").is_file()
    listing = cli("media", "list", sealed.job.job_id)
    assert "検証済み" in listing.stdout and medium in listing.stdout
    again = cli("media", "burn", sealed.job.job_id, "--device", f"stdio:{tmp_path / 'b.iso'}", "--yes")
    assert again.returncode == 9 and "書込み待ちの媒体はありません" in again.stderr


def test_media_verify_detects_flipped_byte_with_exit_7(cli: Runner, sealed: Sealed, tmp_path: Path) -> None:
    """``media verify`` of a disc with one byte flipped exits 7 and tells the operator to destroy it."""
    disc = tmp_path / "disc.iso"
    cli("media", "burn", sealed.job.job_id, "--device", f"stdio:{disc}", "--yes", check=True)
    data = bytearray(disc.read_bytes())
    data[sealed.images[0].size - 3000] ^= 0xFF
    disc.write_bytes(bytes(data))
    medium = sealed.images[0].medium_id
    proc = cli("media", "verify", sealed.job.job_id, "--medium", medium, "--device", f"stdio:{disc}")
    assert proc.returncode == 7 and "破棄" in proc.stderr
    assert "使用不可" in cli("media", "list", sealed.job.job_id).stdout


def test_burn_prompt_declined_writes_nothing(site_dir: Path, sealed: Sealed, tmp_path: Path) -> None:
    """Without --yes the operator is asked for a blank disc in Japanese; answering no burns nothing."""
    import os
    import sys

    disc = tmp_path / "disc.iso"
    env = {**os.environ, "HANDOFF_HOME": str(site_dir), "HANDOFF_LANG": "ja"}
    proc = subprocess.run([sys.executable, "-m", "handoff", "media", "burn", sealed.job.job_id, "--device",
                           f"stdio:{disc}"], input="n\n", capture_output=True, text=True, env=env, timeout=120)
    assert "未使用の DVD-R" in proc.stdout and proc.returncode == 1 and not disc.exists()


def test_notice_print_to_file_then_gone(cli: Runner, sealed: Sealed, tmp_path: Path) -> None:
    """``notice print JOB --to-file PATH`` writes the PDF (0600) with the password line and deletes it."""
    dest = tmp_path / "notice.pdf"
    proc = cli("notice", "print", sealed.job.job_id, "--to-file", str(dest))
    assert proc.returncode == 0, proc.stderr
    assert dest.stat().st_mode & 0o777 == 0o600 and not notice_file(sealed.job).exists()
    text = subprocess.run(["pdftotext", str(dest), "-"], capture_output=True, text=True, check=True).stdout
    assert f"パスワード: {sealed.password.typed()}" in text.splitlines()
    again = cli("notice", "print", sealed.job.job_id, "--to-file", str(tmp_path / "again.pdf"))
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
        assert proc.returncode == 0 and "Usage" in proc.stdout
