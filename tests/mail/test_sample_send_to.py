"""Synthetic 方書 and 送付先: only for a programme declaring them, and they go through householding and barcodes."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from handoff.config import SiteConfig, WindowProfile
from handoff.contract import ROW, TOKYO
from handoff.mail import barcode, household, recipient, sort, window
from handoff.pipeline import check
from handoff.sample import generator, writers
from tests.mail.conftest import programme
from tests.mail.test_send_to import SEND_TO, send_to_programme

NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=TOKYO)


def test_programmes_without_the_fields_get_the_same_rows(site: SiteConfig) -> None:
    """The shipped 子ども医療証 sample has no 方書/送付先 value and its rows match a run without those fields."""
    spec = programme("kodomo-iryosho")
    profile = site.profile_of(spec.vendor)
    plain = generator.generate(spec, profile, 600, seed=3, today=NOW.date())
    assert all(set(r.values) == {c.field for c in spec.source.columns} for r in plain.rows)
    declared = generator.generate(send_to_programme(), profile, 600, seed=3, today=NOW.date())
    # the same households and the same defects: the new fields use a random stream of their own
    assert [(r.household, r.defects, r.selected) for r in plain.rows] == \
           [(r.household, r.defects, r.selected) for r in declared.rows]
    assert [r.values["hogosha_shimei"] for r in plain.rows] == [r.values["hogosha_shimei"] for r in declared.rows]


def test_declared_fields_are_filled_and_mailed(site: SiteConfig, tmp_path: Path) -> None:
    """Declared 方書/送付先 are filled, barcoded at the 送付先's own code, and pieces equal the planted households."""
    spec = send_to_programme()
    profile = site.profile_of(spec.vendor)
    sample = generator.generate(spec, profile, 1500, seed=11, today=NOW.date())
    rows = sample.rows
    assert sum(bool(r.values["katagaki"]) for r in rows) > 200
    assert not any("\u3000" in r.values["hogosha_jusho"] for r in rows if not r.defects)
    away = [r for r in rows if r.values[SEND_TO["address"]]]
    assert 10 < len({r.household for r in away}) < 150
    by_household: dict[int, set[str]] = {}
    for r in rows:
        by_household.setdefault(r.household, set()).add(r.values[SEND_TO["address"]])
    assert all(len(v) == 1 for v in by_household.values())  # a household shares its 送付先

    data = tmp_path / "export.csv"
    writers.write(spec, rows, data)
    ctx = check.context_for(spec, site, "20260601-090000-test-0000", NOW)
    ctx = dataclasses.replace(ctx, profile=profile.model_copy(update={"window": None}))
    checked = check.check(data, spec, ctx)
    result = household.run(checked.table, spec, ctx)
    assert result.stats["pieces"] == sample.expected["households"]["pieces"]
    mailed = barcode.run(sort.run(result.table, spec, ctx).table, spec, ctx).table
    going = mailed[mailed[SEND_TO["address"]] != ""]
    assert len(going) > 0
    symbols, _bars, reason = barcode.customer_barcodes(going[recipient.TO["postal"]], going[recipient.TO["address"]])
    assert (reason == "").all()
    assert all(s.replace(" ", "").startswith(p) for s, p in zip(symbols, going[SEND_TO["postal"]], strict=True))
    laid = window.layouts(mailed, spec, WindowProfile(lines=4, chars=20))
    assert not any(lay.overflow for lay in laid) and len(laid) == len(mailed[ROW])
