"""Could not write — a full disk, a read-only folder or site, a refused permission: exit 11 with a message naming
the folder and what to do, no traceback, no export value shown, and no half-written file under its final name.

The faults are real: a small tmpfs that fills up, a tmpfs or bind mount remounted read-only, an immutable folder
(``chattr +i``). They need root; where the machine refuses the mount the test says so and is skipped.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from handoff.cli.common import printable
from handoff.errors import UNKNOWN_FOLDER, ExitCode, WriteError, find_write_error, write_error
from tests.faults.conftest import FaultSite, assert_clean_failure

Mount = Callable[..., Path]


@pytest.fixture
def mount() -> Iterator[Mount]:
    """``mount(target, *options)``: a tmpfs (``-t tmpfs``) or a bind mount, undone when the test ends."""
    done: list[Path] = []

    def make(target: Path, *options: str) -> Path:
        target.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run(["mount", *options, target], capture_output=True, text=True)
        if proc.returncode != 0:
            pytest.skip(f"this machine cannot mount here (root and mount are needed): {proc.stderr.strip()}")
        done.append(target)
        return target

    yield make
    for target in reversed(done):
        if subprocess.run(["umount", target], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", target], capture_output=True)


def _read_only(mount: Mount, target: Path) -> Path:
    """``target`` as an empty read-only file system (a tmpfs remounted read-only: chmod does not stop root)."""
    mount(target, "-t", "tmpfs", "-o", "size=1m", "tmpfs")
    subprocess.run(["mount", "-o", "remount,ro", target], check=True)
    return target


def _site_read_only(mount: Mount, site: FaultSite) -> None:
    """The whole site folder (settings, ledger, logs, jobs) read-only, in place: a read-only bind mount of it."""
    mount(site.home, "--bind", str(site.home))
    subprocess.run(["mount", "-o", "remount,bind,ro", site.home], check=True)


def _data_on_full_disk(mount: Mount, site: FaultSite, room: int) -> None:
    """Move the site's data folder (ledger, logs) onto a tmpfs and fill it up to ``room`` bytes left."""
    aside = site.tmp.parent / "data-aside"
    shutil.copytree(site.data, aside, symlinks=True)
    mount(site.data, "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs")
    shutil.copytree(aside, site.data, symlinks=True, dirs_exist_ok=True)
    free = os.statvfs(site.data)
    fd = os.open(site.data / ".filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        os.posix_fallocate(fd, 0, free.f_bavail * free.f_frsize - room)
    finally:
        os.close(fd)


def _secrets(export: Path) -> list[str]:
    """Names and addresses from a synthetic CP932 export: what must never be shown or logged."""
    fields = (f for line in export.read_bytes().decode("cp932").splitlines() for f in line.split(","))
    return sorted({f for f in fields if len(f) >= 5 and not f.isascii()})[:60]


def _half_written(root: Path) -> list[Path]:
    """Temporary files of an atomic write (``.x.part``) or a ZIP not yet verified, left behind."""
    return [p for p in root.rglob("*") if p.name.endswith((".part", ".unverified"))]


def _flat(text: str) -> str:
    """stderr without the line breaks the console wraps long messages with."""
    return "".join(text.split())


# --- a full disk ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("room", [16 << 10, 100 << 10, 300 << 10], ids=["ledger", "zip", "disc-image"])
def test_run_on_a_full_disk_is_exit_11_and_leaves_no_half_written_file(fault_site: FaultSite, mount: Mount,
                                                                        room: int) -> None:
    """A disk filling up during run is exit 11 system.disk_full naming its folder; no half-written file stays."""
    export = fault_site.sample("seikatsu-hogo", 3000)
    _data_on_full_disk(mount, fault_site, room)
    proc = fault_site.run("run", "seikatsu-hogo", "--input", str(export), "--cycle", "2026-10")
    assert_clean_failure(proc, 11, "system.disk_full", secrets=_secrets(export), log=fault_site.log)
    assert f"フォルダ{fault_site.data}" in _flat(proc.stderr)
    assert not _half_written(fault_site.data)
    assert not list(fault_site.data.glob("jobs/*/internal/job.json"))
    (fault_site.data / ".filler").unlink()  # SQLite needs room for its shared-memory file even to read
    verify = fault_site.run("ledger", "verify")
    assert verify.returncode == 0, verify.stderr


@pytest.mark.parametrize("command", [
    ("sample", "seikatsu-hogo", "--rows", "3000", "--out", "{out}/s.dat"),
    ("ledger", "export", "--out", "{out}/ledger.pdf"),
])
def test_output_onto_a_full_disk_is_exit_11_and_leaves_no_file(fault_site: FaultSite, mount: Mount,
                                                               command: tuple[str, ...]) -> None:
    """An output file larger than the room left: exit 11 system.disk_full naming the folder; nothing left in it."""
    out = mount(fault_site.tmp.parent / "small", "-t", "tmpfs", "-o", "size=12k", "tmpfs")
    proc = fault_site.run(*(arg.format(out=out) for arg in command))
    assert_clean_failure(proc, 11, "system.disk_full", log=fault_site.log)
    assert f"フォルダ{out}に" in _flat(proc.stderr)
    assert list(out.iterdir()) == []


# --- read-only folders ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("command", [
    ("ledger", "export", "--out", "{out}/ledger.csv"),
    ("ledger", "export", "--out", "{out}/ledger.xlsx"),
    ("ledger", "export", "--out", "{out}/ledger.pdf"),
    ("ledger", "checkpoint", "--out", "{out}/checkpoint.txt"),
    ("ledger", "checkpoint", "--out", "{out}/new/checkpoint.txt"),
    ("sample", "seikatsu-hogo", "--rows", "50", "--out", "{out}/s.dat"),
    ("sample", "ninpu-kyufu", "--rows", "50", "--out", "{out}/s.xlsx"),
], ids=["export-csv", "export-xlsx", "export-pdf", "checkpoint", "checkpoint-new-folder", "sample", "sample-xlsx"])
def test_output_into_a_read_only_folder_is_exit_11(fault_site: FaultSite, mount: Mount,
                                                   command: tuple[str, ...]) -> None:
    """Writing into a read-only folder: exit 11 system.read_only naming that folder, not a traceback."""
    out = _read_only(mount, fault_site.tmp.parent / "ro")
    proc = fault_site.run(*(arg.format(out=out) for arg in command))
    assert_clean_failure(proc, 11, "system.read_only", log=fault_site.log)
    assert f"フォルダ{out}に" in _flat(proc.stderr)


