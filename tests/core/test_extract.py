"""Extraction: every malformed input is a clear InputError (line/offset, never a value), never a traceback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from handoff.config import defaults_dir, load_site
from handoff.contract import ROW, StageContext
from handoff.errors import ExitCode, InputError
from handoff.programme import load_programme
from handoff.stages import extract

HEADER = "負担者番号,受給者番号,児童氏名,児童生年月日,保護者郵便番号,保護者住所,保護者氏名,有効開始日,有効終了日"
ROW1 = "88134457,0000018,見本　花子,4220314,162-0055,東京都新宿区余丁町5番12号,見本　太郎,5081001,5100331"


def _ctx(programme: str) -> tuple[object, StageContext]:
    site = load_site(defaults_dir())
    spec = load_programme(defaults_dir() / "pipelines" / f"{programme}.toml")
    return spec, StageContext("t", site, site.profile_of(spec.vendor), dt.datetime(2026, 11, 1))


def _read(tmp_path: Path, data: bytes, programme: str = "kodomo-iryosho"):  # type: ignore[no-untyped-def]
    path = tmp_path / "in.dat"
    path.write_bytes(data)
    spec, ctx = _ctx(programme)
    return extract.run(path, spec, ctx)  # type: ignore[arg-type]


def _error(tmp_path: Path, data: bytes, programme: str = "kodomo-iryosho") -> InputError:
    with pytest.raises(InputError) as err:
        _read(tmp_path, data, programme)
    assert err.value.exit_code == ExitCode.INPUT
    return err.value


def test_cp932_csv_reads_with_line_numbers(tmp_path: Path) -> None:
    """A CP932 CSV with CRLF reads into fields; data rows keep their source line numbers (header = line 1)."""
    data = "\r\n".join([HEADER, ROW1, ROW1.replace("0000018", "0000026")]).encode("cp932") + b"\r\n"
    table = _read(tmp_path, data).table
    assert list(table[ROW]) == [2, 3]
    assert table.loc[0, "hogosha_jusho"] == "東京都新宿区余丁町5番12号"


def test_quoted_newline_keeps_true_line_numbers(tmp_path: Path) -> None:
    """A quoted value spanning two lines shifts the following row's line number accordingly."""
    spanning = ROW1.replace("見本　花子", '"見本\r\n花子"')
    data = "\r\n".join([HEADER, spanning, ROW1]).encode("cp932")
    assert list(_read(tmp_path, data).table[ROW]) == [2, 4]


def test_wrong_encoding_names_line_and_byte(tmp_path: Path) -> None:
    """UTF-8 bytes in a CP932-declared file: error with line and byte offset, no value."""
    data = (HEADER + "\r\n").encode("cp932") + ROW1.encode("utf-8")
    err = _error(tmp_path, data)
    assert err.code == "input.decode" and err.params["line"] == 2
    assert "見本" not in err.message("ja")


def test_bad_byte_in_the_header_names_line_one(tmp_path: Path) -> None:
    """An undecodable byte in the header line is reported at line 1 with its byte offset."""
    err = _error(tmp_path, HEADER.encode("cp932")[:10] + b"\x81\x20" + b"\r\n" + ROW1.encode("cp932"))
    assert err.code == "input.decode" and err.params == {"encoding": "cp932", "line": 1, "offset": 11}


def _large_body(rows: int) -> list[str]:
    """Rows whose kanji straddle every read block boundary somewhere (about 40 MB of CP932 for 400,000 rows)."""
    names = ["髙橋　一郎", "見本　花子", "齋藤　ゆう", "渡邊　太郎"]
    return [ROW1.replace("0000018", f"{i:07d}").replace("見本　花子", names[i % 4] * (1 + i % 3))
            for i in range(rows)]


