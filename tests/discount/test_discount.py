"""The bar-code discount report (バーコード割引): counts, thresholds from site.toml, and the run report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from handoff.config import DiscountConfig, defaults_dir, load_site
from handoff.contract import ROW
from handoff.errors import ConfigError
from handoff.mail import address_fields
from handoff.mail.discount import MANUAL, discount_report, summary_lines
from handoff.mail.household import PIECE
from handoff.messages import render
from handoff.programme import ProgramSpec, find_programme
from handoff.report import Finding

PAID = DiscountConfig(payment="料金後納")


def spec_of(programme: str) -> ProgramSpec:
    return find_programme(defaults_dir() / "pipelines", programme)


def piece_table(spec: ProgramSpec, pieces: list[tuple[str, int, str]]) -> tuple[pd.DataFrame, list[Finding]]:
    """One row per document: (郵便番号, documents in the piece, no-barcode reason or "") per piece."""
    rows, findings, row = [], [], 0
    postal = address_fields(spec).postal
    for number, (code, docs, reason) in enumerate(pieces, 1):
        for _ in range(docs):
            row += 1
            rows.append({ROW: row, PIECE: number, postal: code, "cb_bars": "" if reason else "FD" + "T" * 63 + "DF"})
            if reason:
                findings.append(Finding("mail.cb_no_barcode", "warning", row, "address", reason))
    return pd.DataFrame(rows), findings


def test_counts_pieces_not_documents_and_reasons_per_piece() -> None:
    """Pieces (envelopes) are counted, not documents; each barcode-less piece is counted once under its reason."""
    spec = spec_of("kodomo-iryosho")
    table, findings = piece_table(spec, [("1600023", 3, ""), ("1000000", 2, "daihyo"), ("1600022", 1, "unknown"),
                                         ("2630000", 1, "daihyo"), ("1620001", 2, "town_mismatch")])
    rep = discount_report(table, findings, spec, PAID)
    assert rep["size_class"] == "teikei"
    assert (rep["pieces"], rep["pieces_with_barcode"], rep["pieces_without_barcode"]) == (5, 1, 4)
    assert rep["no_barcode_reasons"] == {"daihyo": 2, "town_mismatch": 1, "unknown": 1}
    assert rep["docs_per_piece"] == {"1": 2, "2": 2, "3": 1}
    assert rep["breakdown_slip_needed"] is True


@pytest.mark.parametrize(("with_barcode", "qualifies"), [(999, False), (1000, True)])
def test_threshold_is_counted_on_pieces_with_a_barcode(with_barcode: int, qualifies: bool) -> None:
    """1,000 barcoded postcards qualify and 999 do not, however many barcode-less pieces come with them."""
    spec = spec_of("keirokai")
    pieces = [("1600023", 1, "")] * with_barcode + [("1000000", 1, "daihyo")] * 5
    rep = discount_report(*piece_table(spec, pieces), spec, PAID)
    assert rep["size_class"] == "hagaki" and rep["pieces"] == with_barcode + 5
    assert rep["qualifies"] is qualifies
    assert rep["not_qualifying"] == ([] if qualifies else ["too_few"])


@pytest.mark.parametrize(("payment", "why"), [("", "payment_undeclared"), ("切手", "payment_not_allowed"),
                                              ("料金別納", None), ("料金計器別納", None)])
def test_payment_method_must_be_one_the_manual_allows(payment: str, why: str | None) -> None:
    """Without a declared payment, or paid by stamps, the mailing does not qualify; 別納/後納/計器別納 do."""
    spec = spec_of("keirokai")
    rep = discount_report(*piece_table(spec, [("1600023", 1, "")] * 1000), spec, DiscountConfig(payment=payment))
    assert rep["payment"] == payment
    assert rep["not_qualifying"] == ([why] if why else [])


def test_more_weights_than_a_breakdown_slip_allows_do_not_qualify() -> None:
    """Seven document counts (weights) in one mailing exceed the manual's six kinds with a 内訳票."""
    spec = spec_of("kodomo-iryosho")
    pieces = [("1600023", docs, "") for docs in range(1, 8) for _ in range(150)]
    rep = discount_report(*piece_table(spec, pieces), spec, PAID)
    assert rep["not_qualifying"] == ["too_many_kinds"] and rep["breakdown_slip_needed"] is False


def test_kunai_counts_pieces_per_leading_digits() -> None:
    """郵便区内特別: pieces per first-3-digit area (hyphenated or not), and the areas with 100 or more."""
    spec = spec_of("keirokai")
    pieces = ([("160-0023", 1, "")] * 100 + [("1600022", 1, "daihyo")] * 2 + [("162-0001", 1, "")] * 99
              + [("1690075", 1, "")] * 3)
    kunai = discount_report(*piece_table(spec, pieces), spec, PAID)["kunai"]
    assert kunai["areas"] == {"160": {"pieces": 102, "with_barcode": 100}, "162": {"pieces": 99, "with_barcode": 99},
                              "169": {"pieces": 3, "with_barcode": 3}}
    assert (kunai["areas_meeting_min"], kunai["pieces_in_areas_meeting_min"]) == (1, 102)
    five = discount_report(*piece_table(spec, pieces), spec, DiscountConfig(kunai_digits=5))["kunai"]
    assert set(five["areas"]) == {"16000", "16200", "16900"}


