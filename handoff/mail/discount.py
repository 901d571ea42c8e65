"""Whether a mailing qualifies for Japan Post's bar-code discount (バーコード割引), in counts only.

The conditions are those of the 郵便番号・バーコードマニュアル, 料金割引 (https://www.post.japanpost.jp/zipcode/
zipmanual/p30.html): 第一種定形郵便物 or 第二種郵便物 (はがき); a customer barcode that correctly gives the
郵便番号 and address on the piece; pieces of the same shape, weight and handling handed in at once, 1,000 or
more (100 or more for 郵便区内特別郵便物, counted per 郵便区); paid by 料金別納, 料金後納 or 料金計器別納. The
thresholds and the ward's payment method are site settings (``[discount]``, handoff.config.DiscountConfig) whose
defaults are the manual's. Reference/customer-barcode.md says which pieces get no barcode (代表番号, p18).

A piece without a customer barcode (handoff.mail.barcode: 代表番号, unknown code, address not in the code's
町域) cannot travel as a バーコード付郵便物: it is mailed at the full rate, so the report counts it apart, by
reason, and judges the discount on the pieces that carry a barcode. 定形 is taken from the programme (not
``postcard``). Weight and thickness are not known to handoff, but pieces holding different numbers of documents
weigh differently: the report gives the documents-per-piece histogram, says when a 内訳票 is needed (the manual
allows up to 6 kinds of shape and weight at once with one) and refuses the discount beyond ``max_kinds``.

The report holds counts, reason codes and 郵便区 numbers (the first digits of a 郵便番号, an area shared by
thousands of addresses) — never a name, an address or a full 郵便番号.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from handoff.config import DiscountConfig
from handoff.contract import ROW
from handoff.kernels.runs import run_starts
from handoff.mail import address_fields
from handoff.mail.household import PIECE
from handoff.programme import ProgramSpec
from handoff.report import Finding

MANUAL = "https://www.post.japanpost.jp/zipcode/zipmanual/p30.html"
NO_BARCODE = "mail.cb_no_barcode"  # the barcode stage's finding (handoff.mail.barcode.NO_BARCODE)


def _piece_starts(table: pd.DataFrame) -> np.ndarray[Any, np.dtype[np.int64]]:
    """The first document of every piece (rows in piece order, as the sort leaves them)."""
    if table.empty:
        return np.zeros(0, np.int64)
    return np.flatnonzero(run_starts(table[PIECE].to_numpy(dtype=np.int64))).astype(np.int64)


def _lengths(column: pd.Series) -> np.ndarray[Any, np.dtype[np.int64]]:
    """The byte length of every value (Arrow, no Python string per row: a million-document job)."""
    import pyarrow.compute as pc

    from handoff.kernels.strings import arrow_strings

    return np.asarray(pc.binary_length(arrow_strings(column)).to_numpy(zero_copy_only=False), dtype=np.int64)


def discount_report(table: pd.DataFrame, findings: list[Finding], spec: ProgramSpec,
                    cfg: DiscountConfig) -> dict[str, Any]:
    """The bar-code discount report of a piece table that went through household, sort and barcode."""
    starts = _piece_starts(table)
    ends = np.r_[starts[1:], len(table)].astype(np.int64)
    pieces = len(starts)
    with_barcode = _lengths(table["cb_bars"])[starts] > 0
    # A piece's documents share one address: the first document's reason is the piece's.
    reason_of_row = {f.row: f.detail for f in findings if f.code == NO_BARCODE}
    rows = table[ROW].to_numpy()[starts[~with_barcode]]
    reasons: dict[str, int] = {}
    for row in rows.tolist():
        reason = reason_of_row.get(int(row), "other")
        reasons[reason] = reasons.get(reason, 0) + 1
    eligible = int(with_barcode.sum())
    sizes, counts = np.unique(ends - starts, return_counts=True)
    docs_hist = {str(s): int(c) for s, c in zip(sizes.tolist(), counts.tolist(), strict=True)}
    kunai = _kunai(table, spec, starts, with_barcode, cfg)
    payment_ok = cfg.payment in cfg.payments_allowed and cfg.payment != ""
    reasons_not = []
    if eligible < cfg.min_pieces:
        reasons_not.append("too_few")
    if not payment_ok:
        reasons_not.append("payment_undeclared" if cfg.payment == "" else "payment_not_allowed")
    kinds = len(docs_hist)  # pieces of different document counts weigh differently
    if kinds > cfg.max_kinds:
        reasons_not.append("too_many_kinds")
    return {
        "manual": MANUAL,
        "size_class": "hagaki" if spec.postcard else "teikei",
        "pieces": pieces,
        "pieces_with_barcode": eligible,
        "pieces_without_barcode": pieces - eligible,
        "no_barcode_reasons": dict(sorted(reasons.items())),
        "docs_per_piece": docs_hist,
        "breakdown_slip_needed": 1 < kinds <= cfg.max_kinds,  # 内訳票: different weights handed in at once
        "min_pieces": cfg.min_pieces,
        "payment": cfg.payment,
        "payments_allowed": list(cfg.payments_allowed),
        "qualifies": not reasons_not,
        "not_qualifying": reasons_not,
        "kunai": kunai,
    }


def _kunai(table: pd.DataFrame, spec: ProgramSpec, starts: np.ndarray[Any, np.dtype[np.int64]],
           with_barcode: np.ndarray[Any, np.dtype[np.bool_]], cfg: DiscountConfig) -> dict[str, Any]:
    """Pieces per 郵便区 (the first ``kunai_digits`` digits of the 郵便番号) for 郵便区内特別郵便物."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from handoff.kernels.strings import arrow_strings

    codes = arrow_strings(table[address_fields(spec).postal]).take(pa.array(starts))
    area = pc.utf8_slice_codeunits(pc.replace_substring_regex(codes, r"\D", ""), 0, cfg.kunai_digits)
    grouped = pa.table({"area": area, "barcode": pa.array(with_barcode)}).group_by("area").aggregate(
        [("barcode", "count"), ("barcode", "sum")]).sort_by("area").to_pydict()
    areas = {str(a): {"pieces": int(n), "with_barcode": int(b or 0)} for a, n, b in
             zip(grouped["area"], grouped["barcode_count"], grouped["barcode_sum"], strict=True)}
    meeting = [a for a, c in areas.items() if c["pieces"] >= cfg.kunai_min_pieces]
    return {
        "digits": cfg.kunai_digits,
        "min_pieces": cfg.kunai_min_pieces,
        "areas": areas,
        "areas_meeting_min": len(meeting),
        "pieces_in_areas_meeting_min": sum(areas[a]["pieces"] for a in meeting),
    }


