"""Window lines: synthetic addresses laid into the envelope window at natural break points, never cut."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handoff.mail.recipient import Fields
from handoff.mail.window import care_text, lay_out, parts_of, width

FIELDS = Fields("yubin", "jusho", "katagaki", "shimei", "samakata")

# (address, 方書, 様方, chars per line, lines) → the lines expected, written out by hand.
CASES = [
    # 丁目 forms: a line break after the ward and before the building
    ("東京都中野区中央一丁目2番3号", "サンプル荘203号室", "", 20, 4,
     ["東京都中野区中央一丁目2番3号", "サンプル荘203号室"]),
    ("東京都中野区中央一丁目2番3号", "サンプル荘203号室", "", 10, 4,
     ["東京都中野区", "中央一丁目2番3号", "サンプル荘203号室"]),
    ("東京都中野区中央1-2-3", "", "", 10, 3, ["東京都中野区", "中央1-2-3"]),
    # a kanji number with its 丁目 stays whole
    ("北海道札幌市中央区北一条西二十三丁目1番地の5", "", "", 16, 4,
     ["北海道札幌市中央区", "北一条西二十三丁目1番地の5"]),
    ("北海道札幌市中央区北一条西二十三丁目1番地の5", "", "", 10, 4,
     ["北海道札幌市中央区", "北一条西二十三丁目", "1番地の5"]),
    # 番地 forms, a 郡…町
    ("東京都西多摩郡奥多摩町氷川1234番地", "", "", 16, 3, ["東京都西多摩郡奥多摩町", "氷川1234番地"]),
    ("東京都西多摩郡奥多摩町氷川1234番地", "", "", 8, 3, ["東京都", "西多摩郡奥多摩町", "氷川1234番地"]),
    # place names holding a number and a mark stay whole: 一番町, 北1条西
    ("東京都千代田区一番町5番地", "", "", 6, 3, ["東京都", "千代田区", "一番町5番地"]),
    ("北海道札幌市中央区北1条西23丁目", "", "", 10, 3, ["北海道札幌市中央区", "北1条西23丁目"]),
    # 市川市 is never broken after its first 市
    ("千葉県市川市八幡二丁目15番10号", "", "", 10, 3, ["千葉県", "市川市八幡二丁目15番", "10号"]),
    ("千葉県市川市八幡二丁目15番10号", "", "", 8, 3, ["千葉県", "市川市八幡二丁目", "15番10号"]),
    # a long building name on its own line; the room number with it, or after a blank on the next line
    ("神奈川県横浜市港北区日吉本町一丁目23番45号", "サンプルガーデンレジデンス日吉本町 ウエストタワー2101号室", "",
     20, 4, ["神奈川県横浜市港北区日吉本町一丁目23番", "45号", "サンプルガーデンレジデンス日吉本町",
             "ウエストタワー2101号室"]),
    ("神奈川県横浜市港北区日吉本町一丁目23番45号", "サンプルガーデンレジデンス日吉本町 ウエストタワー2101号室", "",
     18, 4, ["神奈川県横浜市港北区日吉本町一丁目", "23番45号", "サンプルガーデンレジデンス日吉本町",
             "ウエストタワー2101号室"]),
    ("大阪府大阪市北区梅田三丁目1番1号", "コーポサンプル 203号室", "", 20, 3,
     ["大阪府大阪市北区梅田三丁目1番1号", "コーポサンプル 203号室"]),
    ("大阪府大阪市北区梅田三丁目1番1号", "コーポサンプル東棟 1203号室", "", 9, 5,
     ["大阪府大阪市北区", "梅田三丁目1番1号", "コーポサンプル東棟", "1203号室"]),
    # a building written into the address after the number starts its own line when the line is full
    ("東京都中野区中央1-2-3サンプル荘203号室", "", "", 12, 3, ["東京都中野区中央1-2-3", "サンプル荘203号室"]),
    # 方書 with 様方: its own line after the address and the building
    ("東京都中野区中央一丁目2番3号", "サンプル荘203号室", "見本 花子", 20, 4,
     ["東京都中野区中央一丁目2番3号", "サンプル荘203号室", "見本花子様方"]),
    ("京都府京都市左京区見本町12番地", "", "サンプル商事株式会社気付", 20, 3,
     ["京都府京都市左京区見本町12番地", "サンプル商事株式会社気付"]),
]


@pytest.mark.parametrize(("address", "katagaki", "care", "chars", "lines", "expected"), CASES)
def test_lines_are_laid_out_at_natural_breaks(address: str, katagaki: str, care: str, chars: int, lines: int,
                                              expected: list[str]) -> None:
    """Each synthetic address is laid into exactly the lines written out for it."""
    laid = lay_out(parts_of(address, katagaki, care, FIELDS), chars, lines)
    assert laid.overflow == ""
    assert list(laid.lines) == expected


@pytest.mark.parametrize(("address", "katagaki", "care", "chars", "lines", "field"), [
    # a building name longer than a line, with no blank to break at
    ("東京都中野区中央一丁目2番3号", "サンプルガーデンレジデンス日吉本町ウエストタワー", "", 20, 4, "katagaki"),
    # a room number can never be cut, even when the rest fits
    ("東京都中野区中央一丁目2番3号", "サンプル荘203号室", "", 8, 4, "katagaki"),
    # more lines than the window has: the part that does not fit is named
    ("東京都中野区中央一丁目2番3号", "サンプル荘203号室", "見本 花子", 20, 2, "samakata"),
    ("北海道札幌市中央区北一条西二十三丁目1番地の5", "", "", 8, 4, "jusho"),
])
def test_what_cannot_fit_is_an_overflow(address: str, katagaki: str, care: str, chars: int, lines: int,
                                        field: str) -> None:
    """A piece that cannot be laid out without cutting has no lines and names the field that overflowed."""
    laid = lay_out(parts_of(address, katagaki, care, FIELDS), chars, lines)
    assert laid.lines == () and laid.overflow == field


def test_care_line_is_written_once() -> None:
    """様方 is added to a bare name, never doubled; 気付 and 方 stay as written."""
    assert care_text("見本 花子") == "見本花子様方"
    assert care_text("見本花子様方") == "見本花子様方"
    assert care_text("サンプル株式会社気付") == "サンプル株式会社気付"
    assert care_text("") == ""


def test_half_width_counts_half() -> None:
    """Width is counted in half places: ASCII and half-width kana 1, others 2."""
    assert width("1-2") == 3 and width("一丁目") == 6 and width("ｻﾝﾌﾟﾙ") == 5


_PIECES = st.sampled_from(["東京都", "中野区", "見本町", "中央", "一丁目", "二十三丁目", "12番", "3号", "1-2-3",
                           "1234番地", "の5", "サンプル荘", "コーポ見本", "203号室", "東棟", "2F"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=14), st.lists(_PIECES, max_size=6), st.integers(4, 24))
def test_layout_loses_nothing_and_never_cuts_a_number(address: list[str], building: list[str], chars: int) -> None:
    """Any address or 方書: nothing lost, no line too wide, no break inside a number or before 号室/丁目/番地."""
    squeeze = re.compile(r"[\s\u3000]")
    for text, parts in (("".join(address), parts_of("".join(address), "", "", FIELDS)),
                        ("".join(building), parts_of("", "".join(building), "", FIELDS))):
        laid = lay_out(parts, chars, None)
        if laid.overflow:
            continue
        assert squeeze.sub("", "".join(laid.lines)) == squeeze.sub("", text)
        for before, after in pairwise(laid.lines):
            assert not (before[-1].isdigit() and (after[0].isdigit() or after[0] in "-〇一二三四五六七八九十百千"))
            assert not (before[-1] in "〇一二三四五六七八九十百千" and after[0] in "〇一二三四五六七八九十百千")
            assert not after.startswith(("号室", "室", "丁目", "番地"))
        assert all(width(line) <= 2 * chars for line in laid.lines)
