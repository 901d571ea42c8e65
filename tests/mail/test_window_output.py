"""Window lines in the vendor file (住所1..N), on the proof sheet (pdftotext -layout), and as exceptions."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from handoff.config import InserterProfile, SiteConfig, VendorProfile, WindowProfile
from handoff.contract import ROW, StageContext
from handoff.errors import PolicyError
from handoff.mail import barcode, household, proof, sort, window
from handoff.mail.render import render_file
from handoff.programme import ProgramSpec
from tests.mail.test_send_to import AWAY, HOME, row, send_to_programme, table_of

WINDOW = WindowProfile(lines=4, chars=10)


def ctx_with(site: SiteConfig, win: WindowProfile | None) -> StageContext:
    profile = VendorProfile(window=win, inserter=InserterProfile(feeders=["お知らせ", "てびき"]))
    return StageContext(job_id="20260401-000000-test-0000", site=site, profile=profile, rng=random.Random(1))


@pytest.fixture(scope="module")
def spec() -> ProgramSpec:
    return send_to_programme()


def rows() -> pd.DataFrame:
    return table_of([
        row(1, *HOME, "見本 太郎", katagaki="サンプル荘203号室"),
        row(2, "1100016", "東京都台東区台東5-6-3", "見本 次郎", katagaki="コーポサンプル東棟 1203号室"),
        row(3, *HOME, "見本 三郎", okurisaki_yubin=AWAY[0], okurisaki_jusho=AWAY[1],
            okurisaki_katagaki="郵便センター6号館", okurisaki_samakata="見本 花子"),
    ])


def pieces(spec: ProgramSpec, table: pd.DataFrame, ctx: StageContext) -> pd.DataFrame:
    return barcode.run(sort.run(household.run(table, spec, ctx).table, spec, ctx).table, spec, ctx).table


def vendor_csv(spec: ProgramSpec, table: pd.DataFrame, ctx: StageContext) -> list[list[str]]:
    out = pieces(spec, table, ctx)
    vendor = out.drop(columns=[c for c in out.columns if c.startswith("_") and c != ROW])
    data = b"".join(bytes(c) for c in render_file(vendor, spec, ctx.profile).chunks).decode("cp932")
    return [line[1:-1].split('","') for line in data.split("\r\n") if line]


def test_vendor_file_gets_the_window_lines(spec: ProgramSpec, site: SiteConfig) -> None:
    """With a window, the vendor file ends with 住所1..住所4 holding the laid-out lines of each destination."""
    records = vendor_csv(spec, rows(), ctx_with(site, WINDOW))
    header, body = records[0], records[1:]
    assert header[-4:] == ["住所1", "住所2", "住所3", "住所4"]
    jukyusha = header.index("受給者番号")
    lines = {r[jukyusha]: r[-4:] for r in body}
    assert lines["0000001"] == ["東京都台東区", "台東5-6-3", "サンプル荘203号室", ""]
    assert lines["0000002"] == ["東京都台東区", "台東5-6-3", "コーポサンプル東棟", "1203号室"]
    # the 送付先: its address, its 方書, then 「○○様方」 on its own line
    assert lines["0000003"] == ["北海道札幌市東区", "北六条東4丁目", "郵便センター6号館", "見本花子様方"]


def test_without_window_the_file_is_as_before(spec: ProgramSpec, site: SiteConfig) -> None:
    """A profile without a window adds no column: the header is exactly the programme's output labels."""
    header = vendor_csv(spec, rows(), ctx_with(site, None))[0]
    assert header == [spec.label(f) for f in spec.output_fields]


def test_overflow_is_an_exception_never_cut(spec: ProgramSpec, site: SiteConfig) -> None:
    """A destination that cannot fit is an error finding (row, field; no value); render refuses it."""
    ctx = ctx_with(site, WindowProfile(lines=2, chars=10))
    table = rows()
    result = window.run(table, spec, ctx)
    found = {(f.row, f.field) for f in result.findings}
    assert found == {(1, "katagaki"), (2, "katagaki"), (3, "okurisaki_katagaki")}
    assert all(f.code == window.OVERFLOW and f.blocks_row and f.detail == "" for f in result.findings)
    with pytest.raises(PolicyError) as err:
        vendor_csv(spec, table, ctx)
    assert err.value.code == window.OVERFLOW


def test_window_step_is_silent_without_a_window(spec: ProgramSpec, site: SiteConfig) -> None:
    """A profile without a window: the window step returns the table untouched and finds nothing."""
    table = rows()
    result = window.run(table, spec, ctx_with(site, None))
    assert result.table is table and result.findings == []


def test_proof_shows_the_same_lines(spec: ProgramSpec, site: SiteConfig, tmp_path: Path) -> None:
    """pdftotext -layout reads the proof's address block as the window lines: never 号室 alone on a line."""
    ctx = ctx_with(site, WINDOW)
    out = pieces(spec, rows(), ctx)
    path = proof.write_proof(out, spec, tmp_path / proof.FILE_NAME, n=5, job_id=ctx.job_id, window=WINDOW)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    shown = [line.strip() for line in text.splitlines()]
    for expected in ("東京都台東区", "台東5-6-3", "サンプル荘203号室", "コーポサンプル東棟", "1203号室",
                     "北海道札幌市東区", "北六条東4丁目", "郵便センター6号館", "見本花子様方", "〒060-0906"):
        assert expected in shown
    assert not any(line in ("号室", "室") or line.startswith("号室") for line in shown)
    assert "見本 三郎 様" in shown  # the 送付先 without its own name: addressed to the recipient, c/o 見本花子


def test_proof_without_window_breaks_at_the_same_points(kodomo: ProgramSpec, site: SiteConfig,
                                                        tmp_path: Path) -> None:
    """Without a window the proof lays 24-character lines at the same break points (no mid-token wrap)."""
    ctx = ctx_with(site, None)
    address = "東京都台東区台東5-6-3サンプルガーデンレジデンス203号室"
    table = table_of([row(1, "1100016", address, "見本 太郎")])[[*spec_fields(kodomo), ROW]]
    out = pieces(kodomo, table, ctx)
    path = proof.write_proof(out, kodomo, tmp_path / proof.FILE_NAME, n=5, job_id=ctx.job_id)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    shown = [line.strip() for line in text.splitlines()]
    assert "東京都台東区台東5-6-3" in shown and "サンプルガーデンレジデンス203号室" in shown


def spec_fields(spec: ProgramSpec) -> list[str]:
    return [c.field for c in spec.source.columns]