def summary_lines(report: dict[str, Any]) -> list[str]:
    """The report as the printed run summary shows it (counts and codes only), in the current language."""
    from handoff.messages import t

    verdict = "mail.discount.qualifies" if report["qualifies"] else "mail.discount.not_qualifying"
    lines = [
        t("mail.discount.title", size=t(f"mail.discount.size.{report['size_class']}"), pieces=report["pieces"],
          with_barcode=report["pieces_with_barcode"], without=report["pieces_without_barcode"],
          min=report["min_pieces"]),
        t(verdict, reasons="、".join(t(f"mail.discount.why.{r}") for r in report["not_qualifying"])),
        t("mail.discount.payment", payment=report["payment"] or t("mail.discount.payment_none"),
          allowed="・".join(report["payments_allowed"])),
    ]
    if report["breakdown_slip_needed"]:
        hist = ", ".join(f"{n}: {c:,}" for n, c in report["docs_per_piece"].items())
        lines.append(t("mail.discount.breakdown_slip", kinds=len(report["docs_per_piece"]), hist=hist))
    for reason, count in report["no_barcode_reasons"].items():
        lines.append(t("mail.discount.no_barcode", reason=t(f"mail.discount.reason.{reason}"), count=count))
    k = report["kunai"]
    lines.append(t("mail.discount.kunai", digits=k["digits"], areas=len(k["areas"]), min=k["min_pieces"],
                   meeting=k["areas_meeting_min"], pieces=k["pieces_in_areas_meeting_min"]))
    return lines
