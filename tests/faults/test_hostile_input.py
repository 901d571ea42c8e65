"""Hostile and malformed input files: each is refused (or set aside) with a clear message that holds no value
from the file, quickly and in bounded memory, and a clean ``check`` means ``run`` does not stop on the data."""

from __future__ import annotations

import io
import json
import os
import re
import resource
import time
import zipfile
from pathlib import Path

import pytest

from handoff.config import defaults_dir
from handoff.programme import load_programme
from tests.faults.conftest import FaultSite, assert_clean_failure

CP932_CSV = "kodomo-iryosho"  # CSV with a header, CP932
FIXED = "kokuho-tokusoku"  # fixed width, CP932, no header
XLSX = "ninpu-kyufu"  # xlsx with a header
NO_HEADER = "seikatsu-hogo"  # CSV without a header


def _columns(programme: str) -> list[str]:
    return [c.column for c in load_programme(defaults_dir() / "pipelines" / f"{programme}.toml").source.columns]


def _values(cells: list[str]) -> list[str]:
    """The cells worth looking for in output: those that cannot occur there by chance (a year, a short code, an
    ISO date like the log's own timestamps)."""
    kept = [c.strip() for c in cells if len(c.strip()) >= 7 or not c.strip().isascii()]
    return [c for c in kept if not re.match(r"\d{4}-\d\d-\d\d", c)]


def _csv_lines(path: Path) -> list[str]:
    return path.read_bytes().decode("cp932").split("\r\n")


def _write_csv(path: Path, lines: list[str]) -> Path:
    path.write_bytes("\r\n".join(lines).encode("cp932"))
    return path


def _fixed_values(record: bytes) -> list[str]:
    spec = load_programme(defaults_dir() / "pipelines" / f"{FIXED}.toml").source
    return _values([record[c.start - 1 : c.start - 1 + c.length].decode("cp932") for c in spec.columns])