def test_defaults_are_the_manuals_and_site_toml_overrides(tmp_path: Path) -> None:
    """Without [discount] the manual's values apply (1,000; 100; 別納・後納・計器別納); site.toml overrides them."""
    cfg = DiscountConfig()
    assert (cfg.min_pieces, cfg.kunai_min_pieces, cfg.max_kinds, cfg.payment) == (1000, 100, 6, "")
    assert cfg.payments_allowed == ["料金別納", "料金後納", "料金計器別納"]
    assert MANUAL.endswith("zipmanual/p30.html")
    text = (defaults_dir() / "site.toml").read_text(encoding="utf-8")
    (tmp_path / "site.toml").write_text(text + '\n[discount]\nmin_pieces = 2000\npayment = "料金別納"\n',
                                        encoding="utf-8")
    site = load_site(tmp_path)
    assert (site.discount.min_pieces, site.discount.payment, site.discount.kunai_min_pieces) == (2000, "料金別納", 100)
    (tmp_path / "site.toml").write_text(text + '\n[discount]\npayment = "現金"\n', encoding="utf-8")
    with pytest.raises(ConfigError):
        load_site(tmp_path)


def test_summary_lines_render_in_both_languages() -> None:
    """The printed lines fill every placeholder in Japanese and English and name the reasons."""
    spec = spec_of("kodomo-iryosho")
    rep = discount_report(*piece_table(spec, [("1600023", 2, ""), ("1000000", 1, "daihyo")]), spec, DiscountConfig())
    for lang in ("ja", "en"):
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("HANDOFF_LANG", lang)
            lines = summary_lines(rep)
        assert lines and not any("{" in line or "mail.discount" in line for line in lines)
        assert render("mail.discount.reason.daihyo", lang) in "\n".join(lines)


def test_report_holds_no_full_postal_code() -> None:
    """The report names 3-digit areas and counts only: no 7-digit 郵便番号 survives into it."""
    spec = spec_of("keirokai")
    rep = discount_report(*piece_table(spec, [("1600023", 1, ""), ("1620001", 1, "")]), spec, PAID)
    assert not re.search(r"\d{7}|\d{3}-\d{4}", json.dumps(rep))


# --- in the run report ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def site_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.package.test_wiring import init_site

    home = init_site(tmp_path_factory.mktemp("discount") / "site")
    with (home / "site.toml").open("a", encoding="utf-8") as f:
        f.write('\n[discount]\npayment = "料金後納"\n')
    return home


def _run(home: Path, programme: str, rows: int) -> dict[str, object]:
    import os
    import subprocess
    import sys

    from handoff import api

    src = home.parent / f"{programme}.csv"
    subprocess.run([sys.executable, "-m", "handoff", "sample", programme, "-o", str(src), "-n", str(rows),
                    "--no-progress"], check=True, capture_output=True, env={**os.environ, "HANDOFF_HOME": str(home)})
    result = api.run(programme, src, staff="S001", site=home)
    saved = json.loads((result.internal["report"]).read_text(encoding="utf-8"))
    assert saved["postal_discount"] == result.report.to_json()["postal_discount"]
    return dict(saved)


def test_postcard_run_reports_the_discount(site_home: Path) -> None:
    """敬老会 postcards: every postcard is a piece; barcode-less pieces equal the barcode stage's findings."""
    saved = _run(site_home, "keirokai", 2500)
    rep = saved["postal_discount"]
    assert isinstance(rep, dict)
    findings = saved["findings"]
    assert isinstance(findings, dict)
    assert rep["size_class"] == "hagaki" and rep["pieces"] == saved["pieces"] == saved["counts"]["rows_selected"]
    assert rep["pieces_without_barcode"] == findings.get("mail.cb_no_barcode", 0) == sum(
        rep["no_barcode_reasons"].values())
    assert rep["payment"] == "料金後納" and rep["qualifies"] is (rep["pieces_with_barcode"] >= 1000)
    assert sum(a["pieces"] for a in rep["kunai"]["areas"].values()) == rep["pieces"]


def test_envelope_run_counts_daihyo_pieces(site_home: Path) -> None:
    """子ども医療証 envelopes: pieces with a 代表番号 are counted under daihyo, at most one per barcode-less document."""
    saved = _run(site_home, "kodomo-iryosho", 3000)
    rep = saved["postal_discount"]
    assert isinstance(rep, dict)
    findings = saved["findings"]
    assert isinstance(findings, dict)
    assert rep["size_class"] == "teikei" and rep["pieces"] == saved["pieces"]
    assert rep["no_barcode_reasons"].get("daihyo", 0) >= 1
    assert 1 <= rep["pieces_without_barcode"] <= findings["mail.cb_no_barcode"]
    assert sum(rep["docs_per_piece"].values()) == rep["pieces"]
    assert sum(int(k) * v for k, v in rep["docs_per_piece"].items()) == saved["documents"]
