"""連名: a piece carrying documents of several people of one household, addressed to them jointly.

A programme declares ``[recipient.joint]`` (``handoff.programme.RecipientSpec.Joint``): the name field, the most
names on one piece (``max``) and whether a shared family name is written once (``family_once``). Each distinct
name among a piece's documents, in document order, is one line ending in 「様」:

- ``family_once = true``: a name whose family name is exactly the line above's is written with that family name
  as blanks of the same width, so its given name stands under the given name above — 「山田 太郎 様」 then
  「　　　花子 様」. A name is split at its first blank (full-width or half-width) as the export writes it; a
  name without a blank is never split, so it is always written whole.
- ``family_once = false``: every name whole.

The vendor file gets the columns 氏名1..``max`` after the window's 住所1..N, and the proof draws the same lines.
When the vendor's window profile says the names are printed in the window (``names``), they take of its lines:
a piece's name lines must fit beside the longest of its address layouts, each within a line's width; and the
window step (``handoff.mail.window``) makes a row an exception when even its own name alone finds no line.

A piece with more names than ``max``, or whose name lines do not fit the window, is addressed to its first name
only, with a warning finding (``mail.joint_first_only``, on the row of its first document; the reason as a code).
It is not an exception: every document of the piece is correct and each names its own person inside, the envelope
is addressed as the ward addressed it before 連名, and holding a household's notices back for the envelope's
layout would delay decisions that have deadlines. The findings let staff see how many pieces were so addressed.

Without ``[recipient.joint]`` nothing here runs.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from handoff.contract import ROW
from handoff.mail import recipient, window
from handoff.report import Finding

if TYPE_CHECKING:
    import pandas as pd

    from handoff.config import WindowProfile
    from handoff.programme import ProgramSpec

LABEL = "氏名{n}"  # the vendor file's columns 氏名1..max
FIRST_ONLY = "mail.joint_first_only"
OVER_MAX = "over_max"  # the finding's detail: more names than ``max``
NO_ROOM = "window"  # the finding's detail: the name lines do not fit the window
HONORIFIC = recipient.HONORIFIC

_BLANK = re.compile("[ \u3000]")  # the blanks a name is split at
_BLANKS = re.compile("[ \u3000]+")


def declares(spec: ProgramSpec) -> bool:
    """Whether the programme addresses pieces jointly."""
    return spec.recipient.joint is not None and not spec.postcard


def split(name: str) -> tuple[str, str] | None:
    """(family name with the blank after it, given name) at the name's first blank; None without one."""
    text = name.strip(" \u3000")
    found = _BLANK.search(text)
    if found is None:
        return None
    family, given = text[: found.end()], text[found.end():].lstrip(" \u3000")
    return (family, given) if given else None


def _blank_as_wide(text: str) -> str:
    """Blanks taking the same width as ``text``: a full-width blank for each wide character, else a space."""
    return "".join("\u3000" if window.width(ch) == 2 else " " for ch in text)


def name_lines(names: Sequence[str], family_once: bool) -> list[str]:
    """One line per name, each ending in 「様」; with ``family_once`` a family name exactly the same as the line
    above's is written as blanks of its width."""
    lines: list[str] = []
    above: tuple[str, str] | None = None
    for name in names:
        parts = split(name)
        if family_once and parts and above and parts[0].rstrip(" \u3000") == above[0].rstrip(" \u3000"):
            lines.append(_blank_as_wide(parts[0]) + parts[1] + HONORIFIC)
        else:
            lines.append(name.strip(" \u3000") + HONORIFIC)
        above = parts
    return lines


def distinct(names: Sequence[str]) -> list[str]:
    """The names of a piece once each, in document order; blank ones left out. Two spellings differing only in
    their blanks are one person's (the first spelling is kept)."""
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        key = _BLANKS.sub(" ", name.strip(" \u3000"))
        if key and key not in seen:
            seen.add(key)
            out.append(name)
    return out


