"""Text tools agree with Python's own string operations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from handoff.kernels import text

CHARS = ["a", "1", " ", "\t", "\n", "\x0b", "\x0c", "\r", "\u3000", "\x85", "\xa0", "東", "é", "\U0002000b", "\x00"]
METACHARACTERS = ["[", "]", "\\", "^", "-", "."]


def reference_without_whitespace(value: str) -> str:
    """The value without RE2's \\s characters (tab, line feed, form feed, carriage return, space)."""
    return "".join(c for c in value if c not in text.RE2_WHITESPACE)


def reference_distinct_chars(value: str) -> list[str]:
    """The value's distinct characters from U+0080 on, in code-point order."""
    return sorted({c for c in value if ord(c) >= 0x80})


@given(st.lists(st.text(alphabet=st.sampled_from(CHARS), max_size=6), max_size=12), st.integers(0, 3))
def test_without_whitespace_is_the_reference(values: list[str], skip: int) -> None:
    """without_whitespace removes exactly RE2's \\s, never \\v, U+3000, U+0085 or U+00A0 (sliced arrays too)."""
    skip = min(skip, len(values))
    arr = pa.array(values, type=pa.large_string()).slice(skip)
    assert text.without_whitespace(arr).to_pylist() == [reference_without_whitespace(v) for v in values[skip:]]


def test_re2_whitespace_is_what_re2_matches() -> None:
    """RE2_WHITESPACE is exactly the code points below U+0100 that Arrow's \\s matches."""
    import pyarrow.compute as pc

    chars = [chr(i) for i in range(0x100)]
    hits = pc.match_substring_regex(pa.array(chars, type=pa.large_string()), r"\s").to_pylist()
    assert "".join(c for c, hit in zip(chars, hits, strict=True) if hit) == "".join(sorted(text.RE2_WHITESPACE))


@given(st.lists(st.sampled_from([*CHARS, *METACHARACTERS]), min_size=1, max_size=6, unique=True),
       st.text(alphabet=st.sampled_from([*CHARS, *METACHARACTERS, "b"]), max_size=5))
def test_char_class_matches_exactly_its_characters(chars: list[str], value: str) -> None:
    """char_class matches a value exactly when it holds one of the characters (metacharacters included)."""
    import pyarrow.compute as pc

    got = pc.match_substring_regex(pa.array([value], type=pa.large_string()), text.char_class(chars)).to_pylist()[0]
    assert got == any(c in value for c in chars)


@given(st.text(alphabet=st.sampled_from(CHARS), max_size=12))
def test_distinct_chars_is_the_reference(value: str) -> None:
    """distinct_chars lists the distinct non-ASCII characters in code-point order (supplementary ones too)."""
    assert text.distinct_chars(value) == reference_distinct_chars(value)


@given(st.text(alphabet=st.sampled_from(["a", '"', "\\", "~", "東"]), max_size=10))
def test_ascii_present_is_membership(value: str) -> None:
    """ascii_present lists the asked ASCII characters that occur in the bytes, in the asked order."""
    buf = np.frombuffer(value.encode(), dtype=np.uint8)
    asked = ["~", '"', "\\", "z"]
    assert text.ascii_present(buf, asked) == [c for c in asked if c in value]


@given(st.lists(st.one_of(st.none(), st.text(alphabet=st.sampled_from(CHARS), max_size=4)), max_size=10))
def test_large_strings_fill_missing_with_blanks(values: list[str | None]) -> None:
    """large_strings gives every value as it is and a missing one as "", as a large_string array."""
    arr = text.large_strings(pd.Series(values, dtype="str"))
    assert arr.type == pa.large_string()
    assert arr.to_pylist() == ["" if v is None else v for v in values]
