"""The shared listing printer (handoff.cli.common.print_rows): a table while the whole columns fit, records when
they do not; ids never cut, values never read as markup."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from handoff.cli import common
from handoff.cli.common import Column, print_rows

ID = "20261207-091131-kodomo-iryosho-3f9a-M1"
COLUMNS = [Column("媒体ID", whole=True), Column("状態"), Column("メモ")]
ROWS = [[ID, "検証済み（受渡し可）", "[bold]x[/bold] \x1b[31m"]]


def _printed(width: int, monkeypatch: pytest.MonkeyPatch) -> str:
    out = io.StringIO()
    monkeypatch.setattr(common, "console", Console(file=out, width=width, highlight=False))
    print_rows(COLUMNS, ROWS, title="一覧")
    return out.getvalue()


def test_narrow_output_is_one_record_per_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """At 40 columns the row is printed as heading: value lines, the id whole though the line is longer than 40."""
    assert _printed(40, monkeypatch) == (f"一覧\n媒体ID: {ID}\n状態: 検証済み（受渡し可）\n"
                                         "メモ: [bold]x[/bold] \\x1b[31m\n")


def test_wide_output_is_a_table_with_the_id_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """At 60 columns the id fits: a table whose other columns wrap, the id on one line of its cell."""
    text = _printed(60, monkeypatch)
    lines = text.splitlines()
    assert lines[0] == "一覧" and lines[1].startswith("┏")
    assert any(f"│ {ID} │" in line for line in lines)
    assert "…" not in text and "[bold]" in text and "\x1b" not in text  # markup shown as text, ESC made visible
    assert all(len(line) <= 60 for line in lines)


def test_the_switch_is_where_the_whole_columns_stop_fitting(monkeypatch: pytest.MonkeyPatch) -> None:
    """The table needs the id (38) + two columns wrapped to 6 + padding (2 each) + rules (4) = 60 columns."""
    assert _printed(60, monkeypatch).splitlines()[1].startswith("┏")
    assert _printed(59, monkeypatch).splitlines()[1] == f"媒体ID: {ID}"
