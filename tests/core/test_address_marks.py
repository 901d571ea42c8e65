"""Address marks as hyphens in numpy, pinned to the two regular-expression replaces they stand for."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handoff.kernels.address_marks import REFERENCE, unify_marks


def _reference(values: list[str]) -> list[str]:
    arr = pa.array(values, type=pa.large_string())
    for pattern, replacement in REFERENCE:
        arr = pc.replace_substring_regex(arr, pattern, replacement)
    return arr.to_pylist()


def _unified(values: list[str]) -> list[str]:
    return unify_marks(pa.array(values, type=pa.large_string())).to_pylist()


@pytest.mark.parametrize(("text", "expected"), [
    ("1丁目2番3号", "1-2-3"),
    ("1丁目2番地3", "1-2-3"),
    ("3丁目26-3見本ハイツ101", "3-26-3見本ハイツ101"),
    ("1丁目目2", "1目2"),
    ("1番地地", "1地"),
    ("1丁丁目2", "1-2"),
    ("1--2", "1-2"),
    ("a--2", "a-2"),
    ("-1", "-1"),
    ("1-ー‐2の3ノ4", "1-2-3-4"),
    ("1-a-", "1a"),
    ("丁目1", "丁目1"),
    ("一丁目", "一丁目"),
    ("12号室", "12室"),
    ("", ""),
    ("-", ""),
    ("東京都見本区見本町1丁目2番3号", "東京都見本区見本町1-2-3"),
    ("見本町ノ丁目ー1番", "見本町ノ丁目ー1"),
])
def test_typical_and_edge_values(text: str, expected: str) -> None:
    """Marks after a digit become one hyphen; loose hyphens go; 目/地 count only after 丁/番; both ways agree."""
    assert _unified([text]) == [expected] == _reference([text])


_ALPHABET = [*"0129-丁目番地号のノ‐‑‒–—―−ーa見ｱ一", "丁目", "番地", "--", "1丁"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_ALPHABET), max_size=10).map("".join), max_size=12))
def test_equals_the_regular_expressions(values: list[str]) -> None:
    """For any column built from marks, digits, hyphens and other characters, the bytes give the reference."""
    assert _unified(values) == _reference(values)


def test_values_do_not_leak_into_each_other() -> None:
    """A value ending in a digit or a hyphen is not read on into the next one (and a sliced column works)."""
    values = ["x", "1", "丁目2", "3-", "-4", "5", "", "番地", "6-", "", "7"]
    arr = pa.array(values, type=pa.large_string()).slice(1)
    assert unify_marks(arr).to_pylist() == _reference(values[1:])
