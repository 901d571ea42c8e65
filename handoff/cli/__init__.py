"""The ``handoff`` command. Commands only parse, call the library and print.

Heavy libraries are imported inside the commands so that ``handoff --help`` stays fast.
One handler (``main``) turns every HandoffError into its message and documented exit code.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from handoff import runtime
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

    runtime.collect_less()
    runtime.library_settings()
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
            runtime.skip_exit_collection()


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