def test_notice_to_a_read_only_or_full_folder_keeps_the_notice(fault_site: FaultSite, mount: Mount) -> None:
    """notice print --to-file into a read-only or full folder is exit 11; nothing is recorded, printing again works."""
    export = fault_site.sample("seikatsu-hogo", 300)
    sealed = fault_site.run("run", "seikatsu-hogo", "--input", str(export), "--cycle", "2026-10", "--json")
    assert sealed.returncode in (0, 1), sealed.stderr
    job = json.loads(sealed.stdout)["job_id"]
    read_only = _read_only(mount, fault_site.tmp.parent / "ro")
    full = mount(fault_site.tmp.parent / "small", "-t", "tmpfs", "-o", "size=12k", "tmpfs")
    for folder, code in ((read_only, "system.read_only"), (full, "system.disk_full")):
        proc = fault_site.run("notice", "print", job, "--to-file", f"{folder}/notice.pdf")
        assert_clean_failure(proc, 11, code, secrets=_secrets(export), log=fault_site.log)
        assert f"フォルダ{folder}に" in _flat(proc.stderr)
        assert list(folder.iterdir()) == []
        assert list((fault_site.data / "jobs" / job / "notice").glob("*.pdf"))
    shown = fault_site.run("ledger", "show", "--json")
    assert "notice.printed" not in shown.stdout
    saved = fault_site.run("notice", "print", job, "--to-file", str(fault_site.tmp / "notice.pdf"))
    assert saved.returncode == 0, saved.stderr


