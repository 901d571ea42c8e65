"""What every command shares: the chosen site, the console, the language-aware printer."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from rich.console import Console

    from handoff.config import SiteConfig
    from handoff.errors import WriteError


@dataclass
class State:
    home: Path | None = None
    site: SiteConfig | None = None  # once loaded: the error handler names its folders


state = State()


class _LazyConsole:
    """A rich Console made when it is first used: help pages and usage errors, which click prints, never load
    rich, so ``handoff … --help`` answers at once."""

    def __init__(self, **settings: Any) -> None:
        self._settings = settings
        self._made: Console | None = None

    def _console(self) -> Console:
        if self._made is None:
            from rich.console import Console

            self._made = Console(**self._settings)
        return self._made

    def __getattr__(self, name: str) -> Any:
        return getattr(self._console(), name)

    # ``with console:`` (rich's Live does it) looks these up on the type, not through __getattr__.
    def __enter__(self) -> Console:
        return self._console().__enter__()

    def __exit__(self, *exc: Any) -> None:
        self._console().__exit__(*exc)


console = cast("Console", _LazyConsole(highlight=False))
err_console = cast("Console", _LazyConsole(stderr=True, highlight=False))


def h(code: str) -> str:
    """The help text ``code`` (``messages/help.py``) in this process's language: typer reads help when the
    command line is built, so ``HANDOFF_LANG`` is read then."""
    from handoff.messages import t

    return t(code)


def field_label(key: str, *, area: str = "help.field") -> str:
    """What a payload key is called on the screen before the operator confirms it (``<area>.<key>``, else
    ``help.field.<key>``, else the key itself)."""
    from handoff.messages import CATALOGUE, t

    for code in (f"{area}.{key}", f"help.field.{key}"):
        if code in CATALOGUE:
            return t(code)
    return key


def site(*, log: bool = True) -> SiteConfig:
    """Load the site chosen by ``--dir`` / ``HANDOFF_HOME`` and start its log file. A command that only reads
    (``status``, ``ledger show``) passes ``log=False``: it has nothing to log, and the logging library stays
    unloaded, so it answers at once."""
    from handoff.config import load_site

    cfg = load_site(state.home)
    state.site = cfg
    if log:
        from handoff.log import configure

        configure(cfg.data_path)
    return cfg


def known_staff(cfg: SiteConfig, staff: str) -> None:
    """An unregistered staff id is refused first, in every command, as the custody rules refuse it (exit 6)."""
    from handoff.errors import CustodyError

    if cfg.staff_member(staff) is None:
        raise CustodyError("custody.unknown_staff", staff=staff)


def locate(error: WriteError, args: list[str]) -> WriteError:
    """A WriteError whose OSError named no file: the first folder — of a path on the command line, then the data
    folder — whose file system shows that same cause names it; else it stays as it is."""
    from handoff.errors import UNKNOWN_FOLDER, folder_write_error

    if error.params.get("folder") is not UNKNOWN_FOLDER:
        return error
    values = [arg.partition("=")[2] if arg.startswith("--") else arg for arg in args]
    folders = [Path(value).absolute().parent for value in values if "/" in value]
    folders += [state.site.data_path] if state.site is not None else []
    for folder in folders:
        found = folder_write_error(folder)
        if found is not None and found.code == error.code:
            return found
    return error


def ledger_write_error(exc: BaseException) -> WriteError | None:
    """A SQLite failure (no errno) while the ledger or data folder cannot be written: that WriteError."""
    import sqlite3

    if not isinstance(exc, sqlite3.Error) or state.site is None:
        return None
    from handoff.errors import folder_write_error
    from handoff.ledger.paths import LedgerPaths

    for folder in (LedgerPaths.of(state.site).root, state.site.data_path):
        found = folder_write_error(folder)
        if found is not None:
            return found
    return None


# C0 controls but tab and newline, DEL, and C1 controls (ESC, which starts every terminal sequence, is among them).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` made safe to print on a terminal: each control character becomes visible text such as ``\\x1b``,
    so a file name or message cannot move the cursor, recolour the screen or retitle the window."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def confirm(question: str) -> None:
    """Ask a yes/no question (no is the default). Anything but yes — no, an empty answer, the end of input — is
    :class:`~handoff.errors.Declined` (exit 13, nothing recorded); Ctrl+C stays an interrupt (130)."""
    import typer

    from handoff.errors import Declined

    try:
        agreed = typer.confirm(question, default=False)
    except typer.Abort as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):  # Ctrl+C: reported as the interrupt it is (130)
            raise KeyboardInterrupt from None
        raise Declined("system.declined") from None
    if not agreed:
        raise Declined("system.declined")


def ask(question: str, *, default: str | None = None, kind: type = str) -> Any:
    """A question with a typed answer; the end of input is :class:`~handoff.errors.Declined` (exit 13), as a no
    at :func:`confirm` is, and Ctrl+C stays an interrupt (130)."""
    import typer

    from handoff.errors import Declined

    try:
        return typer.prompt(question, default=default, type=kind)
    except typer.Abort as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):  # Ctrl+C: reported as the interrupt it is (130)
            raise KeyboardInterrupt from None
        raise Declined("system.declined") from None


def tell(line: str) -> None:
    """A line for the operator on stderr, printed as it is (file names are not markup)."""
    err_console.print(line, markup=False)


# --- listings --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    """A listing's column. A ``whole`` column (an id, a checkpoint, a command) is never cut, wrapped or shortened
    with "…": an operator copies it from the screen or from piped output into the next command."""

    heading: str
    whole: bool = False


NARROW = 6  # the least width a column that may wrap is given in a table; narrower, the listing is records


def print_rows(columns: Sequence[Column], rows: Sequence[Sequence[str]], *, title: str | None = None) -> None:
    """A listing on stdout: a table when every ``whole`` column fits at its full width beside the others wrapped
    (down to ``NARROW`` cells each), else one record per row, a ``heading: value`` line per column with a blank
    line between records. Piped output is 80 columns wide (``COLUMNS`` when set). Values are printed as text,
    never as markup, with control characters shown (``printable``)."""
    from rich.cells import cell_len

    cells = [[printable(str(v)) for v in row] for row in rows]
    need = len(columns) + 1  # the table's vertical rules
    for i, column in enumerate(columns):
        longest = max([cell_len(column.heading), *(cell_len(row[i]) for row in cells)])
        need += 2 + (longest if column.whole else min(longest, NARROW))  # 2: a space either side
    if title:
        console.print(title, markup=False, soft_wrap=True)
    if need <= console.width:
        _print_table(columns, cells)
        return
    for n, row in enumerate(cells):
        if n:
            console.print()
        for column, value in zip(columns, row, strict=True):
            # soft_wrap: the line goes out as it is (a terminal folds it on screen; copying keeps it whole).
            console.print(f"{column.heading}: {value}" if value else f"{column.heading}:", markup=False,
                          soft_wrap=True)


def _print_table(columns: Sequence[Column], cells: list[list[str]]) -> None:
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    table = Table()
    for i, column in enumerate(columns):
        if column.whole:
            width = max([cell_len(column.heading), *(cell_len(row[i]) for row in cells)])
            table.add_column(column.heading, no_wrap=True, min_width=width)
        else:
            table.add_column(column.heading, overflow="fold")
    for row in cells:
        table.add_row(*(Text(value) for value in row))
    console.print(table)
