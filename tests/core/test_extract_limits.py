"""Extraction of hostile files: headers named by position, blank lines, the programme's limits, streamed xlsx."""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from pathlib import Path

import pytest

from handoff.config import InputConfig, defaults_dir, load_site
from handoff.contract import ROW, StageContext
from handoff.errors import ConfigError, InputError
from handoff.programme import ProgramSpec, load_programme
from handoff.stages import extract
from handoff.stages.extract.header import check_header, spans
from handoff.stages.extract.opening import shown_path

HEADER = "負担者番号,受給者番号,児童氏名,児童生年月日,保護者郵便番号,保護者住所,保護者氏名,有効開始日,有効終了日"
ROW1 = "88134457,0000018,見本　花子,4220314,162-0055,東京都新宿区余丁町5番12号,見本　太郎,5081001,5100331"


def _spec(tmp_path: Path, programme: str = "kodomo-iryosho", limits: str = "") -> ProgramSpec:
    """The shipped programme, with ``limits`` (TOML lines) as its [limits] table."""
    text = (defaults_dir() / "pipelines" / f"{programme}.toml").read_text(encoding="utf-8")
    path = tmp_path / f"{programme}.toml"
    path.write_text(text + (f"\n[limits]\n{limits}\n" if limits else ""), encoding="utf-8")
    return load_programme(path)


def _run(tmp_path: Path, data: bytes, spec: ProgramSpec, follow: bool = False):  # type: ignore[no-untyped-def]
    site = load_site(defaults_dir())
    site = site.model_copy(update={"input": InputConfig(follow_symlinks=follow)})
    path = tmp_path / "in.dat"
    path.write_bytes(data)
    return extract.run(path, spec, StageContext("t", site, site.profile_of(spec.vendor), dt.datetime(2026, 11, 1)))


def _error(tmp_path: Path, data: bytes, spec: ProgramSpec) -> InputError:
    with pytest.raises(InputError) as err:
        _run(tmp_path, data, spec)
    assert err.value.exit_code == 4
    return err.value


def _csv(*lines: str) -> bytes:
    return "\r\n".join(lines).encode("cp932")


# --- the header ------------------------------------------------------------------------------------------


def test_a_first_line_of_data_is_no_header(tmp_path: Path) -> None:
    """A file that starts with a record is refused as headerless, with counts only and no cell of it."""
    err = _error(tmp_path, _csv(ROW1, ROW1), _spec(tmp_path))
    assert err.code == "input.header_missing" and err.params == {"found": "9", "expected": 9}
    assert "見本" not in err.message("ja") and "88134457" not in err.message("en")


def test_duplicate_header_cells_are_named_by_their_positions(tmp_path: Path) -> None:
    """Two cells holding the same name are reported as their positions, whatever the name is."""
    header = HEADER + ",秘密,秘密"
    err = _error(tmp_path, _csv(header, ROW1 + ",a,b"), _spec(tmp_path))
    assert err.code == "input.header_duplicate" and err.params == {"columns": "10/11", "count": "1"}


def test_a_header_of_100000_cells_is_checked_in_linear_time_and_listed_briefly(tmp_path: Path) -> None:
    """100,000 distinct header cells are checked in well under a second; the message lists 8 runs and a count."""
    spec = _spec(tmp_path)
    names = [f"x{i}" for i in range(100_000)]
    for k, column in enumerate(c.column for c in spec.source.columns):
        names[k * 2] = column
    began = time.monotonic()
    with pytest.raises(InputError) as err:
        check_header(names, spec.source)
    assert time.monotonic() - began < 1
    assert err.value.params["unexpected"] == "2, 4, 6, 8, 10, 12, 14, 16, …"
    assert err.value.params["unexpected_count"] == "99,991" and len(err.value.message("ja")) < 400


@pytest.mark.parametrize(("positions", "shown"), [([], ""), ([3], "3"), ([3, 5, 6, 7, 12], "3, 5–7, 12"),
                                                  (list(range(1, 100)), "1–99"),
                                                  ([1, 3, 5, 7, 9, 11, 13, 15], "1, 3, 5, 7, 9, 11, 13, 15"),
                                                  ([1, 3, 5, 7, 9, 11, 13, 15, 16], "1, 3, 5, 7, 9, 11, 13, 15–16"),
                                                  ([1, 3, 5, 7, 9, 11, 13, 15, 17], "1, 3, 5, 7, 9, 11, 13, 15, …")])
def test_positions_are_shown_as_runs_cut_after_eight(positions: list[int], shown: str) -> None:
    """Ascending positions become runs (5–7); after eight runs the rest is an ellipsis."""
    assert spans(positions) == shown


# --- blank lines -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "line"), [("\r\n\r\n" + ROW1, 2), (ROW1 + "\n\n" + ROW1, 3),
                                            (ROW1 + "\r\r" + ROW1, 3), (ROW1 + "\r\n\r\n" + ROW1, 3),
                                            (ROW1 + "\r\n" + ROW1 + "\r\n\r\n" + ROW1, 4)])
