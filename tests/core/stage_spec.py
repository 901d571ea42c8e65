"""A small programme and stage context built in the test, independent of the shipped site and programme files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from handoff.config import SiteConfig, VendorProfile
from handoff.contract import ROW, TOKYO, StageContext
from handoff.programme import ProgramSpec, check_programme

COLUMNS = [
    {"field": "bango", "label": "宛名番号", "column": "宛名番号", "kind": "code"},
    {"field": "yubin", "label": "郵便番号", "column": "郵便番号", "kind": "postal"},
    {"field": "jusho", "label": "住所", "column": "住所", "kind": "address"},
    {"field": "shimei", "label": "氏名", "column": "氏名", "kind": "name"},
    {"field": "seinengappi", "label": "生年月日", "column": "生年月日", "kind": "date"},
    {"field": "kubun", "label": "区分", "column": "区分", "kind": "code"},
]


def programme(**changes: Any) -> ProgramSpec:
    """郵便番号・住所・氏名 approved (in that order); 宛名番号, 生年月日 and 区分 are read but never leave.

    ``changes`` replace top-level keys (``select``, ``output`` …) before the load-time checks run.
    """
    raw: dict[str, Any] = {
        "id": "mihon",
        "title": "見本事業",
        "department": "見本課",
        "vendor": "V01",
        "council": {"body": "見本会議", "reference": "資料1"},
        "approved": [{"item": "郵便番号", "fields": ["yubin"]}, {"item": "住所", "fields": ["jusho"]},
                     {"item": "氏名", "fields": ["shimei"]}],
        "source": {"format": "csv", "columns": COLUMNS},
        "recipient": {"row_key": ["bango"], "key": ["yubin", "jusho", "shimei"]},
        "output": {"format": "csv", "fields": [{"field": "piece_seq"}, {"field": "yubin"}, {"field": "jusho"},
                                               {"field": "shimei"}, {"field": "cb_bars"}]},
        **changes,
    }
    spec = ProgramSpec.model_validate(raw)
    check_programme(spec, Path("mihon.toml"))
    return spec


def context(profile: VendorProfile | None = None, today: dt.date = dt.date(2026, 6, 1)) -> StageContext:
    """A stage context on ``today`` (noon in Tokyo) with ``profile`` (default: an empty vendor profile)."""
    site = SiteConfig(name="見本区", staff=[], vendors=[], vendor_profiles={})
    now = dt.datetime(today.year, today.month, today.day, 12, tzinfo=TOKYO)
    return StageContext(job_id="20260601-120000-mihon-0000", site=site, profile=profile or VendorProfile(), now=now)


def table(rows: list[dict[str, str]], first_row: int = 2) -> pd.DataFrame:
    """Rows of strings with every source field ("" when not given) and source row numbers from ``first_row``."""
    fields = [c["field"] for c in COLUMNS]
    out = pd.DataFrame([{f: r.get(f, "") for f in fields} for r in rows], columns=fields).astype("str")
    out[ROW] = range(first_row, first_row + len(rows))
    return out
