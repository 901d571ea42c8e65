"""Validation per distinct value gives exactly the findings and values of validation row by row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from handoff.config import load_site
from handoff.pipeline import runner
from handoff.programme import find_programme
from handoff.stages import extract, validate

PROGRAMMES = ["kodomo-iryosho", "kokuho-tokusoku", "ninpu-kyufu", "keirokai", "seikatsu-hogo"]


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_distinct_value_path_equals_row_path(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                             programme: str) -> None:
    """On a synthetic export with planted defects, both paths give the same findings (details too) and values."""
    data = tmp_path / "export.dat"
    cli("sample", programme, "--rows", "3000", "--seed", "11", "--out", str(data), check=True)
    site = load_site()
    spec = find_programme(site.pipelines_path, programme)
    ctx = runner.context_for(spec, site, "test", dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    table = extract.run(data, spec, ctx).table

    def validated() -> tuple[list[tuple[str, str, int, str, str]], dict[str, list[str]]]:
        result = validate.run(table, spec, ctx)
        findings = [(f.code, f.severity, f.row, f.field, f.detail) for f in result.findings]
        return findings, {c: result.table[c].tolist() for c in result.table.columns}

    monkeypatch.setattr(validate, "_DISTINCT_MIN_ROWS", 10**9)
    by_row = validated()
    monkeypatch.setattr(validate, "_DISTINCT_MIN_ROWS", 0)
    monkeypatch.setattr(validate, "_DISTINCT_MAX_SHARE", 1.0)
    by_value = validated()
    assert by_value == by_row
    details = [f for f in by_row[0] if f[4]]
    assert details or programme != "kodomo-iryosho"  # 外字 findings carry position details
