"""住所A as people write it: 郡 left out, 京都市 通り names, 条 numbers in kanji or digits, village-only addresses,
私書箱 包括番号, and a digit run followed by a 漢数字 (manual p17–p19, p22).

Each expected barcode below is worked by hand from the rules in shared/reference/customer-barcode.md: the 7 digits
of the code, the 住所表示番号 of 住所B (p19), CC4 up to 13 symbols (p12), and the check symbol that brings the sum
of the 21 check values to a multiple of 19 (p21: digits are worth themselves, "-" 10, CC4 14; a check value v is
written as its digit, "-" for 10, CCn for 10 + n). zxing-cpp does not read this symbology, so the oracle is that
arithmetic, and the bars are decoded back with ``decode_bars``.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from handoff.jp import address, postal, town_match
from handoff.jp import customer_barcode as cb
from handoff.mail import cb_columns

WORKED = [
    # 郡 left out (p17: 住所A is the 町域 the code determines; 下新川郡 is not part of it).
    # 939-0713 下新川郡朝日町 長野; 住所B "1-3-18" → 1 - 3 - 1 8 + CC4×7.
    # Sum: code 9+3+9+0+7+1+3 = 32; number 1+10+3+10+1+8 = 33; CC4 7×14 = 98; 163 = 8×19 + 11 → check 19-11 = 8.
    ("9390713", "富山県朝日町長野1-3-18", "9 3 9 0 7 1 3 1 - 3 - 1 8" + " CC4" * 7 + " 8"),
    ("9390713", "富山県下新川郡朝日町長野1-3-18", "9 3 9 0 7 1 3 1 - 3 - 1 8" + " CC4" * 7 + " 8"),
    # 京都市: 通り name and direction before the 町域. 602-8163 上京区 田中町; 住所B "494".
    # Sum: 6+0+2+8+1+6+3 = 26; 4+9+4 = 17; CC4 10×14 = 140; 183 = 9×19 + 12 → check 7.
    ("6028163", "京都市上京区堀川通丸太町下る田中町494", "6 0 2 8 1 6 3 4 9 4" + " CC4" * 10 + " 7"),
    ("6028163", "京都府京都市上京区堀川通丸太町上ル西入田中町494", "6 0 2 8 1 6 3 4 9 4" + " CC4" * 10 + " 7"),
    # 札幌: 北1条西 written in digits, KEN_ALL writes 北一条西. 060-0001; 住所B "2丁目1-1" → 2 - 1 - 1.
    # Sum: 0+6+0+0+0+0+1 = 7; 2+10+1+10+1 = 24; CC4 8×14 = 112; 143 = 7×19 + 10 → check 9.
    ("0600001", "北海道札幌市中央区北1条西2丁目1-1", "0 6 0 0 0 0 1 2 - 1 - 1" + " CC4" * 8 + " 9"),
    ("0600001", "札幌市中央区北１条西2丁目1-1", "0 6 0 0 0 0 1 2 - 1 - 1" + " CC4" * 8 + " 9"),
    # 旭川: 条 in kanji, KEN_ALL writes 秋月１条. 079-8401; 住所B "3丁目2-1" → 3 - 2 - 1.
    # Sum: 0+7+9+8+4+0+1 = 29; 3+10+2+10+1 = 26; 112; 167 = 8×19 + 15 → check 4.
    ("0798401", "北海道旭川市秋月一条3丁目2-1", "0 7 9 8 4 0 1 3 - 2 - 1" + " CC4" * 8 + " 4"),
    # A village whose only 町域 repeats its name (KEN_ALL 利島村 利島村), written once. 100-0301; 住所B "248".
    # Sum: 1+0+0+0+3+0+1 = 5; 2+4+8 = 14; 140; 159 = 8×19 + 7 → check 12 = CC2.
    ("1000301", "東京都利島村248", "1 0 0 0 3 0 1 2 4 8" + " CC4" * 10 + " CC2"),
    ("1000301", "東京都利島村利島村248", "1 0 0 0 3 0 1 2 4 8" + " CC4" * 10 + " CC2"),
    # 私書箱 包括番号 (p22's example: 980-8691, box 215 → the code, 215, CC4 padding). Not in KEN_ALL nor in
    # the 事業所 data. Sum: 9+8+0+8+6+9+1 = 41; 2+1+5 = 8; 140; 189 = 9×19 + 18 → check 1.
    ("980-8691", "宮城県仙台市青葉区中央 仙台中央郵便局私書箱第215号", "9 8 0 8 6 9 1 2 1 5" + " CC4" * 10 + " 1"),
    ("9808691", "仙台中央郵便局　私書箱２１５号", "9 8 0 8 6 9 1 2 1 5" + " CC4" * 10 + " 1"),
]


@pytest.mark.parametrize(("code", "text", "compact"), WORKED)
def test_written_variants_get_the_hand_worked_barcode(code: str, text: str, compact: str) -> None:
    """Each written variant of 住所A gets the barcode worked by hand from the manual, and its bars decode back."""
    made = cb.encode(code, text)
    assert made.compact == compact
    assert cb.decode_bars(made.bars) == compact.split(" ")


def test_column_path_agrees_with_the_per_address_encoder_on_the_variants() -> None:
    """cb_columns gives the same symbols, bars and reasons as encode_many for every variant and refusal."""
    pairs = [(c, t) for c, t, _ in WORKED] + [(c, t) for c, t in REFUSED] + [("9808691", "私書箱なし")]
    codes = pa.array([p[0] for p in pairs], pa.large_string())
    texts = pa.array([p[1] for p in pairs], pa.large_string())
    symbols, bars, reasons = cb_columns.encode_arrow(codes, texts)
    got = list(zip(symbols.to_pylist(), bars.to_pylist(), reasons.to_pylist(), strict=True))
    assert got == cb.encode_many(pairs)
    assert [g[0] for g in got[: len(WORKED)]] == [w[2] for w in WORKED]


REFUSED = [
    ("0600001", "札幌市中央区北2条西2丁目1-1"),  # another 条: 北二条西 is not the code's 町域
    ("0600001", "札幌市中央区北10条西2丁目1-1"),  # 1 is not 10
    ("0600001", "札幌市中央区北十一条西2丁目1-1"),  # 十一 is not 一
    ("6028163", "京都市上京区堀川通丸太町下る東町494"),  # a street name, then another 町域
    ("6028163", "京都市上京区堀川通丸太町下る"),  # a street name and no 町域
    ("5300001", "大阪府大阪市北区堂島川通上る梅田1-1"),  # street names are allowed in 京都市 only
    ("6230011", "京都府綾部市堀川通丸太町下る青野町6-7"),  # …not in the rest of 京都府
    ("3940091", "長野県岡谷市本町1-1"),  # the repeated-name 町域 is left out only before a number
    ("1000301", "東京都利島村大字x248"),
    ("9390713", "富山県新川郡朝日町長野1-3-18"),  # a 郡 that is not the code's
]


@pytest.mark.parametrize(("code", "text"), REFUSED)
def test_other_spellings_still_get_no_barcode(code: str, text: str) -> None:
    """What names another 町域 (or none) is still refused as town_mismatch: no barcode rather than a wrong one."""
    with pytest.raises(cb.NoCustomerBarcodeError) as info:
        cb.encode(code, text)
    assert info.value.reason == "town_mismatch"


def test_a_gun_is_split_off_only_before_a_town_or_village() -> None:
    """大和郡山市 and 蒲郡市 are cities, not a 郡 and a 町: their names are matched whole."""
    assert town_match.city_pattern("大和郡山市") == town_match.chars("大和郡山市")
    assert town_match.city_pattern("蒲郡市") == town_match.chars("蒲郡市")
    assert town_match.city_pattern("郡上市") == town_match.chars("郡上市")
    assert address.split("6391101", "奈良県大和郡山市下三橋町1")[1] == "1"
    assert address.split("9390713", "朝日町 長野 1") == ("朝日町 長野", " 1")
    assert address.split("9390713", "富山県下新川郡 朝日町 長野1") == ("富山県下新川郡 朝日町 長野", "1")


def test_a_daihyo_code_splits_right_after_its_city() -> None:
    """A 代表番号's 町域 is empty: 住所A ends with the city (split only; the barcode itself is refused)."""
    assert address.split("1000000", "東京都千代田区 千代田1-1") == ("東京都千代田区", "千代田1-1")
    assert address.split("1000000", "千代田区千代田1-1") == ("千代田区", "千代田1-1")


