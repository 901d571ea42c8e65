"""The ``handoff`` command. Commands only parse, call the library and print.

Heavy libraries are imported inside the commands so that ``handoff --help`` stays fast.
One handler (``main``) turns every HandoffError into its message and documented exit code.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from handoff.cli import commands
from handoff.cli.common import err_console, state
from handoff.errors import HandoffError

app = typer.Typer(
    name="handoff",
    help="委託業者への個人情報の受渡しを安全に行うツール（抽出・最小化・暗号化・媒体・管理簿）。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def _root(
    home: Annotated[
        Path | None,
        typer.Option("--dir", envvar="HANDOFF_HOME", help="サイトフォルダ（site.toml のある場所）。"),
    ] = None,
) -> None:
    """handoff — 区役所から委託業者への個人情報の受渡しを安全に行います。"""
    state.home = home


commands.register(app)


def main(argv: list[str] | None = None) -> None:
    """Entry point: typer handles usage errors (exit 2); HandoffError becomes its message and exit code."""
    from handoff.errors import ExitCode

    collect_less()
    library_settings()
    try:
        app(args=argv, prog_name="handoff")
    except HandoffError as exc:
        _report(exc)
        sys.exit(int(exc.exit_code))
    except KeyboardInterrupt:
        err_console.print("中断しました。" if _ja() else "Interrupted.")
        sys.exit(int(ExitCode.INTERRUPTED))
    finally:
        if argv is None:  # this process is the command (tests pass their arguments and go on running)
            skip_exit_collection()


def collect_less() -> None:
    """Run Python's cycle collector after 50,000 new container objects instead of after 700.

    A run's rows live in numpy and Arrow buffers, not in Python objects. What handoff does make in numbers
    (findings, and the modules, classes and functions pandas and pyarrow create while they are imported) lives
    until the command ends, yet at the default threshold the collector walked all of it again and again: a
    quarter of a second of a 1,000,000-row ``check`` (measured with ``scripts/bench``). Cycles are still
    collected, only less often.
    """
    import gc

    gc.set_threshold(50_000, 10, 10)


def library_settings() -> None:
    """Settings the libraries read when they load, chosen for a run's large columns on a small machine.

    - pyarrow's allocator (mimalloc) keeps freed memory for a second (``MIMALLOC_PURGE_DELAY``; mimalloc 2
      gave it back after 10 ms), so the next stage's buffers reuse a stage's freed buffers instead of arriving
      as fresh pages that the kernel must zero first. On a 1,000,000-row ``check`` validation then spent more
      time in the kernel than in its own work (measured: 1.3 s of system time; 0.3 s with a delay of a second).
    - mimalloc does not commit its 1 GiB arena up front (``MIMALLOC_ARENA_EAGER_COMMIT=0``). Committed up
      front, the arena is marked for transparent huge pages, so every first touch makes the kernel zero a whole
      2 MiB page, and memory given back is zeroed again in 2 MiB pages when it is reused. Measured on a
      1,000,000-row ``check`` (interleaved, 5 rounds): 2.56 s with 1.5 s of system time, 1.79 s with 0.57 s;
      peak memory the same (about 0.9 GiB).
    - numpy's OpenBLAS starts no thread pool (``OPENBLAS_NUM_THREADS=1``). handoff does no floating-point
      linear algebra, yet the pool's threads spin while numpy loads, taking 0.1 s of the second core from the
      read-ahead (measured with perf on ``run``; ``check`` median 1.96 s → 1.88 s, interleaved, 6 rounds).

    They are set before any command imports numpy or pyarrow; a value set by the site is left alone.
    """
    import os

    os.environ.setdefault("MIMALLOC_PURGE_DELAY", "1000")
    os.environ.setdefault("MIMALLOC_ARENA_EAGER_COMMIT", "0")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def skip_exit_collection() -> None:
    """When the command is done, put every live object out of the cycle collector's reach (``gc.freeze``).

    While Python shuts down it collects cycles once more, walking every object that pandas, pyarrow and the
    command left alive: 0.14 s after a 1,000,000-row ``check`` (measured), for nothing. The commands close
    their files and databases themselves and the log is written line by line, so no cleanup waits on it.
    """
    import gc

    gc.freeze()


def _ja() -> bool:
    from handoff.messages import current_lang

    return current_lang() == "ja"


def _report(exc: HandoffError) -> None:
    from handoff.log import get_logger

    label = "エラー" if _ja() else "Error"
    from rich.markup import escape

    err_console.print(f"[bold red]{label}[/] {escape(f'[{exc.code}] {exc.message()}')}")
    err_console.print(("終了コード" if _ja() else "Exit code") + f" {int(exc.exit_code)}")
    get_logger().error("error", code=exc.code, exit_code=int(exc.exit_code))
