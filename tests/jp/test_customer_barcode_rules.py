"""Customer barcode: rule 2 (deletion), the plain-住所B character class, refusals and the batch encoder's work."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest

from handoff.errors import InputError
from handoff.jp import address
from handoff.jp import customer_barcode as cb
from handoff.messages.mail import MESSAGES as MAIL_MESSAGES

# The manual's rule 2 (reference/customer-barcode.md §1.4): & / ・ . are deleted and the text closed up, so what
# stood on either side becomes one token.
RULE_2 = [("1.2", "12"), ("3/4", "34"), ("5・6", "56"), ("7&8", "78"), ("９．１", "91"), ("1&A", "1A"),
          ("2/B", "2B"), ("A・3", "A3")]


@pytest.mark.parametrize(("address_b", "number"), RULE_2)
def test_deleted_characters_close_up_their_neighbours(address_b: str, number: str) -> None:
    """& / ・ . (either width) vanish without leaving a separator: 1.2 → 12, 1&A → 1A (rule 2, not rule 4)."""
    assert cb.extract(address_b) == cb.extract_by_rules(address_b) == number


def _members(body: str, lo: int, hi: int) -> set[int]:
    """The code points of printable ASCII and of lo - 16 .. hi + 16 that the class ``[body]`` matches (none for an
    empty body)."""
    if not body:
        return set()
    pattern = re.compile(f"[{body}]")
    return {cp for cp in {*range(0x20, 0x7F), *range(lo - 16, hi + 17)} if pattern.fullmatch(chr(cp))}


@pytest.mark.parametrize("holes", ["", "0", "9", "8", "34", "135", "/5:", "0123456789", "97531"])
def test_ranges_match_the_span_without_its_holes(holes: str) -> None:
    """The class body of 0-9 without ``holes`` matches exactly the digits not in it, and nothing around them."""
    body = cb._ranges(ord("0"), ord("9"), holes)
    assert _members(body, ord("0"), ord("9")) == {cp for cp in range(ord("0"), ord("9") + 1)} - set(map(ord, holes))


def test_plain_kanji_are_all_cjk_ideographs_but_the_numerals() -> None:
    """The kanji a plain 住所B may hold: U+4E00–U+9FFF without the 13 numerals 〇一二三四五六七八九十百千."""
    body = cb._ranges(0x4E00, 0x9FFF, "〇一二三四五六七八九十百千")
    expected = set(range(0x4E00, 0xA000)) - {ord(c) for c in "一二三四五六七八九十百千"}
    assert _members(body, 0x4E00, 0x9FFF) == expected


@pytest.mark.parametrize(("code", "text", "reason"), [
    ("0000000", "東京都千代田区千代田1-1", "unknown"),
    ("1000000", "東京都千代田区どこか1-1", "daihyo"),
    ("2630023", "千葉市稲毛区稲毛東3丁目30-8", "town_mismatch"),
])
def test_no_barcode_error_names_its_reason(code: str, text: str, reason: str) -> None:
    """The refusal is an InputError coded mail.cb_<reason>, carrying the reason, with its catalogue message."""
    with pytest.raises(cb.NoCustomerBarcodeError) as info:
        cb.encode(code, text)
    err = info.value
    assert isinstance(err, InputError)
    assert (err.code, err.reason, err.params) == (f"mail.cb_{reason}", reason, {"reason": reason})
    assert (err.message("ja"), err.message("en")) == MAIL_MESSAGES[f"mail.cb_{reason}"]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[object, str], list[str]]]:
    """Wrap a module function so that each call's first argument is recorded; the real function still runs."""

    def count(module: object, name: str) -> list[str]:
        calls: list[str] = []
        real = getattr(module, name)

        def spy(first: str, *args: object) -> object:
            calls.append(first)
            return real(first, *args)

        monkeypatch.setattr(module, name, spy)
        return calls

    yield count


# 263-0023 千葉市稲毛区緑町 (p25 case 1) and 110-0016 東京都台東区台東 (case 3)
MIDORI, TAITO = ("2630023", "千葉市稲毛区緑町"), ("1100016", "東京都台東区台東")


def test_batch_looks_up_each_code_once(counted: Callable[[object, str], list[str]]) -> None:
    """encode_many does the per-code work (the 町域 matcher) once per distinct code, however many rows share it."""
    matchers = counted(address, "town_matcher")
    rows = [(MIDORI[0], MIDORI[1] + f"{i}丁目1-1") for i in range(1, 4)] + [(TAITO[0], TAITO[1] + "5-6-3")] * 2
    got = cb.encode_many(rows)
    assert [g[2] for g in got] == [""] * 5
    assert sorted(matchers) == [TAITO[0], MIDORI[0]]


def test_batch_extracts_each_address_number_once(counted: Callable[[object, str], list[str]]) -> None:
    """A 住所B that recurs, in one town or across towns, is extracted once; every row still gets its barcode."""
    extracted = counted(cb, "extract")
    rows = [(MIDORI[0], MIDORI[1] + "1丁目2番3号"), (TAITO[0], TAITO[1] + "1丁目2番3号"),
            (MIDORI[0], MIDORI[1] + "1丁目2番3号"), (TAITO[0], TAITO[1] + "4-5")]
    got = cb.encode_many(rows)
    assert extracted == ["1丁目2番3号", "4-5"]
    assert [g[0] for g in got] == [cb.encode(code, text).compact for code, text in rows]


def test_batch_reads_half_width_katakana_towns_like_encode() -> None:
    """An address typed in half-width katakana (ﾆｾｺ町ﾆｾｺ) reaches its 町域 in the batch as in encode()."""
    code, text = "0481511", "北海道虻田郡ﾆｾｺ町ﾆｾｺ123ｺｰﾎﾟ4"
    barcode = cb.encode(code, text)
    assert barcode.number == "123-4"
    assert cb.encode_many([(code, text)]) == [(barcode.compact, barcode.bars, "")]