def _answers(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each call of the iconv conversion gave an answer (True) or left the body to Python's codec."""
    from handoff.jp import iconv

    seen: list[bool] = []
    real = iconv.cp932_to_utf8_parts

    def spy(body: bytes, parts: int | None = None):  # type: ignore[no-untyped-def]
        out = real(body, parts)
        seen.append(out is not None)
        return out

    monkeypatch.setattr(iconv, "cp932_to_utf8_parts", spy)
    return seen


def test_large_cp932_file_reads_like_the_csv_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 40 MB CP932 export decodes and parses exactly as Python's cp932 codec and csv module read it."""
    import csv
    import io

    from handoff.jp import iconv

    answers = _answers(monkeypatch)
    lines = _large_body(400_000)
    data = "\r\n".join([HEADER, *lines]).encode("cp932")
    table = _read(tmp_path, data).table
    assert answers == [iconv.usable()]  # converted by iconv wherever the C library's CP932 is usable
    expected = list(csv.reader(io.StringIO(data.decode("cp932"), newline="")))[1:]
    assert table["jido_shimei"].tolist() == [r[2] for r in expected]
    assert table["jukyusha_bango"].tolist() == [r[1] for r in expected]
    assert table[ROW].tolist() == list(range(2, len(lines) + 2))


def test_quoted_line_break_at_a_block_boundary_reads_like_the_csv_module(tmp_path: Path) -> None:
    """A quoted line break just before the 16 MiB block boundary is read as part of its value, not a row end."""
    import csv
    import io

    lines = _large_body(200_000)
    # The row of the UTF-8 body (what Arrow parses) that the first block boundary falls in; its first
    # value, a few bytes before that boundary, gets a quoted line break: the last LF before the boundary.
    ends = np.cumsum([len(line.encode()) + 2 for line in lines])
    row = int(np.searchsorted(ends, 1 << 24))
    assert int(ends[row]) - len(lines[row].encode()) - 2 + 12 < 1 << 24  # the break lies before the boundary
    lines[row] = '"88\r\n134457"' + lines[row][len("88134457"):]
    data = "\r\n".join([HEADER, *lines]).encode("cp932")
    table = _read(tmp_path, data).table
    expected = list(csv.reader(io.StringIO(data.decode("cp932"), newline="")))[1:]
    assert table["futansha_bango"].tolist() == [r[0] for r in expected]
    assert table["futansha_bango"][row] == "88\r\n134457"
    # rows up to the spanning one start on line row + 2; every row after it one line later
    assert table[ROW].tolist() == [*range(2, row + 3), *range(row + 4, 200_003)]


@pytest.mark.parametrize("quoted", [False, True])
def test_rows_read_in_iconv_parts_read_like_the_csv_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           quoted: bool) -> None:
    """A body converted in two parts reads as the csv module reads it, also when the cut is in a quoted value."""
    import csv
    import io

    from handoff.jp import iconv

    monkeypatch.setattr(iconv, "workers", lambda: 2)
    lines = _large_body(200_000)
    body = "\r\n".join(lines).encode("cp932")
    # The row holding the body's midpoint: the first LF at or after it (where iconv cuts) is its own end, or,
    # quoted, the break put into its last value.
    row = int(np.searchsorted(np.cumsum([len(line.encode("cp932")) + 2 for line in lines]), len(body) // 2))
    if quoted:
        lines[row] = lines[row][: -len("5100331")] + '"51\r\n00331"'
    data = "\r\n".join([HEADER, *lines]).encode("cp932")
    parts = iconv.cp932_to_utf8_parts(data[data.index(b"\n") + 1 :])
    if parts is None:
        pytest.skip("the C library's iconv is not usable here: extract decodes with Python's codec")
    assert len(parts) == 2 and parts[0].tobytes().endswith(b'"51\r\n' if quoted else b"5100331\r\n")
    table = _read(tmp_path, data).table
    expected = list(csv.reader(io.StringIO(data.decode("cp932"), newline="")))[1:]
    assert table["yuko_shuryo"].tolist() == [r[8] for r in expected]
    assert table["jido_shimei"].tolist() == [r[2] for r in expected]
    assert len(table) == len(lines) and table[ROW].iloc[-1] == len(lines) + 1 + quoted


@pytest.mark.parametrize("quote", [False, True])
def test_rows_keep_their_lines_whatever_ends_them(tmp_path: Path, quote: bool) -> None:
    """Lines ended by CR LF, LF or a lone CR give each row the line the csv module starts it on, quoted or not."""
    import csv
    import io

    rows = [ROW1.replace("0000018", f"{i:07d}") for i in range(7)]
    if quote:
        rows[5] = rows[5].replace("見本　花子", '"見本　花子"')
    text = HEADER + "\r\n" + rows[0] + "\n" + rows[1] + "\r" + rows[2] + "\r\n" + rows[3] + "\r" + rows[4] \
        + "\n" + rows[5] + "\r" + rows[6] + "\r\n"
    reader = csv.reader(io.StringIO(text, newline=""))
    starts = []
    for _ in reader:
        starts.append(reader.line_num)
    table = _read(tmp_path, text.encode("cp932")).table
    assert table[ROW].tolist() == starts[1:] == list(range(2, 9))
    assert table["jukyusha_bango"].tolist() == [f"{i:07d}" for i in range(7)]


@pytest.mark.parametrize("fault", ["decode", "quote"])
def test_a_fault_after_lone_cr_line_ends_names_its_line(tmp_path: Path, fault: str) -> None:
    """An undecodable byte or a misplaced quote after lines ended by a lone CR is named at its own line (5)."""
    rows = [ROW1.replace("0000018", f"{i:07d}") for i in range(5)]
    data = (HEADER + "\r\n" + rows[0] + "\r" + rows[1] + "\n" + rows[2] + "\r").encode("cp932")
    if fault == "decode":
        data += rows[3].encode("cp932")[:9] + b"\x81\x20" + rows[3].encode("cp932")[11:]
    else:
        data += rows[3].replace("見本　花子", '"見本"花子').encode("cp932")
    err = _error(tmp_path, data + ("\r\n" + rows[4]).encode("cp932"))
    if fault == "decode":
        assert err.code == "input.decode" and err.params["line"] == 5 and err.params["offset"] == 10
    else:
        assert err.code == "input.quote_misplaced" and err.params == {"line": 5}


@pytest.mark.parametrize("end", ["\r", "\n", "\r\n"])
def test_every_line_ended_alike_reads_from_line_two(tmp_path: Path, end: str) -> None:
    """An export whose every line, the header's too, ends in a lone CR, an LF or CR LF reads its rows from line 2."""
    rows = [ROW1.replace("0000018", f"{i:07d}") for i in range(3)]
    table = _read(tmp_path, end.join([HEADER, *rows, ""]).encode("cp932")).table
    assert table[ROW].tolist() == [2, 3, 4] and table["jukyusha_bango"].tolist() == ["0000000", "0000001", "0000002"]


@pytest.mark.parametrize(("header", "code"), [('負担者番号,"受給者番号', "input.unterminated_quote"),
                                              ('負担者番号,"受給者"番号', "input.quote_misplaced")])
def test_a_header_with_broken_quotes_is_refused_at_line_one(tmp_path: Path, header: str, code: str) -> None:
    """A header line whose quotes are open at its end or closed mid-name is refused at line 1, not misread."""
    err = _error(tmp_path, (header + "\r\n" + ROW1).encode("cp932"))
    assert err.code == code and err.params == {"line": 1}


def test_bad_byte_deep_in_a_large_file_names_its_line(tmp_path: Path) -> None:
    """An undecodable byte far past the first read block is still reported with its own line number."""
    lines = _large_body(300_000)
    data = "\r\n".join([HEADER, *lines]).encode("cp932")
    bad = 250_000  # a data row, line bad + 2
    cut = data.index(lines[bad].encode("cp932"))
    data = data[:cut] + b"\x81\x20" + data[cut + 2 :]
    err = _error(tmp_path, data)
    assert err.code == "input.decode" and err.params["line"] == bad + 2 and err.params["offset"] == 1


def test_utf8_file_with_a_bad_byte(tmp_path: Path) -> None:
    """A UTF-8-declared export (敬老会) holding a CP932 byte reports line and offset, never a value."""
    data = "宛名番号,郵便番号,住所,氏名,生年月日\n".encode() + b"1,1620055,\x82\xa0,x,19400101\n"
    err = _error(tmp_path, data, "keirokai")
    assert err.code == "input.decode" and err.params["line"] == 2 and err.params["offset"] == 11


def test_utf8_bom_in_cp932_file_is_a_mismatch(tmp_path: Path) -> None:
    """A UTF-8 BOM in a file declared CP932 is reported as an encoding mismatch."""
    err = _error(tmp_path, b"\xef\xbb\xbf" + (HEADER + "\r\n" + ROW1).encode("utf-8"))
    assert err.code == "input.encoding_mismatch"


def test_truncated_last_line(tmp_path: Path) -> None:
    """A last record cut short names its line and the column counts."""
    data = "\r\n".join([HEADER, ROW1, ROW1[:30]]).encode("cp932")
    err = _error(tmp_path, data)
    assert err.code == "input.column_count" and err.params == {"line": 3, "expected": 9, "found": 4}


def test_unterminated_quote(tmp_path: Path) -> None:
    """A quote opened and never closed (file cut mid-value) is named at the line where it opens."""
    data = "\r\n".join([HEADER, ROW1, ROW1.replace("見本　太郎", '"見本')]).encode("cp932")
    err = _error(tmp_path, data)
    assert err.code == "input.unterminated_quote" and err.params == {"line": 3}


@pytest.mark.parametrize("ending", ["\r\n", ""])
def test_open_quote_in_the_last_column_does_not_swallow_rows(tmp_path: Path, ending: str) -> None:
    """An unclosed quote in the last column is refused at its line instead of swallowing the rows after it."""
    opened = ROW1.replace(",5100331", ',"5100331')
    data = ("\r\n".join([HEADER, ROW1, opened, ROW1, ROW1]) + ending).encode("cp932")
    err = _error(tmp_path, data)
    assert err.code == "input.unterminated_quote" and err.params == {"line": 3}


def test_open_quote_on_the_last_line_alone_is_refused(tmp_path: Path) -> None:
    """An unclosed quote in the last value of the file, with one record per line, is refused too."""
    data = "\r\n".join([HEADER, ROW1, ROW1.replace(",5100331", ',"5100331')]).encode("cp932")
    err = _error(tmp_path, data)
    assert err.code == "input.unterminated_quote" and err.params == {"line": 3}


@pytest.mark.parametrize("value", ['"見本"花子', '"見本" ', '"見本"""花子'])
def test_text_after_a_closing_quote_is_refused(tmp_path: Path, value: str) -> None:
    """Text after a closing quote (which Arrow would join to the value, dropping the quotes) names its record."""
    spanning = ROW1.replace("見本　花子", '"見本\r\n花子"')
    bad = ROW1.replace("見本　花子", value)
    data = "\r\n".join([HEADER, ROW1, spanning, bad, ROW1]).encode("cp932")
    err = _error(tmp_path, data)
    assert err.code == "input.quote_misplaced" and err.params == {"line": 5}
    assert "見本" not in err.message("ja")


def test_misplaced_quote_before_an_unreadable_line_is_named_as_such(tmp_path: Path) -> None:
    """When Arrow cannot read the file at all, a misplaced quote found first is named as one, not as an open quote."""
    bad = ROW1.replace("見本　花子", '"見本"花子')
    data = "\r\n".join([HEADER, ROW1, bad, ROW1, ROW1[:30]]).encode("cp932")
    err = _error(tmp_path, data)
    assert err.code == "input.quote_misplaced" and err.params == {"line": 3}


def test_many_suspect_quotes_are_read_in_one_strict_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the one-by-one limit the whole body is read strictly once; literal quotes pass, the bad one is named."""
    from handoff.stages.extract import quotes

    monkeypatch.setattr(quotes, "_ONE_BY_ONE", 1)
    literal = ROW1.replace("見本　花子", '見本"花"子')
    fine = [literal, ROW1.replace("見本　花子", '"見本""花子"'), literal]
    table = _read(tmp_path, "\r\n".join([HEADER, *fine]).encode("cp932")).table
    assert table["jido_shimei"].tolist() == ['見本"花"子', '見本"花子', '見本"花"子']
    bad = ROW1.replace("見本　花子", '"見本"花子')
    err = _error(tmp_path, "\r\n".join([HEADER, *fine, bad, literal]).encode("cp932"))
    assert err.code == "input.quote_misplaced" and err.params == {"line": 5}


def test_closed_quotes_and_stray_quote_in_last_column_read(tmp_path: Path) -> None:
    """A properly quoted last value (even spanning lines) and a quote inside an unquoted value still read."""
    rows = [ROW1.replace(",5100331", ',"5100331"'), ROW1.replace("見本　花子", '"見本\r\n花子"'),
            ROW1.replace(",5100331", ',"51003\r\n31"'), ROW1.replace(",5100331", ',510"0331')]
    table = _read(tmp_path, "\r\n".join([HEADER, *rows]).encode("cp932")).table
    assert list(table[ROW]) == [2, 3, 5, 7]
    assert list(table["yuko_shuryo"]) == ["5100331", "5100331", "51003\r\n31", '510"0331']


def test_nul_byte(tmp_path: Path) -> None:
    """A NUL byte names its line and byte offset."""
    err = _error(tmp_path, (HEADER + "\r\n").encode("cp932") + b"8813\x004457")
    assert err.code == "input.nul_byte" and err.params == {"line": 2, "offset": 5}


def test_ten_megabyte_field(tmp_path: Path) -> None:
    """A 10 MB field is refused with its row and column, never loaded as an address."""
    huge = ROW1.replace("東京都新宿区余丁町5番12号", "あ" * 5_000_000)
    err = _error(tmp_path, (HEADER + "\r\n" + huge).encode("cp932"))
    assert err.code == "input.field_too_long" and err.params["row"] == 1


def test_field_limit_counts_characters_not_bytes(tmp_path: Path) -> None:
    """The field limit is in characters: 4,096 double-byte characters pass, 4,097 are refused."""
    from handoff.stages.extract.delimited import MAX_FIELD_CHARS

    for chars, refused in ((MAX_FIELD_CHARS, False), (MAX_FIELD_CHARS + 1, True)):
        data = (HEADER + "\r\n" + ROW1.replace("東京都新宿区余丁町5番12号", "あ" * chars)).encode("cp932")
        if refused:
            assert _error(tmp_path, data).code == "input.field_too_long"
        else:
            assert len(_read(tmp_path, data).table) == 1


def test_empty_file(tmp_path: Path) -> None:
    """An empty file is an error, not an empty mailing."""
    assert _error(tmp_path, b"").code == "input.empty"


def test_blank_file_larger_than_a_block_is_empty(tmp_path: Path) -> None:
    """A file of only blanks, newlines and EOF marks (over a MiB, checked a block at a time) is empty."""
    assert _error(tmp_path, b" \t\r\n\x1a" * 300_000).code == "input.empty"


def test_long_trailing_newlines_and_eof_marks_are_not_rows(tmp_path: Path) -> None:
    """Trailing CR, LF and 0x1A — even many blocks of them — end the body; they are neither rows nor data."""
    data = "\r\n".join([HEADER, ROW1, ROW1]).encode("cp932") + b"\r\n\x1a" * 5000
    table = _read(tmp_path, data).table
    assert list(table[ROW]) == [2, 3] and table["yuko_shuryo"].tolist() == ["5100331", "5100331"]


def test_header_only(tmp_path: Path) -> None:
    """A header without data rows is an error."""
    assert _error(tmp_path, (HEADER + "\r\n").encode("cp932")).code == "input.no_rows"


def test_header_mismatch_lists_missing_and_unexpected(tmp_path: Path) -> None:
    """A renamed column shows up as missing, by the programme's name, and as unexpected, by its position only."""
    data = (HEADER.replace("児童氏名", "氏名") + "\r\n" + ROW1).encode("cp932")
    err = _error(tmp_path, data)
    assert err.code == "input.header_mismatch"
    assert err.params == {"missing": "児童氏名", "missing_count": "1", "unexpected": "3", "unexpected_count": "1"}
    assert "氏名" not in err.message("ja").replace("児童氏名", "")


def _fixed_record(name: str = "見本　太郎") -> bytes:
    def pad(text: str, n: int) -> bytes:
        raw = text.encode("cp932")
        return raw + b" " * (n - len(raw))

    return (pad("10000001", 8) + pad("2026", 4) + pad("01", 2) + b"1" + pad("1620055", 7)
            + pad("東京都新宿区余丁町5番12号", 80) + pad(name, 30) + pad("000025000", 9) + pad("5081213", 7))


def test_fixed_width_counts_double_byte_characters_as_two(tmp_path: Path) -> None:
    """Fixed-width fields are CP932 byte ranges: 住所 (80 bytes) then 世帯主氏名 decode exactly."""
    table = _read(tmp_path, _fixed_record() + b"\r\n" + _fixed_record() + b"\r\n", "kokuho-tokusoku").table
    assert table.loc[0, "setainushi_shimei"] == "見本　太郎"
    assert table.loc[1, "tokusoku_kingaku"] == "000025000" and list(table[ROW]) == [1, 2]


def test_fixed_width_wrong_record_length(tmp_path: Path) -> None:
    """A record one byte short names the record number and both lengths."""
    err = _error(tmp_path, _fixed_record() + b"\r\n" + _fixed_record()[:-1] + b"\r\n", "kokuho-tokusoku")
    assert err.code == "input.record_length" and err.params == {"line": 2, "expected": 148, "found": 147}


def test_fixed_width_split_character(tmp_path: Path) -> None:
    """A double-byte character cut by a field boundary is an error naming record and field."""
    record = bytearray(_fixed_record())
    record[101:103] = "見".encode("cp932")  # straddles the 住所/世帯主氏名 boundary at byte 103
    err = _error(tmp_path, bytes(record) + b"\r\n", "kokuho-tokusoku")
    assert err.code == "input.fixed_decode" and err.params["line"] == 1


def _xlsx(tmp_path: Path, mutate) -> bytes:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    spec, _ = _ctx("ninpu-kyufu")
    wb = Workbook()
    ws = wb.active
    ws.append([c.column for c in spec.source.columns])  # type: ignore[attr-defined]
    ws.append(["K000000001", "1620055", "東京都新宿区余丁町5番12号", "見本　花子", "平成2年3月4日", "",
               "妊娠時給付", "50000", "2026-12-01", "口座振込", "2026-11-20", "支給決定"])
    mutate(ws)
    path = tmp_path / "x.xlsx"
    wb.save(path)
    return path.read_bytes()


def test_xlsx_reads_text_cells(tmp_path: Path) -> None:
    """An xlsx export reads by header name; the sheet's row number is the row number."""
    table = _read(tmp_path, _xlsx(tmp_path, lambda ws: None), "ninpu-kyufu").table
    assert table.loc[0, "yubin_bango"] == "1620055" and list(table[ROW]) == [2]


def test_xlsx_formula_is_refused(tmp_path: Path) -> None:
    """A formula cell is refused by coordinate; its result is never guessed."""
    def mutate(ws):  # type: ignore[no-untyped-def]
        ws["H2"] = "=40000+10000"

    err = _error(tmp_path, _xlsx(tmp_path, mutate), "ninpu-kyufu")
    assert err.code == "input.xlsx_formula" and err.params == {"cell": "H2"}


def test_xlsx_merged_cells_are_refused(tmp_path: Path) -> None:
    """Merged cells are refused by range."""
    def mutate(ws):  # type: ignore[no-untyped-def]
        ws.merge_cells("C2:D2")

    err = _error(tmp_path, _xlsx(tmp_path, mutate), "ninpu-kyufu")
    assert err.code == "input.xlsx_merged" and err.params == {"cells": "C2:D2"}


def test_positional_csv_without_header(tmp_path: Path) -> None:
    """A header-less export maps columns by position (生活保護)."""
    line = "00000001,01,1620055,東京都新宿区余丁町5番12号,見本　花子,S450101,1"
    table = _read(tmp_path, (line + "\r\n" + line.replace(",01,", ",02,")).encode("cp932"), "seikatsu-hogo").table
    assert list(table["setaiin_bango"]) == ["01", "02"] and list(table[ROW]) == [1, 2]


def test_cli_malformed_input_exit_code_without_traceback(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Through the CLI, a malformed file gives exit 4 and a Japanese message, no traceback."""
    path = tmp_path / "bad.csv"
    path.write_bytes((HEADER + "\r\n").encode("cp932") + b"\x82")
    proc = cli("check", "kodomo-iryosho", "--input", str(path))
    assert proc.returncode == 4, proc.stderr
    assert "Traceback" not in proc.stderr and "行目" in proc.stderr
    en = cli("check", "kodomo-iryosho", "--input", str(path), lang="en")
    assert "Line 2" in en.stderr


@pytest.mark.parametrize("byte", [b"\x80", b"\xa0", b"\xfd"])
def test_a_byte_only_pythons_codec_reads_is_read_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           byte: bytes) -> None:
    """A single byte iconv refuses but Python's codec decodes (0x80, 0xA0, 0xFD) reads as Python's codec reads it."""
    import csv
    import io

    answers = _answers(monkeypatch)
    lines = _large_body(200_000)
    data = "\r\n".join([HEADER, *lines]).encode("cp932")
    cut = data.index(lines[70_000].encode("cp932")) + len("88134457,0000000,")
    data = data[:cut] + byte + data[cut:]
    table = _read(tmp_path, data).table
    assert answers == [False]
    expected = list(csv.reader(io.StringIO(data.decode("cp932"), newline="")))[1:]
    assert table["jido_shimei"].tolist() == [r[2] for r in expected]
    assert table.loc[70_000, "jido_shimei"].startswith(byte.decode("cp932"))


def test_any_line_ends_and_quoting_read_like_the_csv_module(tmp_path: Path) -> None:
    """Records with any mix of CR LF, LF and lone CR line ends, quoted or not, read as the csv module reads them."""
    import csv
    import io
    import itertools

    from hypothesis import given, settings
    from hypothesis import strategies as st

    plain = st.text(alphabet="0123456789見本花子東京都-　ｱ", min_size=1, max_size=6)
    quoted = st.builds(lambda t: '"' + t.replace('"', '""') + '"',
                       st.text(alphabet='0見本,"\r\n ', min_size=1, max_size=6))
    record = st.lists(st.one_of(plain, quoted), min_size=9, max_size=9)
    counter = itertools.count()

    @settings(max_examples=120, deadline=None)
    @given(st.lists(st.tuples(record, st.sampled_from(["\r\n", "\n", "\r"])), min_size=1, max_size=8),
           st.sampled_from(["\r\n", "\n", "\r"]))
    def check(records: list[tuple[list[str], str]], after_header: str) -> None:
        text = HEADER + after_header + "".join(",".join(fields) + end for fields, end in records)
        reader = csv.reader(io.StringIO(text, newline=""))
        expected, starts, line = [], [], 1
        for row in reader:
            expected.append(row)
            starts.append(line)
            line = reader.line_num + 1
        folder = tmp_path / str(next(counter))
        folder.mkdir()
        table = _read(folder, text.encode("cp932")).table
        assert table[ROW].tolist() == starts[1:]
        assert table["jido_shimei"].tolist() == [r[2] for r in expected[1:]]
        assert table["yuko_shuryo"].tolist() == [r[8] for r in expected[1:]]

    check()
