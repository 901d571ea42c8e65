"""The ``handoff`` command. Commands only parse, call the library and print.

Heavy libraries are imported inside the commands so that ``handoff --help`` stays fast.
One handler (``main``) turns every HandoffError into its message and documented exit code.
Help texts come from the message catalogue (``messages/help.py``, through ``common.h``), in the language
HANDOFF_LANG chose when the command line was built; ``command_tree`` is the tree ``main`` runs.
"""

from __future__ import annotations

import contextlib
import copy
import platform
import sys
import threading
import types
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from handoff import runtime

if TYPE_CHECKING:
    from typer._click.core import Command, Context, Parameter

if runtime.started_as_command():
    # First, before typer and rich load: a Ctrl+C from here on waits, and main() reports it like any other.
    runtime.INTERRUPTS.install()

# The rest loads after the guard is in place.
import typer

from handoff.cli import commands, words
from handoff.cli.common import err_console, h, ledger_write_error, locate, printable, state
from handoff.errors import ExitCode, HandoffError, Interrupted, find_write_error

words.install()  # before any help is written: the library's own words in the catalogue's language

app = typer.Typer(
    name="handoff",
    help=h("help.root.app"),
    epilog=h("help.root.exit_codes"),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    """``--version``: handoff's version and Python's, then exit 0 (before any other option is read)."""
    if value:
        from importlib.metadata import version

        from handoff.messages import t

        typer.echo(t("system.version", version=version("handoff"), python=platform.python_version()))
        raise typer.Exit(0)


@app.callback(help=h("help.root.root"))
def _root(
    home: Annotated[
        Path | None,
        typer.Option("--dir", envvar="HANDOFF_HOME", help=h("help.root.root.home")),
    ] = None,
    _show_version: Annotated[bool, typer.Option(
        "--version", is_eager=True, callback=_version, help=h("help.root.version"))] = False,
) -> None:
    """The root: ``--dir`` (or HANDOFF_HOME) chooses the site; ``--version`` answers and exits."""
    state.home = Path(home) if home else None  # the folder name as typed (see _folder_as_typed)


commands.register(app)


def command_tree() -> Command:
    """The command tree as typer builds it, with ``--dir`` taken after any command too (``handoff status --dir X``,
    as HANDOFF_HOME is) and ``--version`` on ``audit`` (for ``handoff-audit --version``)."""
    root = typer.main.get_command(app)
    shared = {p.name: p for p in root.params}
    shared["home"].process_value = types.MethodType(_folder_as_typed, shared["home"])  # type: ignore[method-assign]
    _share_dir(root, shared["home"])
    audit = getattr(root, "commands", {}).get("audit")
    if audit is not None:
        audit.params.append(_copy(shared["_show_version"], expose_value=False))
    return root


def _share_dir(group: Command, home: Parameter) -> None:
    for sub in getattr(group, "commands", {}).values():
        if not any("--dir" in p.opts for p in sub.params):
            shared = _copy(home, envvar=None, expose_value=False)
            shared.process_value = types.MethodType(_set_home, shared)  # type: ignore[method-assign]
            sub.params.append(shared)
        _share_dir(sub, home)


def _copy(param: Parameter, **changes: object) -> Parameter:
    clone = copy.copy(param)
    for key, value in changes.items():
        setattr(clone, key, value)
    return clone


def _folder_as_typed(_param: Parameter, _ctx: Context, value: object) -> object:
    """``--dir`` is read as the text typed: typer's own conversion would load pydantic before ``--help`` of a
    command is shown (``handoff custody store --help`` answers at once)."""
    return value or None


def _set_home(_param: Parameter, _ctx: Context, value: object) -> None:
    """``--dir`` after a command: read after the one before it, so the later one wins."""
    if value:
        state.home = Path(str(value))


def audit_main() -> None:
    """``handoff-audit``: the audit on its own, for an auditor's PC or a timer (the same handler and codes)."""
    main(None, command="audit")


def main(argv: list[str] | None = None, *, command: str | None = None) -> None:
    """Entry point: typer handles usage errors (exit 2); every other outcome is reported here, once.

    HandoffError prints its message and exit code; an OSError saying the disk is full, read-only or not ours is a
    WriteError (exit 11); Ctrl+C or SIGTERM is exit 130; anything else is a bug (exit 10) — never a traceback.
    """
    runtime.collect_less()
    runtime.library_settings()
    guard = runtime.INTERRUPTS
    guard.install()
    hooks = sys.unraisablehook, threading.excepthook
    sys.unraisablehook, threading.excepthook = _unraisable, _thread_failed
    code: int | None = None
    try:
        guard.arm()
        code = _outcome(argv, command)
        guard.settle()
    except KeyboardInterrupt:  # the one interrupt landed while the outcome was being reported
        guard.settle()
        if code is None:
            code = _report(Interrupted("system.interrupted"))
    finally:
        if argv is not None:  # tests pass their arguments and go on running: leave the process as it was
            guard.restore()
            sys.unraisablehook, threading.excepthook = hooks
    if argv is None:  # this process is the command: it ends here, with the outcome already reported
        runtime.end_process(code)
    sys.exit(code)


def _outcome(argv: list[str] | None, command: str | None = None) -> int:
    """Run the command (``command`` first, for a console script that is one command); report how it ended and
    return the exit code."""
    args = argv if command is None else [command, *(sys.argv[1:] if argv is None else argv)]
    try:
        command_tree()(args=args, prog_name="handoff" if command is None else f"handoff-{command}")
    except SystemExit as exc:
        if _chain_has(exc, KeyboardInterrupt):  # typer turns Ctrl+C into a silent exit 130 (or 1 at a prompt)
            return _report(Interrupted("system.interrupted"))
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    except HandoffError as exc:
        return _report(exc)
    except KeyboardInterrupt:
        return _report(Interrupted("system.interrupted"))
    except Exception as exc:
        if _chain_has(exc, KeyboardInterrupt):  # a library's cleanup failed because of Ctrl+C (pyzipper's close)
            return _report(Interrupted("system.interrupted"))
        mapped = find_write_error(exc) or ledger_write_error(exc)
        if mapped is None:
            return _report_bug(exc)
        return _report(locate(mapped, sys.argv[1:] if argv is None else argv))
    return 0


def _chain_has(exc: BaseException, kind: type[BaseException]) -> bool:
    """Is ``exc``, or an exception it was raised from or while handling, a ``kind``?"""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


_LABELS = {ExitCode.INTERRUPTED: "system.interrupted_label", ExitCode.DECLINED: "system.declined_label"}


def _report(exc: HandoffError) -> int:
    """Print ``エラー [code] message`` and ``終了コード N`` on stderr (control characters made visible); log it."""
    from rich.markup import escape

    from handoff.messages import t

    label = t(_LABELS.get(exc.exit_code, "system.error_label"))
    err_console.print(f"[bold red]{label}[/] {escape(printable(f'[{exc.code}] {exc.message()}'))}")
    err_console.print(f"{t('system.exit_code')} {int(exc.exit_code)}")
    _log("error", code=exc.code, exit_code=int(exc.exit_code))
    return int(exc.exit_code)


def _report_bug(exc: BaseException) -> int:
    """An exception nobody expected: its type and where it was raised are shown and logged — not its text, which
    may quote a value from the export."""
    import traceback

    frames = [(_short(f.filename), f"{f.lineno} {f.name}", f.filename.startswith(_PACKAGE))
              for f in traceback.extract_tb(exc.__traceback__)]
    ours = [f"{name}:{line}" for name, line, inside in frames if inside]
    kind = type(exc).__name__
    code = _report(HandoffError("system.internal", error=kind, where=ours[-1] if ours else "?"))
    _log("internal_error", exception=kind, frames=[f"{name}:{line}" for name, line, _inside in frames])
    return code


_PACKAGE = str(Path(__file__).parents[1]) + "/"  # as the tracebacks spell it


def _short(filename: str) -> str:
    """A source file as ``pipeline/run.py`` (handoff's) or ``typer/main.py`` (a library's): no folders above."""
    if filename.startswith(_PACKAGE):
        return filename[len(_PACKAGE) :]
    return "/".join(Path(filename).parts[-2:])


def _unraisable(info: sys.UnraisableHookArgs) -> None:
    """An error Python cannot raise (a ``__del__`` or a callback, such as a ZIP closed twice after a full disk):
    logged by its type, not printed as a traceback after the message."""
    where = getattr(info.object, "__qualname__", type(info.object).__name__)
    _log("unraisable", exception=info.exc_type.__name__, where=str(where))
    if issubclass(info.exc_type, KeyboardInterrupt):  # the interrupt itself was swallowed there: raise it again
        runtime.INTERRUPTS.lost()


def _thread_failed(info: threading.ExceptHookArgs) -> None:
    """A thread outside a worker pool ended with an error (a pool's error reaches the command): logged by type."""
    _log("thread_failed", exception=info.exc_type.__name__, thread=info.thread.name if info.thread else "")


def _log(event: str, **fields: object) -> None:
    """Log, but a log that cannot be written never changes the outcome being reported."""
    from handoff.log import get_logger

    with contextlib.suppress(Exception):
        get_logger().error(event, **fields)
