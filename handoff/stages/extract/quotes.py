"""Quoting that Arrow's CSV parser accepts silently and RFC 4180 does not: a quote left open at the end of the
file, and text right after a closing quote. The records concerned are read again with the csv module in strict
mode, which tells a malformed export from a well-formed one.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import numpy.typing as npt

from handoff.errors import InputError
from handoff.stages.extract.lines import Body, blank_line_starts, last_line_start

_ONE_BY_ONE = 10_000  # more suspect quotes than this: the whole body is read strictly, in one pass
_QUOTE_BLOCK = 1 << 24  # bytes compared at a time: bounds the masks of a large export to a few tens of MB


def open_at_end(complaint: str) -> bool:
    """Is this strict csv complaint a quote still open at the end of the data? "unexpected end of data" is the
    csv module's one message for it; its others (text after a closing quote) are misplaced quoting."""
    return "end of data" in complaint


class Records:
    """Records of a parsed body, re-read with Python's csv module in strict mode.

    Arrow's parser is lenient where RFC 4180 is not, and silently so: an unclosed quote keeps the rest of the
    file as one value, and text after a closing quote is appended to the value without its quotes. Reading
    the few records concerned again, strictly, tells a malformed export from a well-formed one.
    """

    def __init__(self, body: Body, encoding: str, delimiter: str, first_line: int,
                 lines: npt.NDArray[np.int64] | list[int], newlines: int) -> None:
        self.body, self.encoding, self.delimiter = body, encoding, delimiter
        self.first_line = first_line
        self.lines = np.asarray(lines, dtype=np.int64)  # the first line of each record
        self.newlines = newlines
        self._breaks: npt.NDArray[np.int64] | None = None

    @property
    def breaks(self) -> npt.NDArray[np.int64]:
        """Byte offsets of the body's line ends: each LF and each CR not followed by one (made on first use:
        most bodies never need them)."""
        if self._breaks is None:
            data = np.frombuffer(self.body.view, dtype=np.uint8)
            ends = data == 0x0A
            ends[:-1] |= (data[:-1] == 0x0D) & ~ends[1:]
            ends[-1:] |= data[-1:] == 0x0D
            self._breaks = np.flatnonzero(ends)
        return self._breaks

    def _line_offset(self, line: int) -> int:
        """Byte offset of the start of ``line`` (a line number of the file)."""
        k = line - self.first_line  # line ends before it in the body
        if k == 0:
            return 0
        if k == self.newlines:  # the last line: no table of line breaks needed
            return last_line_start(self.body.data, self.body.start, self.body.end) - self.body.start
        return int(self.breaks[k - 1]) + 1

    def records_at(self, offsets: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Index of the record holding each byte offset of the body (distinct, ascending)."""
        lines = self.first_line + np.searchsorted(self.breaks, offsets)
        return np.unique(np.searchsorted(self.lines, lines, side="right") - 1)

    def strict_error(self, first: int, last: int | None = None) -> tuple[str, int]:
        """The csv module's first complaint about records ``first`` … ``last`` (default: ``first``) read
        strictly, and the first line of the record it concerns; ``("", 0)`` when there is none."""
        last = first if last is None else last
        start = self._line_offset(int(self.lines[first]))
        end = (len(self.body) if last + 1 == len(self.lines)
               else self._line_offset(int(self.lines[last + 1])))
        text = self.body.text(self.encoding, start, end)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter, strict=True)
        line = int(self.lines[first])
        try:
            for _ in reader:
                line = int(self.lines[first]) + reader.line_num
        except csv.Error as exc:
            return str(exc), line
        return "", 0


def refuse_open_quote(records: Records) -> None:
    """The last record must not end inside a quote: Arrow would keep everything after an unclosed quote in
    the last column as one value and report no error, so the rows after it would vanish without a trace."""
    last = len(records.lines) - 1
    # Any other strictness is judged by refuse_misplaced_quotes.
    if open_at_end(records.strict_error(last)[0]):
        raise InputError("input.unterminated_quote", line=int(records.lines[last]))


def refuse_blank_records(records: Records) -> None:
    """An empty line where a record begins is refused (the first, by its line); an empty line inside a quoted
    value is part of the value and passes."""
    starts = blank_line_starts(np.frombuffer(records.body.view, dtype=np.uint8))
    # the line of each: the body's first line plus the line ends before it
    lines = records.first_line + np.searchsorted(records.breaks, starts)
    blank = lines[np.isin(lines, records.lines)]
    if len(blank):
        raise InputError("input.blank_line", line=int(blank[0]))


def refuse_misplaced_quotes(records: Records) -> None:
    """Text right after a closing quote (``"Sunrise"Mansion``) is malformed: Arrow would drop the quotes and
    join the text. Suspects are runs of an odd number of quotes with text on both sides — a closing quote,
    perhaps after escaped pairs — and their records are read strictly. Inside an unquoted value such a run is
    a literal quote and passes; an even run is escaped quotes (or literal ones) and is not a suspect. A
    well-formed export, quoted or not, has no suspect, and is compared in numpy a block at a time.
    """
    if not records.body.has(b'"'):
        return
    suspects = _suspect_quotes(np.frombuffer(records.body.view, dtype=np.uint8), ord(records.delimiter))
    if len(suspects) > _ONE_BY_ONE:  # literal quotes all over an unquoted export, say
        problem, line = records.strict_error(0, len(records.lines) - 1)
        if problem:
            raise InputError("input.quote_misplaced", line=line)
        return
    for record in records.records_at(np.array(suspects, dtype=np.int64)).tolist():
        if records.strict_error(record)[0]:
            raise InputError("input.quote_misplaced", line=int(records.lines[record]))


def _suspect_quotes(data: npt.NDArray[np.uint8], delimiter: int) -> list[int]:
    """Offsets of the quote runs that may close a value with text after it (see refuse_misplaced_quotes);
    the search stops once there are more than _ONE_BY_ONE."""
    n = len(data)
    suspects: list[int] = []
    for lo in range(1, n - 1, _QUOTE_BLOCK):
        hi = min(n - 1, lo + _QUOTE_BLOCK)
        part = data[lo - 1 : hi + 1]  # one byte of context on each side
        quote = part == 0x22
        text = ~(quote | (part == delimiter) | (part == 0x0D) | (part == 0x0A))
        after_text = quote[1:-1] & text[:-2]
        single = np.flatnonzero(after_text & text[2:])
        longer = np.flatnonzero(after_text & quote[2:])
        suspects += (single + lo).tolist()
        for start in (longer + lo).tolist():  # a run of quotes after text: escaped pairs, mostly
            end = start + 1
            while end + 1 < n and data[end + 1] == 0x22:
                end += 1
            run_is_odd = (end - start) % 2 == 0
            if run_is_odd and end + 1 < n and data[end + 1] not in (delimiter, 0x0D, 0x0A):
                suspects.append(start)
        if len(suspects) > _ONE_BY_ONE:
            break
    return suspects
