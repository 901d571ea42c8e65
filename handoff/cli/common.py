"""What every command shares: the chosen site, the console, the language-aware printer."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

if TYPE_CHECKING:
    from handoff.config import SiteConfig
    from handoff.errors import WriteError


@dataclass
class State:
    home: Path | None = None
    site: SiteConfig | None = None  # once loaded: the error handler names its folders


state = State()
console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def site() -> SiteConfig:
    """Load the site chosen by ``--dir`` / ``HANDOFF_HOME`` and start its log file."""
    from handoff.config import load_site
    from handoff.log import configure

    cfg = load_site(state.home)
    state.site = cfg
    configure(cfg.data_path)
    return cfg


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
