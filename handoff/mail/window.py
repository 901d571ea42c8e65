"""The envelope window's lines: the piece's address, 方書 and 様方 laid into the lines the vendor profile declares.

A window holds ``lines`` lines of ``chars`` full-width characters (a half-width letter, digit or kana takes half a
place). Each part begins a new line — the address, then the 方書 (building and room; a building written into the
address after a blank counts as one), then 「○○様方」 on its own line — and a part that does not fit on one line
is broken only at a natural point:

- after the prefecture, the city (市), the ward (区) or 郡…町/村 at the address's start;
- after 丁目, 番地, 番 and 号 (but never inside 号室);
- at a blank, and where a building name starts after a number (「1-2-3サンプル荘」);
- never inside a number, arabic or kanji, with its hyphens (「1-2-3」, 「二十三」), nor inside a room number
  (「203号室」).

A piece whose parts cannot be laid out so — a piece longer than a line with no break point, or more lines than
the window has — has no layout: it is an exception (``mail.window_overflow``, naming row and field), never cut.
:func:`run` is that check as a stage; :func:`window_lines` gives the lines to the vendor file and the proof.
With 連名 names printed in the window (``handoff.mail.joint``), a row whose own name finds no line is one too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any, NamedTuple

from handoff.contract import ROW, StageContext, StageResult
from handoff.mail import recipient
from handoff.report import Finding

if TYPE_CHECKING:
    import pandas as pd

    from handoff.config import WindowProfile
    from handoff.programme import ProgramSpec

OVERFLOW = "mail.window_overflow"
LABEL = "住所{n}"  # the vendor file's columns 住所1..N

_BLANK = re.compile(r"[\s\u3000]+")
_WORD = re.compile(r"([\s\u3000]*)([^\s\u3000]+)")  # a word and the blanks before it
# Where the prefecture, the city, the ward and a 郡's 町/村 end, at the address's start. The name before 市 or 区
# may not itself hold 市/区/郡/町/村, so 「市川市」 is one piece and never 「市|川市」.
_HEAD = re.compile(
    r"(?P<pref>東京都|北海道|京都府|大阪府|[^\s都道府県]{2,3}県)?"
    r"(?P<city>[^\s市区郡町村]{1,6}市|[^\s市区郡町村]{1,4}郡[^\s市区郡町村]{1,4}[町村])?"
    r"(?P<ward>[^\s市区郡町村]{1,4}区)?"
)
_DIGIT = "0-9０-９"
_KANJI_DIGIT = "〇一二三四五六七八九十百千"
_DASH = "\\-‐－−ー―"
# After a mark that ends a number's part: 丁目, 番地, 番, 号 — but 号 followed by 室 is part of a room number.
# A mark followed by の or a dash goes on with the same number (「1番地の5」, 「3号-2」); one followed by 町 or 線
# belongs to a place name (千代田区「一番町」, 「1号線」).
_MARK_END = re.compile(rf"(?<=[{_DIGIT}{_KANJI_DIGIT}])(?:丁目|番地|番(?!地)|号(?!室))(?![の{_DASH}町線])")
# A building name beginning after a number (arabic, with hyphens): 「1-2-3|サンプル荘」; not a mark, a floor, a
# 条 (「北1条西」) or a letter that goes with the number (「203A」).
_AFTER_NUMBER = re.compile(
    rf"(?<=[{_DIGIT}])(?=[^{_DIGIT}{_KANJI_DIGIT}{_DASH}丁番号のF階室棟条線地A-Za-zＡ-Ｚａ-ｚ])")


# A building written into the address after a blank: the first blank that follows a number (or its mark) and
# precedes a name, 「…1-2-3　サンプル荘203号室」. The building starts a line of its own, as a 方書 does.
_BUILDING = re.compile(
    rf"(?P<street>.*?[{_DIGIT}{_KANJI_DIGIT}](?:丁目|番地|番|号)?)[\s\u3000]+(?P<building>[^\s\u3000{_DIGIT}{_DASH}].*)")


class Part(NamedTuple):
    """One part of the window (address, 方書 or 様方) and the field it comes from (for the finding)."""

    text: str
    field: str


_HALF = re.compile("[\u0000-\u007f\uff61-\uff9f]")  # ASCII and half-width kana: half a place


def width(text: str) -> int:
    """The text's width in half places: a half-width character (ASCII, half-width kana) 1, any other 2."""
    return 2 * len(text) - len(_HALF.findall(text))


