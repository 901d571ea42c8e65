"""`handoff check` end to end: planted defects are reported exactly, counts are conserved, no value leaks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

PROGRAMMES = ["kodomo-iryosho", "kokuho-tokusoku", "ninpu-kyufu", "keirokai", "seikatsu-hogo"]


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_check_reports_exactly_the_planted_defects(cli, tmp_path: Path, programme: str) -> None:  # type: ignore[no-untyped-def]
    """Each programme's synthetic export yields the generator's planted finding counts and row counts."""
    data = tmp_path / f"{programme}.dat"
    cli("sample", programme, "--rows", "3000", "--seed", "7", "--out", str(data), check=True)
    expected = json.loads(Path(str(data) + ".expected.json").read_text(encoding="utf-8"))
    proc = cli("check", programme, "--input", str(data), "--json")
    report = json.loads(proc.stdout)
    assert report["findings"] == expected["findings"]
    assert report["counts"] == expected["counts"]
    c = report["counts"]
    assert c["rows_read"] == c["rows_selected"] + c["rows_not_selected"] + c["rows_excepted"]
    assert proc.returncode == (1 if c["rows_excepted"] else 0)
    by_field = report["findings_by_field"]
    assert {code: sum(per.values()) for code, per in by_field.items()} == report["findings"]


def test_summary_names_the_item_of_each_finding(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The console summary's meaning column names the real item (「郵便番号」), not a placeholder."""
    data = tmp_path / "k.csv"
    cli("sample", "kodomo-iryosho", "--rows", "3000", "--seed", "7", "--out", str(data), check=True)
    out = cli("check", "kodomo-iryosho", "--input", str(data)).stdout
    assert "「郵便番号」が7桁の数字ではありません" in out
    assert "「児童生年月日」が日付として正しくありません" in out
    assert "「…」" not in out


def _values(data: Path, programme: str) -> set[str]:
    """Every name, address and number in the synthetic export (the things that must never leak)."""
    from handoff.config import load_site
    from handoff.contract import StageContext
    from handoff.programme import find_programme
    from handoff.stages import extract

    site = load_site()
    spec = find_programme(site.pipelines_path, programme)
    table = extract.run(data, spec, StageContext("t", site, site.profile_of(spec.vendor))).table
    personal = [c.field for c in spec.source.columns if c.personal and c.kind in
                ("name", "address", "kouhi", "jukyusha", "code")]
    out = set()
    for field in personal:
        out.update(v for v in table[field].tolist() if len(v) >= 6)
    return out


def _leaked(values: set[str], text: str) -> list[str]:
    """The values that occur in ``text``. A number or code counts as a whole token only: inside a longer run
    of letters and digits — a random hex id of a disc image, a hash in the ledger — "0003806" is not a
    受給者番号. Names and addresses count wherever they occur."""
    tokens = {v for v in values if v.isascii() and v.isalnum()}
    found = [v for v in values - tokens if v in text]
    if tokens:
        alternatives = "|".join(map(re.escape, sorted(tokens)))
        found += re.findall(rf"(?<![0-9A-Za-z])(?:{alternatives})(?![0-9A-Za-z])", text)
    return found


def test_leak_scan_counts_numbers_as_whole_tokens_only() -> None:
    """The leak scan finds a number between delimiters and a name anywhere, but not digits inside a hex id."""
    values = {"0003806", "見本　花子"}
    assert _leaked(values, "id 6b0a1a0003806885 x") == []
    assert _leaked(values, 'row,"0003806",x') == ["0003806"]
    assert _leaked(values, "x見本　花子y") == ["見本　花子"]


def test_no_input_value_in_log_console_or_report(cli, site_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Names, addresses and numbers from the export appear in neither the log file, the console nor the report."""
    data = tmp_path / "k.csv"
    cli("sample", "kodomo-iryosho", "--rows", "500", "--seed", "3", "--out", str(data), check=True)
    plain = cli("check", "kodomo-iryosho", "--input", str(data))
    as_json = cli("check", "kodomo-iryosho", "--input", str(data), "--json")
    english = cli("check", "kodomo-iryosho", "--input", str(data), lang="en")
    texts = [plain.stdout, plain.stderr, as_json.stdout, as_json.stderr, english.stdout, english.stderr]
    logs = list((site_dir / "data" / "logs").glob("*"))
    assert logs, "the log file must exist"
    texts += [p.read_text(encoding="utf-8") for p in logs]
    reports = list((site_dir / "data" / "checks").glob("*/internal/report.json"))
    assert len(reports) == 3
    texts += [p.read_text(encoding="utf-8") for p in reports]
    values = _values(data, "kodomo-iryosho")
    assert len(values) > 500
    for text in texts:
        leaked = _leaked(values, text)
        assert not leaked, leaked[:3]


def test_exceptions_list_is_owner_only_and_names_rows(cli, site_dir: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The in-house exceptions list is 0600, names row, field and code, and holds no value."""
    data = tmp_path / "k.csv"
    cli("sample", "keirokai", "--rows", "2000", "--seed", "5", "--out", str(data), check=True)
    cli("check", "keirokai", "--input", str(data))
    (path,) = (site_dir / "data" / "checks").glob("*/internal/exceptions.csv")
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "行番号,項目,コード,重大度,内容,詳細"
    values = _values(data, "keirokai")
    assert not _leaked(values, path.read_text(encoding="utf-8-sig"))


def test_my_number_in_an_outgoing_field_stops_the_run(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A probable 個人番号 typed into an approved field stops the whole run (exit 5), naming row and field."""
    line = "{case:08d},01,1620055,東京都新宿区余丁町{n}番1号{extra},見本　花子,S450101,1"
    rows = [line.format(case=i, n=i, extra="") for i in range(1, 6)]
    rows[2] = line.format(case=3, n=3, extra="　6214 9832 0257")  # valid 個人番号 in 4-4-4 groups
    data = tmp_path / "s.csv"
    data.write_bytes("\r\n".join(rows).encode("cp932"))
    proc = cli("check", "seikatsu-hogo", "--input", str(data))
    assert proc.returncode == 5, proc.stderr
    assert "3 行目" in proc.stderr and "住所" in proc.stderr and "6214" not in proc.stderr
    rows[2] = line.format(case=3, n=3, extra="　6214 9832 0258")  # fails the check digit: not a 個人番号
    data.write_bytes("\r\n".join(rows).encode("cp932"))
    assert cli("check", "seikatsu-hogo", "--input", str(data)).returncode == 0
