"""``handoff sample`` shows the rows made and written on stderr: on a terminal, or off it when asked."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from handoff.cli.sample import INTERVAL, Lines
from handoff.config import defaults_dir, load_site
from handoff.programme import load_programme
from handoff.sample import generator, writers
from tests.conftest import Runner

ROWS = 2500


def _sample(cli: Runner, out: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    proc = cli("sample", "keirokai", "--rows", str(ROWS), "--out", str(out), *flags)
    assert proc.returncode == 0, proc.stderr
    return proc


def test_off_a_terminal_nothing_is_shown_unless_asked(cli: Runner, tmp_path: Path) -> None:
    """Without a terminal and without --progress, stderr stays empty and stdout holds only the closing line."""
    proc = _sample(cli, tmp_path / "a.csv")
    assert proc.stderr == ""
    assert "作成中" not in proc.stdout and "書込み中" not in proc.stdout
    assert f"架空データ {ROWS} 行を" in proc.stdout


def test_asked_off_a_terminal_each_phase_ends_on_stderr_and_stdout_is_unchanged(cli: Runner, tmp_path: Path
                                                                                ) -> None:
    """--progress off a terminal: stderr ends each phase with its total, stdout is the same as without it."""
    quiet = _sample(cli, tmp_path / "a.csv")
    loud = _sample(cli, tmp_path / "b.csv", "--progress")
    lines = loud.stderr.splitlines()
    assert f"架空データを作成中: {ROWS:,} / {ROWS:,} 行" in lines
    assert lines[-1] == f"ファイルに書込み中: {ROWS:,} / {ROWS:,} 行"
    assert all(re.fullmatch(r"(架空データを作成中|ファイルに書込み中): [\d,]+ / [\d,]+ 行", ln) for ln in lines)
    assert loud.stdout.replace("b.csv", "a.csv") == quiet.stdout
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_the_hooks_change_no_row(tmp_path: Path) -> None:
    """generate and write with progress hooks give the same file as without; the hooks count up to every row."""
    site = load_site(defaults_dir())
    spec = load_programme(defaults_dir() / "pipelines" / "kokuho-tokusoku.toml")
    made: list[int] = []
    written: list[int] = []
    today = dt.date(2026, 11, 1)
    plain = generator.generate(spec, site.profile_of(spec.vendor), ROWS, 5, today)
    hooked = generator.generate(spec, site.profile_of(spec.vendor), ROWS, 5, today, progress=made.append)
    writers.write(spec, plain.rows, tmp_path / "plain.dat")
    writers.write(spec, hooked.rows, tmp_path / "hooked.dat", written.append)
    assert (tmp_path / "plain.dat").read_bytes() == (tmp_path / "hooked.dat").read_bytes()
    assert plain.expected == hooked.expected
    for counts in (made, written):
        assert counts == sorted(set(counts)) and counts[-1] == ROWS and counts[0] == 1000


def test_lines_are_at_most_one_a_second_and_the_last_always() -> None:
    """Off a terminal a tick prints only when INTERVAL has passed since the last line; the phase's end always does."""
    now = [0.0]
    shown: list[str] = []
    lines = Lines(10_000, shown.append, clock=lambda: now[0])
    tick = lines.phase("made")
    for done in range(1000, 10_001, 1000):
        now[0] += INTERVAL * 0.4  # 0.4 s between ticks: every third tick is a second on
        tick(done)
    assert shown == [f"架空データを作成中: {n:,} / 10,000 行" for n in (3000, 6000, 9000, 10_000)]


@pytest.mark.skipif(shutil.which("script") is None, reason="script (util-linux) gives the command a terminal")
def test_on_a_terminal_a_bar_is_shown_and_no_progress_silences_it(site_dir: Path, tmp_path: Path) -> None:
    """Under a pseudo-terminal the bar shows both phases; --no-progress shows none."""
    env = {**os.environ, "HANDOFF_HOME": str(site_dir), "COLUMNS": "120"}

    def on_terminal(*flags: str) -> str:
        command = " ".join([sys.executable, "-m", "handoff", "sample", "keirokai", "--rows", "20000", "--out",
                            str(tmp_path / "t.csv"), *flags])
        proc = subprocess.run(["script", "-qec", command, "/dev/null"], capture_output=True, env=env,
                              stdin=subprocess.DEVNULL, timeout=300)
        assert proc.returncode == 0
        return proc.stdout.decode("utf-8", errors="replace")

    shown = on_terminal()
    assert "架空データを作成中" in shown and "ファイルに書込み中" in shown
    assert "作成中" not in on_terminal("--no-progress")