@pytest.mark.parametrize("text", ["仙台中央郵便局", "私書箱215号 私書箱216号", "私書箱12345号"])
def test_a_box_bundle_without_exactly_one_box_number_gets_none(text: str) -> None:
    """A 包括番号 needs the box number (1–4 digits) and exactly one: otherwise the code stays unknown."""
    with pytest.raises(cb.NoCustomerBarcodeError) as info:
        cb.encode("9808691", text)
    assert info.value.reason == "unknown"


@pytest.mark.parametrize("code", ["1000301", "1008792", "0000091", "9991234", "12386", "0008691"])
def test_only_an_unknown_code_of_a_real_area_shaped_8691_or_91_is_a_box_bundle(code: str) -> None:
    """KEN_ALL and 事業所 codes, other shapes and codes of no delivery area are not 包括番号."""
    assert postal.box_bundle(code) is None
    assert postal.box_bundle("100-8691") == "1008691"
    assert postal.box_bundle("1000591") == "1000591"


# p19: 補足1 turns a 漢数字 before 号/番/丁目… into a 算用数字 where it stands; rules 4–5 put a hyphen only where a
# character that is not extracted stood between two extracted ones. After "3" nothing stands before "一", so the
# two join: "3一号棟" → "31". A kanji that is not extracted (棟, 丁目) between them still separates.
DIGIT_THEN_KANJI = [("3一号棟", "31"), ("5番3一号棟101", "5-31-101"), ("3丁目5一号", "3-51"),
                    ("12三番地", "123"), ("3十一号", "311"), ("3棟一号", "3-1"), ("3 一号", "3-1")]