def _cuts(text: str, *, address: bool) -> list[int]:
    """The positions where ``text`` may be broken between two lines (sorted, without 0 and len)."""
    cuts: set[int] = set()
    if address:
        head = _HEAD.match(text)
        if head:
            cuts |= {head.end(g) for g in ("pref", "city", "ward") if head.group(g)}
    cuts |= {m.end() for m in _MARK_END.finditer(text)}
    cuts |= {m.start() for m in _AFTER_NUMBER.finditer(text)}
    return sorted(c for c in cuts if 0 < c < len(text))


class Unit(NamedTuple):
    """A piece of a part that is never broken, and the blank written before it when it does not begin a line."""

    text: str
    blank: str = ""


def _units(text: str, *, address: bool) -> list[Unit]:
    """The pieces of one part that are never broken. A run of blanks separates two pieces: kept as its first
    blank between them on one line, dropped at a line's start or end."""
    units: list[Unit] = []
    for match in _WORD.finditer(text.strip()):
        before, word = match.group(1)[:1], match.group(2)
        edges = [0, *_cuts(word, address=address), len(word)]
        units += [Unit(word[a:b], before if a == 0 else "") for a, b in pairwise(edges)]
    return units


def _fill(units: Sequence[Unit], limit: int) -> list[str] | None:
    """The units packed greedily into lines of at most ``limit`` half places; None when one unit is wider."""
    lines: list[str] = []
    line, used = "", 0  # the line being filled and its width
    for unit in units:
        size = width(unit.text)
        if size > limit:
            return None
        if line and used + width(unit.blank) + size > limit:
            lines.append(line)
            line, used = "", 0
        if line:
            line, used = line + unit.blank, used + width(unit.blank)
        line, used = line + unit.text, used + size
    if line:
        lines.append(line)
    return lines


def care_text(value: str) -> str:
    """The 様方 line: the value as written when it already ends in 様方, 方 or 気付, else 「○○様方」."""
    text = _BLANK.sub("", value)
    if not text or text.endswith(("様方", "方", "気付")):
        return text
    return text + "様方"


class Layout(NamedTuple):
    """The window lines of one piece, or (when it does not fit) the field that overflowed."""

    lines: tuple[str, ...]
    overflow: str = ""


def lay_out(parts: Sequence[Part], chars: int, lines: int | None) -> Layout:
    """The parts laid into lines of ``chars`` full-width places, each part from a new line; at most ``lines``
    lines (None: as many as needed). A part that cannot fit names its field in ``overflow``."""
    out: list[str] = []
    for i, part in enumerate(_with_building(parts)):
        if not part.text.strip():
            continue
        text = part.text.strip()
        # Most parts fit one line as they are: greedy filling would give that line, so it is not worked out.
        fits = width(text) <= 2 * chars and not _BLANK.search(text)
        filled = [text] if fits else _fill(_units(text, address=i == 0), 2 * chars)
        if filled is None or (lines is not None and len(out) + len(filled) > lines):
            return Layout((), part.field or "-")
        out += filled
    return Layout(tuple(out))


def _with_building(parts: Sequence[Part]) -> list[Part]:
    """The parts with a building written into the address (after a blank) as a part of its own, after the
    street; the address stays the first part, so its head (prefecture, city, ward) is still found."""
    if not parts:
        return []
    found = _BUILDING.fullmatch(parts[0].text.strip())
    if found is None:
        return list(parts)
    head, *rest = parts
    return [Part(found["street"], head.field), Part(found["building"], head.field), *rest]


def parts_of(address: str, katagaki: str, care: str, fields: recipient.Fields) -> list[Part]:
    """The window's parts in print order: address, 方書, 様方."""
    return [Part(address, fields.address), Part(katagaki, fields.katagaki), Part(care_text(care), fields.care)]


