"""住所表示番号 extraction: one test per basic rule (p19) and supplementary rule (補足1–5)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handoff.jp.customer_barcode import extract, extract_by_rules, kanji_number

# Characters at the edges of the plain shortcut: digits and letters of both widths, lower case, the markers of
# 補足1, numerals, every deleted character, kana edges, 々, ・, and characters upper-casing or NFKC turn
# into letters or digits (ﬀ → FF, ſ → S, ² → 2, ① → 1).
_EDGES = "0189０９AFZafｆＦＺ-－‐ー 　々ぁゖァヺ・ｱ丁目番地号の割線ノ〇一二五十百千万&/.＆／．･ビル室ﬀıſ²①"


def test_rule1_lower_case_letters_become_upper_case() -> None:
    """Rule 1: a lower-case single letter is extracted upper-cased."""
    assert extract("3-2 b棟") == "3-2B"


def test_rule2_ampersand_slash_middle_dot_period_are_deleted() -> None:
    """Rule 2: & / ・ . are deleted and the text closed up (A&b → AB, a run that is dropped)."""
    assert extract("1-2 A&bハイツ") == "1-2"
    assert extract("1/2") == "12"
    assert extract("1・2.3") == "123"


def test_rule3_digits_hyphens_and_single_letters_are_extracted() -> None:
    """Rule 3: digits, hyphens and lone letters survive."""
    assert extract("12-3-4") == "12-3-4"
    assert extract("5-6 C") == "5-6C"


def test_rule4_kanji_kana_and_letter_runs_before_data_become_one_hyphen() -> None:
    """Rule 4: other characters (or ≥2 letters) between data are one hyphen; at the end they vanish."""
    assert extract("3丁目30番地8 郵便ビル403号") == "3-30-8-403"
    assert extract("5 ABC 6") == "5-6"
    assert extract("7番地 メゾン") == "7"


def test_rule5_consecutive_hyphens_collapse() -> None:
    """Rule 5: several hyphens in a row become one."""
    assert extract("1--2ー－3") == "1-2-3"


def test_rule6_leading_hyphen_is_removed() -> None:
    """Rule 6: no hyphen before the first extracted character."""
    assert extract("　南田茂木　添60-1") == "60-1"


def test_fullwidth_digits_and_letters_become_half_width() -> None:
    """Full-width ０-９ Ａ-Ｚ ａ-ｚ read as their ASCII forms (every public implementation does this)."""
    assert extract("３丁目３０－８　Ｂ棟４０３号") == "3-30-8B403"


@pytest.mark.parametrize(("text", "number"), [
    ("十一丁目六番地一号", "11-6-1"),
    ("第二十一地割大淵川480", "21-480"),
    ("四丁六番十九号", "4-6-19"),
    ("南七線　西28", "7-28"),
    ("三の5", "3-5"),
    ("百二ノ3", "102-3"),
])
def test_supplement1_kanji_numerals_before_markers_are_numbers(text: str, number: str) -> None:
    """補足1: 漢数字 right before 丁目/丁/番地/番/号/地割/線/の/ノ are converted to digits."""
    assert extract(text) == number


def test_supplement1_other_kanji_numerals_are_just_kanji() -> None:
    """補足1: a kanji numeral not before a marker (北六条) is treated as kanji."""
    assert extract("北六条西2") == "2"


def test_kanji_number_forms() -> None:
    """十 = 10, 二十 = 20, 百五 = 105, 一〇五 = 105 (positional)."""
    forms = ("十", "二十", "百五", "一〇五", "千二百三十四")
    assert [kanji_number(k) for k in forms] == ["10", "20", "105", "105", "1234"]


def test_supplement2_f_after_digits_at_end_is_dropped() -> None:
    """補足2: "10F" at the end is a floor, not data."""
    assert extract("5-6-3　ABCビル10F") == "5-6-3-10"


def test_supplement3_f_after_digits_before_more_data_is_a_hyphen() -> None:
    """補足3: "1F1号" → 1-1; a lone F not after digits is an ordinary letter."""
    assert extract("A棟1F1号") == "A1-1"
    assert extract("F棟2") == "F2"


def test_supplement4_no_hyphen_next_to_a_letter() -> None:
    """補足4: 3-20-5-B604 → 3-20-5B604 and 2-B → 2B."""
    assert extract("3-20-5 B604") == "3-20-5B604"
    assert extract("2-B") == "2B"


def test_supplement5_letters_left_side_by_side_are_kept() -> None:
    """補足5: L, B separated only by kana become "LB"."""
    assert extract("6-7　LプラザB106") == "6-7LB106"


def test_digits_and_single_letters_inside_building_names_are_kept() -> None:
    """A building name has no rule of its own: "J1ビル2-B" → J1-2B, "第2郵便ハウス501" → 2-501."""
    assert extract("3丁目80-25　J1ビル2-B") == "3-80-25J1-2B"
    assert extract("第2郵便ハウス501") == "2-501"


def test_empty_and_number_free_text_extract_nothing() -> None:
    """No data characters → empty number (the barcode is then CC4-padded)."""
    assert extract("") == ""
    assert extract("無番地") == ""


@settings(max_examples=3000)
@given(st.text(alphabet=_EDGES, max_size=16))
def test_plain_shortcut_equals_the_rules(text: str) -> None:
    """The shortcut for 住所B of digits and separators gives what the token-by-token rules give, for any text."""
    assert extract(text) == extract_by_rules(text)


@pytest.mark.parametrize("text", ["3丁目12番5号 見本ハイツ101号室", "１２－３", "三丁目5", "5-6 B", "1・2", "4ｰ5"])
def test_plain_shortcut_cases(text: str) -> None:
    """Typical and boundary 住所B (numerals, letters, ・, half-width 長音) agree between shortcut and rules."""
    assert extract(text) == extract_by_rules(text)