def test_immutable_folder_is_exit_11_no_permission(fault_site: FaultSite, tmp_path: Path) -> None:
    """A folder the system refuses to let anyone change (EPERM): exit 11 system.no_permission naming it."""
    locked = tmp_path / "locked"
    locked.mkdir()
    if subprocess.run(["chattr", "+i", locked], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available on this file system")
    try:
        proc = fault_site.run("ledger", "checkpoint", "--out", str(locked / "checkpoint.txt"))
    finally:
        subprocess.run(["chattr", "-i", locked], check=True)
    assert_clean_failure(proc, 11, "system.no_permission", log=fault_site.log)
    assert f"フォルダ{locked}に" in _flat(proc.stderr)


# --- a read-only site -------------------------------------------------------------------------------------------
def test_reading_commands_work_on_a_read_only_site(any_site: FaultSite, mount: Mount) -> None:
    """On a read-only site verify and show work; the log goes to stderr as JSON lines, never into stdout."""
    export = any_site.sample("seikatsu-hogo", 300)
    sealed = any_site.run("run", "seikatsu-hogo", "--input", str(export), "--cycle", "2026-10")
    assert sealed.returncode in (0, 1), sealed.stderr
    _site_read_only(mount, any_site)
    verify = any_site.run("ledger", "verify")
    assert verify.returncode == 0, verify.stderr
    assert "Traceback" not in verify.stderr
    shown = any_site.run("ledger", "show", "--json")
    assert shown.returncode == 0, shown.stderr
    entries = [json.loads(line) for line in shown.stdout.splitlines()]
    assert entries and all("event" not in e for e in entries)  # ledger entries only, no log line among them
    # verify starts the log (it records what it proved): the unwritable log file is said on stderr as JSON; show
    # starts none (a reading command that records nothing loads no logging at all)
    assert any(json.loads(line).get("event") == "log.file_unwritable" for line in verify.stderr.splitlines()
               if line.startswith("{"))
    assert any_site.run("ledger", "show").returncode == 0


def test_write_command_on_a_read_only_site_is_exit_11(any_site: FaultSite, mount: Mount) -> None:
    """run on a read-only site: exit 11 system.read_only naming a folder of the site, no traceback."""
    export = any_site.sample("seikatsu-hogo", 300)
    _site_read_only(mount, any_site)
    proc = any_site.run("run", "seikatsu-hogo", "--input", str(export), "--cycle", "2026-10")
    assert_clean_failure(proc, 11, "system.read_only", secrets=_secrets(export))
    assert f"フォルダ{any_site.data}" in _flat(proc.stderr)


# --- the one handler --------------------------------------------------------------------------------------------
def _run_with(site: FaultSite, setup: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a subprocess, after ``setup`` replaced a library function with one that fails as a bug would."""
    code = f"import sys\n{setup}\nfrom handoff.cli import main\nsys.argv[1:] = {list(args)!r}\nmain()\n"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          env=site.env(), timeout=120)


def test_an_unexpected_error_is_exit_10_with_a_message(fault_site: FaultSite) -> None:
    """A bug ends as exit 10 system.internal, its text (maybe an export value) neither shown nor logged."""
    setup = ("import handoff.api as api\n"
             "def verify(*a, **k): raise ValueError('見本　花子 does not parse')\n"
             "api.verify = verify")
    proc = _run_with(fault_site, setup, "ledger", "verify")
    assert_clean_failure(proc, 10, "system.internal", secrets=["見本　花子"], log=fault_site.log)
    assert "ValueError" in proc.stderr
    assert "internal_error" in fault_site.log.read_text(encoding="utf-8")


def test_a_write_error_from_a_worker_thread_maps_the_same_way(fault_site: FaultSite, tmp_path: Path) -> None:
    """An ENOSPC raised on a worker thread and re-raised by .result() is exit 11 naming the folder."""
    target = tmp_path / "somewhere" / "file.bin"
    setup = ("import errno, os\n"
             "from concurrent.futures import ThreadPoolExecutor\n"
             "import handoff.api as api\n"
             f"def fail(): raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), {str(target)!r})\n"
             "def verify(*a, **k):\n"
             "    with ThreadPoolExecutor(1) as pool: pool.submit(fail).result()\n"
             "api.verify = verify")
    proc = _run_with(fault_site, setup, "ledger", "verify")
    assert_clean_failure(proc, 11, "system.disk_full", log=fault_site.log)
    assert f"フォルダ{target.parent}に" in _flat(proc.stderr)


def test_control_characters_in_a_folder_name_are_shown_not_sent(fault_site: FaultSite, mount: Mount) -> None:
    """A folder name carrying an escape sequence reaches the terminal as visible \\x1b text, never as ESC."""
    out = _read_only(mount, fault_site.tmp.parent / "ro\x1b[2J\x1b]0;title\x07")
    proc = fault_site.run("ledger", "checkpoint", "--out", f"{out}/checkpoint.txt")
    assert_clean_failure(proc, 11, "system.read_only", log=fault_site.log)
    assert "\x1b" not in proc.stderr and "\x07" not in proc.stderr
    assert "ro\\x1b[2J\\x1b]0;title\\x07" in _flat(proc.stderr)


@pytest.mark.parametrize(("text", "shown"), [
    ("plain 日本語\tand\nlines", "plain 日本語\tand\nlines"),
    ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
    ("a\rb\x00c\x08d", "a\\x0db\\x00c\\x08d"),
    ("del\x7f c1\x85\x9b end", "del\\x7f c1\\x85\\x9b end"),
    ("\u00a0no-break stays", "\u00a0no-break stays"),
])
def test_printable_shows_control_characters_as_text(text: str, shown: str) -> None:
    """C0 (but tab and newline), DEL and C1 characters become visible \\xNN text; everything else is kept."""
    assert printable(text) == shown


@pytest.mark.parametrize(("number", "code"), [
    (errno.ENOSPC, "system.disk_full"), (errno.EDQUOT, "system.disk_full"), (errno.EROFS, "system.read_only"),
    (errno.EACCES, "system.no_permission"), (errno.EPERM, "system.no_permission"),
])
def test_each_cause_has_its_message_code(number: int, code: str, tmp_path: Path) -> None:
    """Each errno of a refused write maps to its one message code, exit 11, naming the folder of the file."""
    mapped = write_error(OSError(number, "refused", str(tmp_path / "out.csv")))
    assert mapped is not None and mapped.code == code and mapped.exit_code == ExitCode.WRITE
    assert mapped.params["folder"] == str(tmp_path)
    assert str(tmp_path) in mapped.message("ja") and str(tmp_path) in mapped.message("en")


def test_the_folder_comes_from_the_error_else_the_caller_else_unknown(tmp_path: Path) -> None:
    """A named folder is itself; a file names its folder; no name uses the caller's folder, else 「場所不明」."""
    itself = write_error(OSError(errno.EROFS, "ro", str(tmp_path)))
    callers = write_error(OSError(errno.ENOSPC, "full"), tmp_path)
    assert itself is not None and itself.params["folder"] == str(tmp_path)
    assert callers is not None and callers.params["folder"] == str(tmp_path)
    unknown = write_error(OSError(errno.ENOSPC, "full"))
    assert unknown is not None and unknown.params["folder"] is UNKNOWN_FOLDER
    assert "場所不明" in unknown.message("ja")
    assert write_error(OSError(errno.ENOENT, "missing", "x")) is None
    assert write_error(ValueError("no")) is None


def test_a_wrapped_oserror_is_found_unless_the_raiser_hid_it() -> None:
    """find_write_error follows ``raise … from`` and the exception being handled, not one hidden with from None."""
    cause = OSError(errno.ENOSPC, "full", "/x/y")
    try:
        try:
            raise cause
        except OSError as exc:
            raise RuntimeError("wrapped") from exc
    except RuntimeError as wrapped:
        found = find_write_error(wrapped)
    assert isinstance(found, WriteError) and found.code == "system.disk_full"
    hidden = RuntimeError("hidden")
    hidden.__context__, hidden.__suppress_context__ = cause, True
    assert find_write_error(hidden) is None