def test_a_blank_line_is_refused_by_its_line(tmp_path: Path, body: str, line: int) -> None:
    """An empty line between records (after LF, CR LF or a lone CR, or right after the header) names its line."""
    err = _error(tmp_path, _csv(HEADER, body), _spec(tmp_path))
    assert err.code == "input.blank_line" and err.params == {"line": line}


def test_a_blank_line_between_quoted_records_is_refused(tmp_path: Path) -> None:
    """In a quoted file an empty line where a record begins is refused by its line."""
    quoted = ROW1.replace("見本　花子", '"見本\r\n花子"')
    err = _error(tmp_path, _csv(HEADER, quoted, "", ROW1), _spec(tmp_path))
    assert err.code == "input.blank_line" and err.params == {"line": 4}


def test_a_blank_line_inside_a_quoted_value_is_part_of_the_value(tmp_path: Path) -> None:
    """An empty line inside a quoted value is kept in the value, and the rows keep their lines."""
    quoted = ROW1.replace("見本　花子", '"見本\r\n\r\n花子"')
    table = _run(tmp_path, _csv(HEADER, quoted, ROW1), _spec(tmp_path)).table
    assert list(table[ROW]) == [2, 5] and table.loc[0, "jido_shimei"] == "見本\r\n\r\n花子"


# --- the programme's limits ------------------------------------------------------------------------------


@pytest.mark.parametrize("quoted", [False, True])
def test_rows_past_max_rows_are_refused(tmp_path: Path, quoted: bool) -> None:
    """A CSV holding more data rows than [limits] max_rows is refused naming the limit and the programme."""
    row = ROW1.replace("見本　花子", '"見本　花子"') if quoted else ROW1
    spec = _spec(tmp_path, limits="max_rows = 2")
    assert len(_run(tmp_path, _csv(HEADER, row, row), spec).table) == 2
    err = _error(tmp_path, _csv(HEADER, row, row, row), spec)
    assert err.code == "input.too_many_rows" and err.params == {"limit": "2", "programme": "kodomo-iryosho"}
    assert "max_rows" in err.message("ja") and "kodomo-iryosho.toml" in err.message("en")


def test_fixed_records_past_max_rows_are_refused(tmp_path: Path) -> None:
    """A fixed-width export is counted before it is cut: one record over the limit is refused."""
    record = b"1" * 148
    spec = _spec(tmp_path, "kokuho-tokusoku", "max_rows = 2")
    assert _error(tmp_path, b"\r\n".join([record] * 3), spec).code == "input.too_many_rows"
    assert _error(tmp_path, record * 3, spec).code == "input.too_many_rows"


def test_columns_past_max_columns_are_refused_before_the_header_is_read(tmp_path: Path) -> None:
    """A first line of more cells than max_columns is refused with the count, before any header check."""
    err = _error(tmp_path, _csv(HEADER + ",x" * 2000, ROW1), _spec(tmp_path))
    assert err.code == "input.too_many_columns" and err.params["found"] == "2,009"


def test_a_limit_below_the_declared_columns_is_a_config_error(tmp_path: Path) -> None:
    """max_columns smaller than the programme's own columns is refused when the programme loads."""
    with pytest.raises(ConfigError) as err:
        _spec(tmp_path, limits="max_columns = 5")
    assert err.value.params["key"] == "limits.max_columns"


def test_a_date_style_on_a_field_that_is_no_date_is_a_config_error(tmp_path: Path) -> None:
    """A date style on a field of another kind is refused at load: the render could only stop on its values."""
    text = (defaults_dir() / "pipelines" / "kodomo-iryosho.toml").read_text(encoding="utf-8")
    path = tmp_path / "k.toml"
    path.write_text(text.replace('kind = "date", date_format = "wareki_digit", required = true },\n  '
                                 '{ field = "yubin_bango"', 'kind = "text", required = true },\n  '
                                 '{ field = "yubin_bango"', 1), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_programme(path)
    assert err.value.params["rule"] == "date_style_needs_date_field"


# --- only regular files ----------------------------------------------------------------------------------


def test_a_symlink_is_read_only_where_the_site_allows_it(tmp_path: Path) -> None:
    """A link to an export is refused by default and read when the site sets follow_symlinks."""
    spec = _spec(tmp_path)
    target = tmp_path / "real.csv"
    target.write_bytes(_csv(HEADER, ROW1))
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    site = load_site(defaults_dir())
    ctx = StageContext("t", site, site.profile_of(spec.vendor), dt.datetime(2026, 11, 1))
    with pytest.raises(InputError) as err:
        extract.run(link, spec, ctx)
    assert err.value.code == "input.symlink"
    allowed = ctx.site.model_copy(update={"input": InputConfig(follow_symlinks=True)})
    ctx = StageContext("t", allowed, ctx.profile, ctx.now)
    assert len(extract.run(link, spec, ctx).table) == 1


def test_a_file_name_is_shown_with_its_control_characters_escaped() -> None:
    """ESC, BEL, DEL and C1 controls in a name are shown as \\xNN; other characters are left as they are."""
    assert shown_path("a\x1b[31m\x07b\x7f\x9b見本.csv") == "a\\x1b[31m\\x07b\\x7f\\x9b見本.csv"


# --- xlsx, streamed --------------------------------------------------------------------------------------


def _sheet_xml(rows: list[str], dimension: str = "") -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet '
            'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + (f'<dimension ref="{dimension}"/>' if dimension else "")
            + "<sheetData>" + "".join(rows) + "</sheetData></worksheet>")


