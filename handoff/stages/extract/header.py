"""The header row of a delimited or xlsx export: every declared column once, nothing else.

A header cell is never shown: a file exported without its header has a resident's 氏名 and 住所 in its first
line, and even a true header cell could hold a value. Problems name column positions and counts; the names
shown are the programme's own (the declared columns that are missing). Every check is linear in the number
of cells, and every list shown is cut short: a header can hold a hundred thousand cells.
"""

from __future__ import annotations

from handoff.errors import InputError
from handoff.programme import SourceSpec

SHOWN = 8  # positions (or names) listed in a message; the rest are counted


class HeaderError(InputError):
    """A header refused by :func:`check_header`. It keeps the header's cells (``cells``, never a message
    parameter, so never shown) for :mod:`.hints` to compare with the other programmes' columns; ``extract.run``
    replaces it with a plain InputError before it leaves the stage."""

    def __init__(self, code: str, cells: list[str], **params: object) -> None:
        super().__init__(code, **params)
        self.cells = cells


def check_header(names: list[str], src: SourceSpec) -> dict[str, int]:
    """Each field's column index; a duplicate, missing or unexpected column is an InputError naming positions."""
    at: dict[str, list[int]] = {}
    for position, name in enumerate(names, 1):
        at.setdefault(name, []).append(position)
    declared = [c.column for c in src.columns]
    found = [d for d in declared if d in at]
    if not found:
        raise HeaderError("input.header_missing", names, found=counted(len(names)), expected=len(declared))
    repeated = [spots for spots in at.values() if len(spots) > 1]
    if repeated:
        raise HeaderError("input.header_duplicate", names, columns=_groups(repeated),
                          count=counted(len(repeated)))
    wanted = set(declared)
    missing = [d for d in declared if d not in at]
    unexpected = [p for p, name in enumerate(names, 1) if name not in wanted]
    if missing or unexpected:
        raise HeaderError(
            "input.header_mismatch",
            names,
            missing=_listed(missing) or "—",
            missing_count=counted(len(missing)),
            unexpected=spans(unexpected) or "—",
            unexpected_count=counted(len(unexpected)),
        )
    return {c.field: at[c.column][0] - 1 for c in src.columns}


def counted(n: int) -> str:
    """A count as messages show it: 99,990."""
    return f"{n:,}"


def spans(positions: list[int]) -> str:
    """Ascending column positions as runs, the first few only: ``3, 5–7, 12, …``."""
    runs: list[str] = []
    start = prev = 0
    for p in [*positions, 0]:  # the 0 ends the last run
        if start and p == prev + 1:
            prev = p
            continue
        if start:
            runs.append(str(start) if start == prev else f"{start}–{prev}")
            if len(runs) == SHOWN:
                return ", ".join(runs) + (", …" if p else "")
        start = prev = p
    return ", ".join(runs)


def _groups(repeated: list[list[int]]) -> str:
    """Positions that hold the same name, group by group: ``3/7, 5/9/11, …``."""
    shown = ["/".join(map(str, spots[:SHOWN])) + ("/…" if len(spots) > SHOWN else "") for spots in repeated[:SHOWN]]
    return ", ".join(shown) + (", …" if len(repeated) > SHOWN else "")


def _listed(names: list[str]) -> str:
    """The programme's column names, the first few only."""
    return "、".join(names[:SHOWN]) + ("、…" if len(names) > SHOWN else "")
