"""Rules worked once per distinct value give exactly what they give row by row (validate and minimise)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from handoff.config import load_site
from handoff.contract import ROW, StageContext
from handoff.errors import PolicyError
from handoff.kernels import ranks
from handoff.pipeline import check
from handoff.programme import ProgramSpec
from handoff.stages import extract, minimise, validate

PROGRAMMES = ["kodomo-iryosho", "kokuho-tokusoku", "ninpu-kyufu", "keirokai", "seikatsu-hogo"]


def by_row(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ranks, "DISTINCT_MIN_ROWS", 10**9)


def by_value(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every column that may take the distinct path takes it, whatever its size and share."""
    monkeypatch.setattr(ranks, "DISTINCT_MIN_ROWS", 0)
    monkeypatch.setattr(ranks, "DISTINCT_MAX_SHARE", 1.0)


def sample_table(cli: Any, tmp_path: Path, programme: str) -> tuple[pd.DataFrame, ProgramSpec, StageContext]:
    """A 3,000-row synthetic export with the generator's planted defects, extracted."""
    from handoff.programme import find_programme

    data = tmp_path / "export.dat"
    cli("sample", programme, "--rows", "3000", "--seed", "11", "--out", str(data), check=True)
    site = load_site()
    spec = find_programme(site.pipelines_path, programme)
    ctx = check.context_for(spec, site, "test", dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    return extract.run(data, spec, ctx).table, spec, ctx


@pytest.mark.parametrize("programme", PROGRAMMES)
def test_validate_distinct_path_equals_row_path(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                                programme: str) -> None:
    """On every programme's export both paths give the same findings (details too) and normalised values."""
    table, spec, ctx = sample_table(cli, tmp_path, programme)

    def validated() -> tuple[list[tuple[str, str, int, str, str]], dict[str, list[str]]]:
        result = validate.run(table, spec, ctx)
        findings = [(f.code, f.severity, f.row, f.field, f.detail) for f in result.findings]
        return findings, {c: result.table[c].tolist() for c in result.table.columns}

    by_row(monkeypatch)
    rows = validated()
    by_value(monkeypatch)
    assert validated() == rows
    assert any(f[4] for f in rows[0]) or programme != "kodomo-iryosho"  # 外字 findings carry details


@pytest.mark.parametrize("programme", ["kodomo-iryosho", "seikatsu-hogo"])
def test_minimise_distinct_path_equals_row_path(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                                programme: str) -> None:
    """Substituted values and substitution counts (per row) are the same on both paths."""
    table, spec, ctx = sample_table(cli, tmp_path, programme)
    validated = validate.run(table, spec, ctx).table
    # repeat the rows so that every value, 外字 included, occurs several times
    projected = pd.concat([validated[[*spec.approved_fields, ROW]]] * 3, ignore_index=True)
    by_row(monkeypatch)
    rows = minimise.run(projected, spec, ctx)
    by_value(monkeypatch)
    values = minimise.run(projected, spec, ctx)
    assert rows.stats == values.stats and rows.stats["substitutions"]
    pd.testing.assert_frame_equal(values.table, rows.table)


def test_my_number_names_the_same_row_on_both_paths(cli, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A probable 個人番号 repeated in a column stops the run at its first row on both paths."""
    table, spec, ctx = sample_table(cli, tmp_path, "kodomo-iryosho")
    projected = validate.run(table, spec, ctx).table[[*spec.approved_fields, ROW]].copy()
    field = spec.approved_fields[-1]
    fake = "1234 5678 9018"  # passes the 個人番号 check digit (stdnum.jp.in_)
    projected.loc[[700, 1500, 2900], field] = fake
    messages = []
    for mode in (by_row, by_value):
        mode(monkeypatch)
        with pytest.raises(PolicyError) as err:
            minimise.run(projected, spec, ctx)
        messages.append(str(err.value.params))
    assert messages[0] == messages[1] and str(int(projected.loc[700, ROW])) in messages[0]


@pytest.mark.parametrize("programme", ["kodomo-iryosho", "seikatsu-hogo"])
def test_minimise_in_halves_equals_whole(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                         programme: str) -> None:
    """A nearly distinct column worked in two halves gives the values, substitutions and refusal of one pass."""
    table, spec, ctx = sample_table(cli, tmp_path, programme)
    projected = validate.run(table, spec, ctx).table[[*spec.approved_fields, ROW]].copy()
    monkeypatch.setattr(minimise, "_SPLIT_ROWS", 10**9)
    whole = minimise.run(projected, spec, ctx)
    monkeypatch.setattr(minimise, "_SPLIT_ROWS", 0)
    assert any(len(minimise._parts(projected[name])) == 2 for name in spec.approved_fields)
    halves = minimise.run(projected, spec, ctx)
    assert halves.stats == whole.stats
    pd.testing.assert_frame_equal(halves.table, whole.table)
    # a 個人番号 in both halves of the split column, or in the second only: the first one is named, as in one pass
    split = next(name for name in spec.approved_fields if len(minimise._parts(projected[name])) == 2)
    for planted in ([700, 2900], [1600, 2900]):
        marked = projected.copy()
        marked.loc[planted, split] = "東京都 1234 5678 9018"
        messages = []
        for rows in (10**9, 0):
            monkeypatch.setattr(minimise, "_SPLIT_ROWS", rows)
            with pytest.raises(PolicyError) as err:
                minimise.run(marked, spec, ctx)
            messages.append(err.value.params)
        assert messages[0] == messages[1] and messages[0]["row"] == int(marked.loc[planted[0], ROW])


def test_findings_come_in_the_order_of_a_plain_sort() -> None:
    """Findings made from flagged rows are ordered by row, field and code, ties in the order they were added."""
    import numpy as np
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from handoff.report import Finding

    codes = ["length.over", "charset.private_use", "required.missing", "charset.vendor_extension"]
    part = st.tuples(st.sampled_from(codes), st.sampled_from(["b", "a", "a+b", "c"]),
                     st.lists(st.integers(0, 9), unique=True, min_size=1, max_size=6), st.booleans())

    @settings(max_examples=200, deadline=None)
    @given(st.lists(part, max_size=8), st.permutations(list(range(10))))
    def check(parts: list[tuple[str, str, list[int], bool]], row_numbers: list[int]) -> None:
        rows = np.array(row_numbers, dtype=np.int64) * 3 + 2  # source lines, not in position order
        flagged = [(code, field, np.array(sorted(at), dtype=np.intp),
                    [f"{code}:{i}" for i in sorted(at)] if detailed else None)
                   for code, field, at, detailed in parts]
        expected = [Finding(code, validate.SEVERITY[code], int(rows[i]), field, texts[k] if texts else "")
                    for code, field, at, texts in flagged for k, i in enumerate(at.tolist())]
        expected.sort(key=lambda f: (f.row, f.field, f.code))
        assert validate._findings(flagged, rows) == expected

    check()