def _xlsx(sheet: str) -> bytes:
    """A workbook openpyxl made, with its sheet's XML replaced by ``sheet``."""
    from openpyxl import Workbook

    made, out = io.BytesIO(), io.BytesIO()
    Workbook().save(made)
    with zipfile.ZipFile(made) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, sheet if info.filename == "xl/worksheets/sheet1.xml" else src.read(info))
    return out.getvalue()


def _header_row(spec: ProgramSpec, row: int = 1) -> str:
    cells = "".join(f'<c r="{chr(65 + i)}{row}" t="inlineStr"><is><t>{c.column}</t></is></c>'
                    for i, c in enumerate(spec.source.columns))
    return f'<row r="{row}">{cells}</row>'


def test_a_declared_sheet_size_past_max_cells_is_refused_before_a_row_is_read(tmp_path: Path) -> None:
    """A sheet declaring 1,048,576 rows × 12 columns is refused from its dimension, naming both."""
    spec = _spec(tmp_path, "ninpu-kyufu")
    err = _error(tmp_path, _xlsx(_sheet_xml([_header_row(spec)], "A1:L1048576")), spec)
    assert err.code == "input.too_many_cells"
    assert err.params == {"rows": "1,048,576", "columns": "12", "limit": "10,000,000", "programme": "ninpu-kyufu"}


def test_a_sheet_row_past_max_rows_is_refused_while_streaming(tmp_path: Path) -> None:
    """One cell far down a sheet that declares no size is refused by its row number as it is read."""
    spec = _spec(tmp_path, "ninpu-kyufu", "max_rows = 100")
    far = '<row r="500"><c r="A500" t="inlineStr"><is><t>x</t></is></c></row>'
    assert _error(tmp_path, _xlsx(_sheet_xml([_header_row(spec), far])), spec).code == "input.too_many_rows"


def test_a_streamed_sheet_reads_its_header_below_empty_rows_and_keeps_row_numbers(tmp_path: Path) -> None:
    """Rows before the header that hold nothing are skipped; values keep their sheet row numbers."""
    spec = _spec(tmp_path, "ninpu-kyufu")
    data = '<row r="5"><c r="A5" t="inlineStr"><is><t> K1 </t></is></c><c r="H5"><v>50000</v></c></row>'
    table = _run(tmp_path, _xlsx(_sheet_xml(['<row r="1"/>', _header_row(spec, 3), data])), spec).table
    assert list(table[ROW]) == [5] and table.loc[0, "kyufu_kanri_bango"] == "K1"
    assert table.loc[0, "shikyu_kingaku"] == "50000" and table.loc[0, "jusho"] == ""


def test_a_streamed_sheet_turns_numbers_and_dates_back_into_text(tmp_path: Path) -> None:
    """Dates, whole numbers and date-times stored as such read as the text the host system meant."""
    from openpyxl import Workbook

    spec = _spec(tmp_path, "ninpu-kyufu")
    wb = Workbook()
    ws = wb.active
    ws.append([c.column for c in spec.source.columns])  # type: ignore[union-attr]
    ws.append(["K1", 1620055, "東京都", "見本", dt.date(1990, 3, 4), None, "x", 50000.0,  # type: ignore[union-attr]
               dt.datetime(2026, 12, 1), "y", dt.datetime(2026, 11, 20, 10, 30), "z"])
    made = io.BytesIO()
    wb.save(made)
    row = _run(tmp_path, made.getvalue(), spec).table.iloc[0]
    assert (row["yubin_bango"], row["seinengappi"], row["kojin_bango"], row["shikyu_kingaku"]) == (
        "1620055", "1990-03-04", "", "50000")
    assert (row["furikomi_bi"], row["kettei_bi"]) == ("2026-12-01", "2026-11-20T10:30:00")


def test_a_malformed_sheet_is_unreadable_without_a_traceback(tmp_path: Path) -> None:
    """Broken sheet XML is refused as an unreadable xlsx, naming the file only."""
    spec = _spec(tmp_path, "ninpu-kyufu")
    err = _error(tmp_path, _xlsx(_sheet_xml([_header_row(spec)])[:-40]), spec)
    assert err.code == "input.xlsx_unreadable"


def test_a_merged_range_is_shown_rebuilt_from_numbers(tmp_path: Path) -> None:
    """A merged range is named by coordinates rebuilt from its numbers, never the file's text."""
    spec = _spec(tmp_path, "ninpu-kyufu")
    sheet = _sheet_xml([_header_row(spec)]).replace(
        "</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="c2:d2"/></mergeCells>')
    err = _error(tmp_path, _xlsx(sheet), spec)
    assert err.code == "input.xlsx_merged" and err.params == {"cells": "C2:D2"}
