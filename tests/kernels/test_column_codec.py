"""A column encoded in one codec call equals its values encoded one by one."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from handoff.kernels import column_codec

# Characters Python's cp932 writes (one byte, two bytes, a second byte equal to "\\" or "|") and two it cannot
WRITABLE = ["a", "1", "ｱ", "東", "ソ", "表", "能", "〜", "\\"]
UNWRITABLE = ["𠮷", "—"]


def reference_encoded(values: list[str], codec: str, allowed: list[bool] | None) -> list[bytes]:
    """Each value encoded alone; "?" for what the codec cannot write inside an allowed row."""
    out = []
    for i, value in enumerate(values):
        errors = "replace" if allowed is not None and allowed[i] else "strict"
        out.append(value.encode(codec, errors=errors))
    return out


@given(st.lists(st.text(alphabet=st.sampled_from(WRITABLE), max_size=5), max_size=12), st.integers(0, 3),
       st.sampled_from(["cp932", "utf-8", "euc_jp"]))
def test_encode_joined_is_each_value_encoded(values: list[str], skip: int, codec: str) -> None:
    """Every value's bytes equal its own encoding, for a sliced column too."""
    skip = min(skip, len(values))
    arr = pa.array(values, type=pa.large_string()).slice(skip)
    got = column_codec.encode_joined(arr, column_codec.joined_text(arr), codec).to_pylist()
    assert got == reference_encoded(values[skip:], codec, None)


@given(st.lists(st.tuples(st.text(alphabet=st.sampled_from(WRITABLE + UNWRITABLE), max_size=4), st.booleans()),
                max_size=12))
def test_encode_joined_marks_only_allowed_rows(rows: list[tuple[str, bool]]) -> None:
    """With allowed rows, what the codec cannot write is "?" there; anywhere else UnmarkedError is raised."""
    values = [v for v, _ in rows]
    allowed = [a for _, a in rows]
    arr = pa.array(values, type=pa.large_string())
    text = column_codec.joined_text(arr)
    missed = any(not a and any(c in UNWRITABLE for c in v) for v, a in rows)
    if missed:
        with pytest.raises(column_codec.UnmarkedError):
            column_codec.encode_joined(arr, text, "cp932", pa.array(allowed, type=pa.bool_()))
        return
    got = column_codec.encode_joined(arr, text, "cp932", pa.array(allowed, type=pa.bool_())).to_pylist()
    assert got == reference_encoded(values, "cp932", allowed)


@given(st.lists(st.text(alphabet=st.sampled_from(WRITABLE), max_size=4), max_size=8))
def test_joined_text_ends_every_value_with_a_line_feed(values: list[str]) -> None:
    """joined_text is every value followed by a line feed."""
    arr = pa.array(values, type=pa.large_string())
    assert column_codec.joined_text(arr) == "".join(v + "\n" for v in values)
