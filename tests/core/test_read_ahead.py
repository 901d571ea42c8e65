"""Read-ahead: the export read while the libraries load is handed to extract only if it is still the same file."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

from handoff.contract import ROW
from handoff.jp import iconv
from handoff.stages.extract import read_ahead
from tests.core.test_extract import HEADER, ROW1, _ctx, _large_body

LINE = "00000001,01,1620055,東京都新宿区余丁町5番12号,見本　花子,S450101,1"


def _export(tmp_path: Path, rows: int = 200_000, *, header: str | None = HEADER, line: str | None = None,
            poke: bytes = b"") -> tuple[Path, bytes]:
    lines = [line.replace(",01,", f",{i % 100:02d},") for i in range(rows)] if line else _large_body(rows)
    data = "\r\n".join([header, *lines] if header else lines).encode("cp932") + b"\r\n\x1a"
    if poke:
        at = data.index(b"\r\n", len(data) // 2) + 2
        data = data[:at] + poke + data[at:]
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    return path, data


def _extract(path: Path, programme: str = "kodomo-iryosho"):  # type: ignore[no-untyped-def]
    from handoff.stages import extract

    spec, ctx = _ctx(programme)
    read_ahead.start(path, spec.source)  # type: ignore[attr-defined]
    return extract.run(path, spec, ctx).table  # type: ignore[arg-type]


def _taken(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each take handed extract a read-ahead."""
    seen: list[bool] = []
    real = read_ahead.take

    def spy(path: Path, source: object) -> read_ahead.Ahead | None:
        got = real(path, source)  # type: ignore[arg-type]
        seen.append(got is not None)
        return got

    monkeypatch.setattr(read_ahead, "take", spy)
    return seen


def test_a_large_cp932_export_is_read_ahead_and_reads_as_python_reads_it(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A 20 MB CP932 export read ahead gives the same rows and line numbers as Python's codec and csv module."""
    taken = _taken(monkeypatch)
    path, data = _export(tmp_path)
    table = _extract(path)
    assert taken == [True]
    expected = list(csv.reader(io.StringIO(data.decode("cp932").rstrip("\r\n\x1a"), newline="")))[1:]
    assert table["jido_shimei"].tolist() == [r[2] for r in expected]
    assert table["yuko_shuryo"].tolist() == [r[8] for r in expected]  # the last column: the end was cut right
    assert table[ROW].tolist() == list(range(2, len(expected) + 2))


def test_a_headerless_export_read_ahead_keeps_its_first_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a header line (生活保護) the body starts at byte 0 of the read-ahead: no row is lost."""
    taken = _taken(monkeypatch)
    path, _ = _export(tmp_path, 400_000, header=None, line=LINE)
    table = _extract(path, "seikatsu-hogo")
    assert taken == [True]
    assert len(table) == 400_000 and table[ROW].iloc[0] == 1 and table["setaiin_bango"].iloc[1] == "01"


def test_a_byte_only_pythons_codec_reads_still_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """0xA0 (which iconv refuses) in a read-ahead export: Python's codec reads the body, as without read-ahead."""
    taken = _taken(monkeypatch)
    path, data = _export(tmp_path, poke=b"\xa0")
    table = _extract(path)
    assert taken == [True]
    expected = list(csv.reader(io.StringIO(data.decode("cp932").rstrip("\r\n\x1a"), newline="")))[1:]
    assert table["futansha_bango"].tolist() == [r[0] for r in expected]


def test_a_file_changed_after_the_read_ahead_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file rewritten after its read-ahead began is read again by extract: the new rows, never the old ones."""
    taken = _taken(monkeypatch)
    path, _ = _export(tmp_path)
    spec, ctx = _ctx("kodomo-iryosho")
    read_ahead.start(path, spec.source)  # type: ignore[attr-defined]
    newer = "\r\n".join([HEADER, *[ROW1] * 3]).encode("cp932")
    path.write_bytes(newer)
    os.utime(path, ns=(1, 1))  # a different modification time whatever the clock's resolution
    from handoff.stages import extract

    table = extract.run(path, spec, ctx).table  # type: ignore[arg-type]
    assert taken == [False] and len(table) == 3


def test_a_read_ahead_is_handed_over_once(tmp_path: Path) -> None:
    """The second take of one path finds nothing: a later run reads the file afresh."""
    path, data = _export(tmp_path)
    spec, _ = _ctx("kodomo-iryosho")
    read_ahead.start(path, spec.source)  # type: ignore[attr-defined]
    first = read_ahead.take(path, spec.source)  # type: ignore[attr-defined]
    assert first is not None and first.data == data
    assert (first.utf8 is not None) == iconv.usable()
    assert read_ahead.take(path, spec.source) is None  # type: ignore[attr-defined]


@pytest.mark.parametrize(("programme", "rows"), [("kodomo-iryosho", 1_000), ("keirokai", 200_000)])
def test_small_or_utf8_exports_are_not_read_ahead(tmp_path: Path, programme: str, rows: int) -> None:
    """A small CP932 export, or an export declared UTF-8, is left to extract (nothing pending)."""
    path, _ = _export(tmp_path, rows)
    spec, _ = _ctx(programme)
    read_ahead.start(path, spec.source)  # type: ignore[attr-defined]
    assert read_ahead.take(path, spec.source) is None  # type: ignore[attr-defined]


def test_the_read_ahead_value_never_shows_the_export(tmp_path: Path) -> None:
    """repr of a read-ahead holds no byte of the export (it may reach a log or a traceback)."""
    path, _ = _export(tmp_path)
    spec, _ = _ctx("kodomo-iryosho")
    read_ahead.start(path, spec.source)  # type: ignore[attr-defined]
    ahead = read_ahead.take(path, spec.source)  # type: ignore[attr-defined]
    assert ahead is not None and "見本" not in repr(ahead) and "88134457" not in repr(ahead)


def test_a_read_ahead_is_not_handed_to_a_reader_of_another_encoding(tmp_path: Path) -> None:
    """A read-ahead converted as CP932 is never given to a source declared UTF-8 for the same file."""
    path, _ = _export(tmp_path)
    cp932, _ = _ctx("kodomo-iryosho")
    utf8, _ = _ctx("keirokai")
    read_ahead.start(path, cp932.source)  # type: ignore[attr-defined]
    assert read_ahead.take(path, utf8.source) is None  # type: ignore[attr-defined]
    assert read_ahead.take(path, cp932.source) is None  # type: ignore[attr-defined]  # and it is gone
