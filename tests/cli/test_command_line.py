"""The command line an operator meets: --version, --dir after a command, a "no" at a prompt, one exit code for an
unknown staff id, and the renamed --media-count."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from handoff.errors import ExitCode


def handoff(*args: str, home: Path | None = None, lang: str = "ja", stdin: str = "",
            program: str = "handoff") -> subprocess.CompletedProcess[str]:
    """The real command in a subprocess; HANDOFF_HOME and HANDOFF_STAFF only as given."""
    env = {k: v for k, v in os.environ.items() if k not in ("HANDOFF_HOME", "HANDOFF_STAFF")}
    env |= {"HANDOFF_LANG": lang, "COLUMNS": "200"} | ({"HANDOFF_HOME": str(home)} if home else {})
    entry = "main()" if program == "handoff" else "audit_main()"
    code = f"import sys; sys.argv[0] = {program!r}; from handoff.cli import main, audit_main; {entry}"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                          input=stdin, timeout=120)


@pytest.mark.parametrize("program", ["handoff", "handoff-audit"])
def test_version_names_the_package_and_python(program: str) -> None:
    """--version prints the installed package's version and Python's, and exits 0."""
    proc = handoff("--version", program=program)
    assert proc.returncode == 0, proc.stderr
    assert version("handoff") in proc.stdout and platform.python_version() in proc.stdout


@pytest.fixture
def ward(tmp_path: Path) -> Path:
    """A site made by `handoff init`, chosen by nothing but --dir."""
    home = tmp_path / "ward"
    assert handoff("init", "--dir", str(home), "--yes").returncode == 0
    return home


def test_dir_is_taken_after_the_command(ward: Path) -> None:
    """`status --dir X`, `ledger show --dir X` and `custody store --dir X` find the site without HANDOFF_HOME."""
    assert handoff("status", "--dir", str(ward)).returncode == 0
    assert handoff("ledger", "show", "--dir", str(ward)).returncode == 0
    stored = handoff("custody", "store", "--cabinet", "媒体用キャビネットA", "--medium", "J1-M1", "--staff", "X999",
                     "--dir", str(ward))
    assert stored.returncode == 6 and str(ward) not in stored.stderr  # the site was read: its staff list refused


def test_dir_after_the_command_wins_over_the_one_before(ward: Path, tmp_path: Path) -> None:
    """`handoff --dir A status --dir B` uses B, as the operator wrote last."""
    proc = handoff("--dir", str(tmp_path / "nowhere"), "status", "--dir", str(ward))
    assert proc.returncode == 0, proc.stderr
    assert handoff("--dir", str(tmp_path / "nowhere"), "status").returncode != 0


def test_init_takes_dir_after_the_command(tmp_path: Path) -> None:
    """`handoff init --dir X --yes`, as the README writes it, creates the site at X."""
    proc = handoff("init", "--dir", str(tmp_path / "ward"), "--yes")
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "ward" / "site.toml").is_file()


@pytest.mark.parametrize(("answer", "lang", "said"), [
    ("n\n", "ja", "中止しました（記録していません）"),
    ("\n", "ja", "中止しました（記録していません）"),  # an empty answer takes the default, no
    ("", "ja", "中止しました（記録していません）"),  # the end of input
    ("n\n", "en", "Stopped: nothing was recorded."),
])
def test_answering_no_is_declined(tmp_path: Path, answer: str, lang: str, said: str) -> None:
    """No at a confirmation prompt: exit 13, the catalogue's words, never "Aborted!", and nothing made."""
    proc = handoff("init", "--dir", str(tmp_path / "ward"), stdin=answer, lang=lang)
    assert proc.returncode == ExitCode.DECLINED == 13
    assert said in proc.stderr and "Aborted" not in proc.stderr + proc.stdout
    assert not (tmp_path / "ward").exists()


def test_answering_no_at_a_custody_step_records_nothing(ward: Path) -> None:
    """custody store without --yes, answered n: exit 13 and the ledger gains no entry."""
    home = ward
    before = handoff("ledger", "show", "--json", home=home).stdout
    proc = handoff("custody", "store", "--cabinet", "媒体用キャビネットA", "--medium", "J1-M1", "--staff", "S001",
                   home=home, stdin="n\n")
    assert proc.returncode == 13 and "中止しました" in proc.stderr
    assert "保管庫: 媒体用キャビネットA" in proc.stdout  # the prompt's labels are in Japanese, not payload keys
    assert handoff("ledger", "show", "--json", home=home).stdout == before


@pytest.mark.parametrize("command", [
    ["run", "kokuho-tokusoku", "--input", "export.csv"],
    ["custody", "store", "--cabinet", "媒体用キャビネットA", "--medium", "J1-M1", "--yes"],
    ["media", "burn", "J1", "--device", "stdio:disc.iso", "--yes"],
    ["notice", "print", "J1", "--to-file", "notice.pdf"],
], ids=lambda c: " ".join(c[:2]))
def test_an_unknown_staff_id_is_exit_6_everywhere(site_dir: Path, command: list[str]) -> None:
    """An unregistered --staff is custody.unknown_staff, exit 6, in run, custody, media burn and notice print."""
    proc = handoff(*command, "--staff", "X999", home=site_dir)
    assert proc.returncode == ExitCode.CUSTODY == 6, proc.stderr
    assert "[custody.unknown_staff]" in proc.stderr


def test_media_count_is_required_and_quantity_still_works(site_dir: Path) -> None:
    """handover needs --media-count (exit 2 naming it); the old --quantity stands in for it with a note."""
    base = ["custody", "handover", "--handler", "V01-H1", "--bag", "B-1", "--medium", "J1-M1", "--staff", "S001",
            "--yes"]
    missing = handoff(*base, home=site_dir)
    assert missing.returncode == 2 and "--media-count" in missing.stderr and "Missing" not in missing.stderr
    old = handoff(*base, "--quantity", "1", home=site_dir)
    assert old.returncode != 2, old.stderr  # parsed: what follows is the ledger's own answer
    assert "--quantity は廃止予定です。--media-count を使ってください。" in old.stderr
    new = handoff(*base, "--media-count", "1", home=site_dir)
    assert new.returncode == old.returncode and "廃止予定" not in new.stderr


def test_bag_is_required_at_handover(site_dir: Path) -> None:
    """custody handover without --bag is a usage error naming --bag, in Japanese."""
    proc = handoff("custody", "handover", "--handler", "V01-H1", "--media-count", "1", "--medium", "J1-M1",
                   "--staff", "S001", home=site_dir)
    assert proc.returncode == 2 and "オプション '--bag' を指定してください。" in proc.stderr


def test_ctrl_c_at_a_prompt_stays_an_interrupt(tmp_path: Path) -> None:
    """Ctrl+C at a confirmation prompt (on a terminal) is exit 130, not the declined 13, and says no "Aborted"."""
    import pty
    import signal
    import time

    pid, fd = pty.fork()
    if pid == 0:  # the child: the command on a terminal
        os.execv(sys.executable, [sys.executable, "-m", "handoff", "init", "--dir", str(tmp_path / "ward")])  # noqa: S606
    seen = b""
    deadline = time.monotonic() + 60
    while b"[y/N]" not in seen and time.monotonic() < deadline:
        seen += os.read(fd, 1024)
    os.kill(pid, signal.SIGINT)
    while True:
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the terminal closed with the child
            break
        if not chunk:
            break
        seen += chunk
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == ExitCode.INTERRUPTED, seen.decode(errors="replace")
    assert b"Aborted" not in seen and "中止しました".encode() not in seen
    assert not (tmp_path / "ward").exists()
