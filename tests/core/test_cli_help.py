"""Every command has Japanese help and is documented in the README (the operators' reference)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from handoff.cli import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[list[str]]:
    root = typer.main.get_command(app)
    found: list[list[str]] = []

    def walk(cmd: object, path: list[str]) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, [*path, name])
        else:
            found.append(path)

    walk(root, [])
    return found


@pytest.mark.parametrize("path", _commands(), ids=lambda p: " ".join(p))
def test_command_has_help_and_is_documented(path: list[str]) -> None:
    """`handoff … --help` exits 0 with a Japanese description, and the README names the command."""
    proc = subprocess.run([sys.executable, "-m", "handoff", *path, "--help"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert any("\u3040" <= ch <= "\u9fff" for ch in proc.stdout)
    group = path[0]
    assert f"handoff {group}" in README, f"README does not mention handoff {group}"
    if len(path) > 1:
        assert path[1] in README, f"README does not mention {' '.join(path)}"


def test_command_process_settings() -> None:
    """The command sets the collector threshold and the library settings (a site's wins) before numpy or pyarrow loads."""
    probe = (
        "import gc, os, sys\n"
        "import handoff.cli as cli\n"
        "loaded = 'pyarrow' in sys.modules or 'numpy' in sys.modules\n"
        "try:\n"
        "    cli.main(['programmes', 'list'])\n"
        "finally:\n"
        "    print('PROBE', loaded, gc.get_threshold()[0], os.environ['MIMALLOC_PURGE_DELAY'],\n"
        "          os.environ['MIMALLOC_ARENA_EAGER_COMMIT'], os.environ['OPENBLAS_NUM_THREADS'], file=sys.stderr)\n"
    )
    names = ("MIMALLOC_PURGE_DELAY", "MIMALLOC_ARENA_EAGER_COMMIT", "OPENBLAS_NUM_THREADS")
    for preset, expected in (({}, "1000 0 1"), (dict(zip(names, ("250", "2", "4"), strict=True)), "250 2 4")):
        env = {k: v for k, v in os.environ.items() if k not in names} | preset
        proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
        assert f"PROBE False 50000 {expected}" in proc.stderr, proc.stderr



def test_libraries_take_the_settings() -> None:
    """numpy loads without OpenBLAS threads, and pyarrow's mimalloc reports the purge delay and arena commit set."""
    probe = (
        "import os\n"
        "import handoff.runtime as runtime\n"
        "runtime.library_settings()\n"
        "import numpy\n"
        "print('TASKS', len(os.listdir('/proc/self/task')))\n"
        "import pyarrow as pa\n"
        "print('POOL', pa.default_memory_pool().backend_name)\n"
    )
    names = ("MIMALLOC_PURGE_DELAY", "MIMALLOC_ARENA_EAGER_COMMIT", "OPENBLAS_NUM_THREADS")
    env = {k: v for k, v in os.environ.items() if k not in names} | {"MIMALLOC_VERBOSE": "1"}
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert "TASKS 1\n" in proc.stdout, proc.stdout  # the process's own thread only
    if "POOL mimalloc" not in proc.stdout:
        pytest.skip(f"pyarrow's default memory pool here is not mimalloc: {proc.stdout.strip()}")
    assert "option 'purge_delay': 1000" in proc.stderr, proc.stderr
    assert "option 'arena_eager_commit': 0" in proc.stderr, proc.stderr


def test_command_leaves_no_exit_collection() -> None:
    """Run as the command, main() freezes the objects left at its end; called with arguments, it does not."""
    probe = (
        "import gc, sys\n"
        "import handoff.cli as cli\n"
        "sys.argv = ['handoff', 'programmes', 'list']\n"
        "for args in ([*sys.argv[1:]], None):\n"
        "    try:\n"
        "        cli.main(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "    print('FROZEN', gc.get_freeze_count() > 0, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert "FROZEN False\nFROZEN True" in proc.stderr, proc.stderr