def _xlsx_rows(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    with path.open("rb") as fh:  # a file object: the sample's name does not end in .xlsx
        ws = load_workbook(fh, read_only=True).worksheets[0]
        rows = [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
    return rows


def _xlsx_without_header(source: Path, out: Path) -> Path:
    from openpyxl import load_workbook

    with source.open("rb") as fh:
        wb = load_workbook(fh)
    wb.worksheets[0].delete_rows(1)
    wb.save(out)
    return out


# --- 1. an export without its header row -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "fixed", "xlsx"])
def test_an_export_without_its_header_names_positions_never_cells(fault_site: FaultSite, kind: str) -> None:
    """A CSV, fixed-width or xlsx export without its header is refused as headerless; no resident value shown."""
    if kind == "csv":
        lines = _csv_lines(fault_site.sample(CP932_CSV, 40))
        path = _write_csv(fault_site.tmp / "no-header.csv", lines[1:])
        programme, secrets = CP932_CSV, _values(lines[1].split(","))
    elif kind == "fixed":
        path = fault_site.sample(FIXED, 40)
        programme, secrets = CP932_CSV, _fixed_values(path.read_bytes().split(b"\r\n")[0])
    else:
        sample = fault_site.sample(XLSX, 40)
        path = _xlsx_without_header(sample, fault_site.tmp / "no-header.xlsx")
        programme, secrets = XLSX, _values(_xlsx_rows(sample)[1])
    assert len(secrets) >= 3
    proc = fault_site.run("check", programme, "--input", str(path))
    assert_clean_failure(proc, 4, "input.header_missing", secrets=secrets, log=fault_site.log)
    assert "1行目" in proc.stderr


def test_a_wrong_header_names_columns_by_position(fault_site: FaultSite) -> None:
    """A renamed and an added header cell: the programme's missing name, unexpected cells by position only."""
    lines = _csv_lines(fault_site.sample(CP932_CSV, 40))
    header = lines[0].split(",")
    header[2] = "見本秘密列名"
    lines[0] = ",".join([*header, "追加の秘密列"])
    lines[1:] = [line + ",x" for line in lines[1:] if line]
    proc = fault_site.run("check", CP932_CSV, "--input", str(_write_csv(fault_site.tmp / "renamed.csv", lines)))
    assert_clean_failure(proc, 4, "input.header_mismatch", secrets=["見本秘密列名", "追加の秘密列"],
                         log=fault_site.log)
    assert "児童氏名" in proc.stderr and "列 3, 10" in proc.stderr


# --- 2. only regular files -----------------------------------------------------------------------------


def _allow_symlinks(site: FaultSite) -> None:
    with (site.home / "site.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[input]\nfollow_symlinks = true\n")


@pytest.mark.parametrize(("kind", "code"), [("symlink-system", "input.symlink"), ("symlink-export", "input.symlink"),
                                            ("directory", "input.directory"), ("fifo", "input.fifo"),
                                            ("device", "input.device")])
def test_only_a_regular_file_is_read(fault_site: FaultSite, kind: str, code: str) -> None:
    """A symlink, a folder, a FIFO (without waiting) and a device are each refused by kind, exit 4."""
    export = fault_site.sample(CP932_CSV, 40)
    secrets = _values(_csv_lines(export)[1].split(","))
    path = fault_site.tmp / "input.csv"
    if kind == "symlink-system":
        path.symlink_to("/etc/passwd")
        secrets = [Path("/etc/passwd").read_text(encoding="utf-8").split("\n")[0]]
    elif kind == "symlink-export":
        path.symlink_to(export)
    elif kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
    proc = fault_site.run("check", CP932_CSV, "--input", str(path), timeout=60)
    assert_clean_failure(proc, 4, code, secrets=secrets, log=fault_site.log)


def test_a_site_may_allow_symlinks_but_never_a_fifo(fault_site: FaultSite) -> None:
    """With [input] follow_symlinks a linked export is read; a link to a FIFO is still refused at once."""
    _allow_symlinks(fault_site)
    link = fault_site.tmp / "linked.csv"
    link.symlink_to(fault_site.sample(CP932_CSV, 40))
    assert fault_site.run("check", CP932_CSV, "--input", str(link)).returncode in (0, 1)
    fifo = fault_site.tmp / "pipe"
    os.mkfifo(fifo)
    (fault_site.tmp / "pipe-link.csv").symlink_to(fifo)
    proc = fault_site.run("check", CP932_CSV, "--input", str(fault_site.tmp / "pipe-link.csv"), timeout=60)
    assert_clean_failure(proc, 4, "input.fifo", log=fault_site.log)


# --- 3. a header of 100,000 columns ----------------------------------------------------------------------


def _wide_header(columns: list[str], width: int) -> str:
    """The declared columns spread over ``width`` cells, every 1,000th cell, the rest filler."""
    cells = [f"余分{i}" for i in range(width)]
    for k, name in enumerate(columns):
        cells[k * 1000] = name
    return ",".join(cells)


def test_a_header_of_100000_columns_is_refused_at_the_limit(fault_site: FaultSite) -> None:
    """100,000 header cells are refused at max_columns in seconds, with a short message saying how to raise it."""
    lines = _csv_lines(fault_site.sample(CP932_CSV, 40))
    path = _write_csv(fault_site.tmp / "wide.csv", [_wide_header(_columns(CP932_CSV), 100_000), lines[1]])
    began = time.monotonic()
    proc = fault_site.run("check", CP932_CSV, "--input", str(path), timeout=120)
    assert time.monotonic() - began < 60
    assert_clean_failure(proc, 4, "input.too_many_columns", secrets=["余分12", *_values(lines[1].split(","))],
                         log=fault_site.log)
    assert "max_columns" in proc.stderr and "100,000" in proc.stderr and len(proc.stderr) < 1500


def test_a_header_of_100000_columns_within_a_raised_limit_is_checked_quickly(fault_site: FaultSite) -> None:
    """Within a raised limit, 100,000 header cells are checked quickly and listed as a few runs and a count."""
    pipes = fault_site.home / "wide-pipelines"
    pipes.mkdir()
    text = (defaults_dir() / "pipelines" / f"{CP932_CSV}.toml").read_text(encoding="utf-8")
    (pipes / f"{CP932_CSV}.toml").write_text(text + "\n[limits]\nmax_columns = 200000\n", encoding="utf-8")
    site = (fault_site.home / "site.toml").read_text(encoding="utf-8")
    (fault_site.home / "site.toml").write_text(f'pipelines_dir = "{pipes}"\n' + site, encoding="utf-8")
    lines = _csv_lines(fault_site.sample(CP932_CSV, 40))
    path = _write_csv(fault_site.tmp / "wide.csv", [_wide_header(_columns(CP932_CSV), 100_000), lines[1]])
    began = time.monotonic()
    proc = fault_site.run("check", CP932_CSV, "--input", str(path), timeout=120)
    assert time.monotonic() - began < 60
    assert_clean_failure(proc, 4, "input.header_mismatch", secrets=["余分12"], log=fault_site.log)
    assert "99,991" in proc.stderr and "2–1000, 1002–2000" in proc.stderr and len(proc.stderr) < 1500


# --- 4. an xlsx of a million rows ------------------------------------------------------------------------


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _million_row_xlsx(path: Path, columns: list[str], rows: int, declare: bool) -> Path:
    """A workbook openpyxl made, its sheet replaced by ``rows`` rows written directly: the declared header,
    then rows that are empty but for a short code in every seventh (a few MB once zipped)."""
    from openpyxl import Workbook

    made = io.BytesIO()
    Workbook().save(made)
    last = chr(ord("A") + len(columns) - 1)
    parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
             f'<dimension ref="A1:{last}{rows}"/>' if declare else "",
             '<sheetData><row r="1">', *(_cell(f"{chr(65 + i)}1", c) for i, c in enumerate(columns)), "</row>"]
    parts += [f'<row r="{r}">{_cell(f"A{r}", "K1")}</row>' if r % 7 == 0 else f'<row r="{r}"/>'
              for r in range(2, rows + 1)]
    parts.append("</sheetData></worksheet>")
    with zipfile.ZipFile(made) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in src.infolist():
            sheet = info.filename == "xl/worksheets/sheet1.xml"
            out.writestr(info.filename, "".join(parts).encode() if sheet else src.read(info))
    return path


@pytest.mark.parametrize("declare", [True, False], ids=["declared-size", "no-declared-size"])
def test_an_xlsx_of_a_million_rows_is_refused_in_seconds(fault_site: FaultSite, declare: bool) -> None:
    """A 1,048,476-row sheet is refused at max_cells in seconds and bounded memory, declared size or not."""
    path = _million_row_xlsx(fault_site.tmp / "million.xlsx", _columns(XLSX), 1_048_476, declare)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    began = time.monotonic()
    proc = fault_site.run("check", XLSX, "--input", str(path), timeout=120)
    elapsed = time.monotonic() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert_clean_failure(proc, 4, "input.too_many_cells", log=fault_site.log)
    assert "max_cells" in proc.stderr
    assert elapsed < 30, elapsed
    assert after == before or after < 1_500_000, after  # KiB: this child's peak, when it is the largest yet


# --- 5. control characters: check finds what run would stop on --------------------------------------------


def _bel_in_fixed(path: Path, out: Path, record: int) -> Path:
    """The fixed-width export with BEL in the padding of record ``record``'s 住所 (byte 23, 80 bytes)."""
    records = path.read_bytes().split(b"\r\n")
    target = bytearray(records[record - 1])
    address = bytes(target[22:102])
    target[22 + len(address.rstrip(b" "))] = 0x07
    records[record - 1] = bytes(target)
    out.write_bytes(b"\r\n".join(records))
    return out


def _bel_in_csv(path: Path, out: Path, line: int) -> Path:
    """The CSV export with BEL inside line ``line``'s 保護者住所 (the sixth column)."""
    lines = _csv_lines(path)
    cells = lines[line - 1].split(",")
    cells[5] = cells[5][:3] + "\x07" + cells[5][3:]
    lines[line - 1] = ",".join(cells)
    return _write_csv(out, lines)


def _exceptions(site: FaultSite) -> str:
    (found,) = site.data.glob("checks/*/internal/exceptions.csv")
    return found.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(("programme", "row", "label"), [(FIXED, 3, "住所"), (CP932_CSV, 4, "保護者住所")])
def test_a_control_character_is_found_by_check_and_set_aside_by_run(fault_site: FaultSite, programme: str,
                                                                    row: int, label: str) -> None:
    """BEL in an address: check names row and label and sets it aside; run finishes with the same counts."""
    sample = fault_site.sample(programme, 40)
    if programme == FIXED:
        path = _bel_in_fixed(sample, fault_site.tmp / "bel.dat", row)
        secrets = _fixed_values(path.read_bytes().split(b"\r\n")[row - 1])
    else:
        path = _bel_in_csv(sample, fault_site.tmp / "bel.csv", row)
        secrets = _values(_csv_lines(path)[row - 1].split(","))
    checked = fault_site.run("check", programme, "--input", str(path), "--json")
    assert_clean_failure(checked, 1, None, secrets=secrets, log=fault_site.log)
    report = json.loads(checked.stdout)
    assert report["findings"]["charset.control"] == 1
    assert f"{row},{label},charset.control," in _exceptions(fault_site)
    ran = fault_site.run("run", programme, "--input", str(path), "--cycle", "2026-09", "--json")
    assert_clean_failure(ran, 1, None, secrets=secrets, log=fault_site.log)
    counts = json.loads(ran.stdout)["report"]["counts"]
    assert counts["rows_read"] == counts["rows_selected"] + counts["rows_not_selected"] + counts["rows_excepted"]
    assert counts == report["counts"]


# --- 6. a blank line in the middle of a CSV ---------------------------------------------------------------


@pytest.mark.parametrize("programme", [CP932_CSV, NO_HEADER])
def test_a_blank_line_in_a_csv_is_an_input_error_naming_its_line(fault_site: FaultSite, programme: str) -> None:
    """An empty line in the middle of a CSV is refused naming its line, not read as a row of empty values."""
    lines = _csv_lines(fault_site.sample(programme, 40))
    lines.insert(5, "")
    proc = fault_site.run("check", programme, "--input", str(_write_csv(fault_site.tmp / "blank.csv", lines)))
    assert_clean_failure(proc, 4, "input.blank_line", secrets=_values(lines[4].split(",")), log=fault_site.log)
    assert "6 行目" in proc.stderr


# --- 7. escape sequences never reach the terminal -----------------------------------------------------------


def test_escape_sequences_in_a_header_or_a_file_name_never_reach_the_terminal(fault_site: FaultSite) -> None:
    """An ESC sequence in a header cell is never shown; one in a file name is shown escaped."""
    lines = _csv_lines(fault_site.sample(CP932_CSV, 40))
    lines[0] = lines[0].replace("児童氏名", "\x1b[2J\x1b]0;見本\x07")
    path = _write_csv(fault_site.tmp / "escape.csv", lines)
    proc = fault_site.run("check", CP932_CSV, "--input", str(path))
    assert_clean_failure(proc, 4, "input.header_mismatch", secrets=["\x1b", "[2J", "]0;"], log=fault_site.log)
    proc = fault_site.run("check", CP932_CSV, "--input", str(fault_site.tmp / "ex\x1b[31mport.csv"))
    assert_clean_failure(proc, 4, "input.not_found", secrets=["\x1b"], log=fault_site.log)