class Addressees(NamedTuple):
    """A piece's name lines, and why it went to its first name only ("" when every name is written)."""

    lines: tuple[str, ...]
    reason: str = ""


def address(names: Sequence[str], most: int, family_once: bool, room: int | None, chars: int | None
            ) -> Addressees:
    """The name lines of one piece's distinct ``names``: all of them, or the first only when there are more than
    ``most`` or they do not fit ``room`` lines of ``chars`` full-width places (None: no window to fit)."""
    lines = name_lines(names, family_once)
    if len(lines) > most:
        return Addressees(tuple(lines[:1]), OVER_MAX)
    wide = chars is not None and any(window.width(line) > 2 * chars for line in lines)
    if len(lines) > 1 and ((room is not None and len(lines) > room) or wide):
        return Addressees(tuple(lines[:1]), NO_ROOM)
    return Addressees(tuple(lines))


class Decided(NamedTuple):
    """Per piece (in order of first appearance): its name lines and the position of its first document; per row:
    the number of its piece in that order."""

    pieces: list[Addressees]
    first: list[int]
    of_row: list[int]


def decide(table: pd.DataFrame, spec: ProgramSpec, win: WindowProfile | None, piece: Sequence[Hashable]
           ) -> Decided:
    """The name lines of every piece of ``table`` (``piece``: each row's piece), documents in ``doc_index``
    order. With names in the window, a piece's lines fit beside the longest of its rows' address layouts."""
    joint = spec.recipient.joint
    assert joint is not None  # noqa: S101 -- callers ask declares() first
    names = recipient.addressed_names(table, spec, joint.field)
    fit = win if window.names_share(win) else None  # the window the names must fit beside the address, if any
    used = [len(lay.lines) for lay in window.layouts(table, spec, fit)] if fit is not None else []
    place = ([int(v) for v in table["doc_index"].tolist()] if "doc_index" in table.columns
             else list(range(len(table))))
    number: dict[Hashable, int] = {}
    members: list[list[int]] = []
    of_row: list[int] = []
    for i, key in enumerate(piece):
        n = number.setdefault(key, len(members))
        if n == len(members):
            members.append([])
        members[n].append(i)
        of_row.append(n)
    pieces: list[Addressees] = []
    first: list[int] = []
    for rows in members:
        rows.sort(key=lambda i: place[i])
        room = fit.lines - max(used[i] for i in rows) if fit is not None else None
        pieces.append(address(distinct([names[i] for i in rows]), joint.max, joint.family_once, room,
                              fit.chars if fit is not None else None))
        first.append(rows[0])
    return Decided(pieces, first, of_row)


def findings(decided: Decided, table: pd.DataFrame, spec: ProgramSpec) -> list[Finding]:
    """A warning for each piece addressed to its first name only: its first document's row, the name field, the
    reason as a code (never a value)."""
    assert spec.recipient.joint is not None  # noqa: S101 -- callers ask declares() first
    rows = table[ROW].to_numpy()
    field = spec.recipient.joint.field
    return [Finding(FIRST_ONLY, "warning", int(rows[decided.first[n]]), field, p.reason)
            for n, p in enumerate(decided.pieces) if p.reason]


def columns(decided: Decided, most: int) -> list[list[str]]:
    """The columns 氏名1..``most``: each row holds its piece's name lines, unused ones empty."""
    out: list[list[str]] = [[] for _ in range(most)]
    for n in decided.of_row:
        lines = decided.pieces[n].lines
        for k in range(most):
            out[k].append(lines[k] if k < len(lines) else "")
    return out


def piece_lines(piece: pd.DataFrame, spec: ProgramSpec, win: WindowProfile | None) -> list[str]:
    """The name lines of one piece (all of ``piece``'s rows), as the vendor file's 氏名1..N hold them."""
    return list(decide(piece, spec, win, [0] * len(piece)).pieces[0].lines) if len(piece) else []