def layouts(table: pd.DataFrame, spec: ProgramSpec, window: WindowProfile) -> list[Layout]:
    """Each row's layout in ``window`` (from its destination: the 送付先 when it has one). Equal destinations are
    laid out once (a household's documents share theirs)."""
    dest = recipient.destination(table, spec)
    seen: dict[tuple[str, str, str, bool], Layout] = {}
    out: list[Layout] = []
    limit = 2 * window.chars
    for key in zip(dest.address_values, dest.katagaki_values, dest.care_values, dest.going, strict=True):
        layout = seen.get(key)
        if layout is None:
            address, katagaki, care, going = key
            line = address.strip()
            # The common piece: an address alone that fits one line is that line (what lay_out gives it).
            if line and not katagaki.strip() and not care.strip() and width(line) <= limit and \
                    not _BLANK.search(line):
                layout = Layout((line,))
            else:
                layout = lay_out(parts_of(address, katagaki, care, dest.fields(going)), window.chars, window.lines)
            seen[key] = layout
        out.append(layout)
    return out


def window_lines(table: pd.DataFrame, spec: ProgramSpec, window: WindowProfile) -> tuple[list[Any], int | None]:
    """The columns 住所1..N (``window.lines`` Arrow string arrays, unused lines empty) of every row, and the
    position of the first row that does not fit (None when all do: the window step sets such rows aside, so
    the caller refuses one)."""
    import pyarrow as pa

    laid = layouts(table, spec, window)
    bad = next((i for i, lay in enumerate(laid) if lay.overflow), None)
    padded = [(*lay.lines, *[""] * (window.lines - len(lay.lines))) for lay in laid]
    columns = list(zip(*padded, strict=True)) if padded else [() for _ in range(window.lines)]
    return [pa.array(list(col), pa.large_string()) for col in columns], bad


def overflowing(table: pd.DataFrame, spec: ProgramSpec, window: WindowProfile) -> list[Finding]:
    """An error finding for every row whose destination does not fit the window (row and field, no value)."""
    rows = table[ROW].to_numpy()
    return [Finding(OVERFLOW, "error", int(rows[i]), layout.overflow)
            for i, layout in enumerate(layouts(table, spec, window)) if layout.overflow]


def run(table: pd.DataFrame, spec: ProgramSpec, ctx: StageContext) -> StageResult:
    """Rows whose destination does not fit the vendor's window become exceptions before any piece is made (a
    profile without a window: nothing to check)."""
    window = ctx.profile.window
    if window is None or spec.postcard:  # a postcard is printed, not enveloped: no window
        return StageResult(table, [], {})
    if spec.recipient.joint is None or not names_share(window):
        findings = overflowing(table, spec, window)
    else:  # 連名 printed in the window: each row's own name needs a line beside its address
        laid = layouts(table, spec, window)
        rows = table[ROW].to_numpy()
        findings = [Finding(OVERFLOW, "error", int(rows[i]), lay.overflow) for i, lay in enumerate(laid)
                    if lay.overflow]
        findings += name_overflow(table, spec, window, laid)
    return StageResult(table, findings, {"window_overflow": len(findings)})


def names_share(window: WindowProfile | None) -> bool:
    """Whether the vendor prints the names in the envelope window under the address lines, so that they take of
    its lines (the window profile's ``names``; a profile that does not say keeps them out of the budget)."""
    return window is not None and window.names


def name_overflow(table: pd.DataFrame, spec: ProgramSpec, window: WindowProfile, laid: Sequence[Layout]
                  ) -> list[Finding]:
    """連名 printed in the window: an error finding (row and name field) for each row whose address leaves no
    line for its own name, or whose name line is wider than a line — such a row cannot be addressed even to its
    first name alone (``handoff.mail.joint`` addresses a piece to its first name when the others do not fit).
    Rows that already overflow are left to that finding."""
    if spec.recipient.joint is None:
        return []
    field = spec.recipient.joint.field
    rows = table[ROW].to_numpy()
    out: list[Finding] = []
    for i, (name, lay) in enumerate(zip(recipient.addressed_names(table, spec, field), laid, strict=True)):
        text = name.strip(" \u3000")
        if lay.overflow or not text:
            continue
        if len(lay.lines) + 1 > window.lines or width(text + recipient.HONORIFIC) > 2 * window.chars:
            out.append(Finding(OVERFLOW, "error", int(rows[i]), field))
    return out
