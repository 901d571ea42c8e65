"""``handoff schedule install``: the units and crontab line for this site, checked by systemd-analyze."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from handoff.cli.schedule import render
from tests.schedule.conftest import Runner

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts" / "systemd"
EXAMPLE = {"home": Path("/srv/handoff"), "data": Path("/srv/handoff/data"),
           "exe": Path("/opt/handoff/.venv/bin/handoff"), "user": "handoff", "at": "06:30"}


def _split(text: str) -> dict[str, str]:
    files: dict[str, str] = {}
    name = ""
    for line in text.splitlines(keepends=True):
        if line.startswith("# ==> ") and line.rstrip().endswith(" <=="):
            name = line[len("# ==> "):-len(" <==\n")]
            files[name] = ""
        else:
            files[name] += line
    return files


def test_systemd_install_names_this_site_and_this_handoff(home: Path, handoff: Runner) -> None:
    """The printed service runs this handoff executable on this site folder, daily at --at, as --user."""
    proc = handoff("schedule", "install", "--systemd", "--user", "wardbatch", "--at", "05:15")
    assert proc.returncode == 0, proc.stderr
    files = _split(proc.stdout)
    assert set(files) == {"handoff-due.service", "handoff-due.timer"}
    exe = Path(sys.executable).parent / "handoff"
    assert f"ExecStart={exe} --dir {home.resolve()} run --due --json\n" in files["handoff-due.service"]
    assert "User=wardbatch\n" in files["handoff-due.service"] and "SuccessExitStatus=1\n" in files[
        "handoff-due.service"]
    assert "OnCalendar=*-*-* 05:15:00 Asia/Tokyo\n" in files["handoff-due.timer"]


def test_cron_install_is_one_line_at_the_given_time(home: Path, handoff: Runner) -> None:
    """--cron prints the crontab line (Japan time) that runs run --due for this site."""
    proc = handoff("schedule", "install", "--cron", "--at", "07:05")
    assert proc.returncode == 0, proc.stderr
    lines = [ln for ln in proc.stdout.splitlines() if ln and not ln.startswith("#")]
    exe = Path(sys.executable).parent / "handoff"
    assert lines == ["CRON_TZ=Asia/Tokyo", f"5 7 * * * {exe} --dir {home.resolve()} run --due --json >/dev/null"]


@pytest.mark.parametrize("args", [[], ["--systemd", "--cron"], ["--cron", "--at", "25:00"], ["--cron", "--at", "7"]])
def test_install_refuses_unclear_arguments(handoff: Runner, args: list[str]) -> None:
    """Neither or both of --systemd/--cron, or a time that is not HH:MM: a usage error (exit 2)."""
    assert handoff("schedule", "install", *args).returncode == 2


def test_example_units_are_what_install_prints_for_the_example_paths() -> None:
    """scripts/systemd/handoff-due.* hold exactly the files install prints for /srv/handoff and /opt/handoff."""
    for name, text in render("systemd", **EXAMPLE).items():  # type: ignore[arg-type]
        assert (SCRIPTS / name).read_text(encoding="utf-8") == text


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here")
def test_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    """The units, pointed at a real handoff executable and folder, pass systemd-analyze verify; a bad one fails."""
    exe = Path(sys.executable).parent / "handoff"
    if not exe.is_file():
        pytest.skip("the handoff command is not installed beside this Python")
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    good = tmp_path / "good"
    good.mkdir()
    for name, text in render("systemd", home=site, data=site / "data", exe=exe, user="root", at="06:30").items():
        (good / name).write_text(text, encoding="utf-8")
    ok = subprocess.run(["systemd-analyze", "verify", "--man=no", "handoff-due.service", "handoff-due.timer"],
                        cwd=good, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    bad = tmp_path / "bad"
    bad.mkdir()
    for name, text in render("systemd", home=site, data=site / "data", exe=tmp_path / "missing", user="root",
                             at="06:30").items():
        (bad / name).write_text(text, encoding="utf-8")
    refused = subprocess.run(["systemd-analyze", "verify", "--man=no", "handoff-due.service"], cwd=bad,
                             capture_output=True, text=True)
    assert refused.returncode != 0 and "missing" in refused.stderr