@pytest.mark.parametrize(("address_b", "number"), DIGIT_THEN_KANJI)
def test_a_kanji_numeral_right_after_digits_joins_them(address_b: str, number: str) -> None:
    """A 補足1 漢数字 directly after a digit run joins it (p19); anything between them makes a hyphen."""
    assert cb.extract(address_b) == number
    assert cb.extract_by_rules(address_b) == number


@given(st.integers(min_value=1, max_value=99))
def test_kanji_numbers_of_a_town_read_back(value: int) -> None:
    """kanji_of and kanji_value are inverse for every 条/丁目 number below 100."""
    assert town_match.kanji_value(town_match.kanji_of(value)) == value


def test_kanji_spellings_of_small_numbers() -> None:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 35 → 三十五, and 一〇 reads as 10."""
    assert [town_match.kanji_of(v) for v in (1, 10, 11, 20, 35)] == ["一", "十", "十一", "二十", "三十五"]
    assert town_match.kanji_value("一〇") == 10


def test_without_gun_names_the_town_or_village_only() -> None:
    """下新川郡朝日町 → 朝日町, 余市郡余市町 → 余市町; a city (市/区) or a 町 with no 郡 gives None."""
    assert town_match.without_gun("下新川郡朝日町") == "朝日町"
    assert town_match.without_gun("余市郡余市町") == "余市町"
    assert town_match.without_gun("古宇郡泊村") == "泊村"
    assert [town_match.without_gun(c) for c in ("大和郡山市", "蒲郡市", "郡上市", "利島村", "千代田区")] == [None] * 5


def test_gun_omitted_and_digit_jo_spellings_give_the_exact_spellings_barcode() -> None:
    """Over real places, writing the 郡 out or the 条 number the other way gives the exact spelling's barcode."""
    import random

    rng = random.Random(7)
    gun = [p for p in postal.sample_entries(rng, 3000) if town_match.without_gun(p.city)][:40]
    jo = [p for p in postal.sample_entries(rng, 30000, "北海道") if re.search("[一二三四五六七八九十]+条", p.town)][:40]
    assert len(gun) >= 20 and len(jo) >= 20
    for i, p in enumerate(gun + jo):
        rest = f"{1 + i % 9}丁目{1 + i % 23}-{1 + i % 7}"
        short = town_match.without_gun(p.city) or p.city
        town = re.sub("[一二三四五六七八九十]+(?=条)", lambda m: str(town_match.kanji_value(m.group(0))), p.town)
        written = p.prefecture + short + town + rest
        assert written != p.prefecture + p.city + p.town + rest
        assert cb.encode(p.code, written) == cb.encode(p.code, p.prefecture + p.city + p.town + rest)


_SUPPLEMENT_1 = re.compile(r"[〇一二三四五六七八九十百千]+(?=丁目|丁|番地|番|号|地割|線|の|ノ)")


def _digits_first(address_b: str) -> str:
    """The oracle: delete rule 2's characters, write every 補足1 漢数字 as its 算用数字 in place, then extract
    (a text with no 補足1 漢数字 left never takes the joined path)."""
    text = re.sub(r"[&/・.＆／．･]", "", address_b.upper())
    return cb.extract_by_rules(_SUPPLEMENT_1.sub(lambda m: cb.kanji_number(m.group(0)), text))


@given(st.text(alphabet=st.sampled_from(list("0123１一二十百〇号番丁目のFfAB・- 棟")), max_size=14))
def test_kanji_numerals_read_in_place_like_digits(address_b: str) -> None:
    """extract reads a 補足1 漢数字 exactly as if its 算用数字 stood in its place (joining a digit run before it)."""
    assert cb.extract(address_b) == cb.extract_by_rules(address_b) == _digits_first(address_b)


def test_numbers_of_100_and_more_are_matched_as_written() -> None:
    """A 条 number of 100 or more has no kanji spelling here: it is matched as written and nothing else."""
    pattern = re.compile(town_match.town_pattern("北100条"))
    assert pattern.fullmatch("北100条") and pattern.fullmatch("北１００条")
    assert not pattern.fullmatch("北百条")
    assert re.compile(town_match.town_pattern("北99条")).fullmatch("北九十九条")
