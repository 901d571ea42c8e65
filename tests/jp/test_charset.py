"""外字 / CP932 classification, substitution and vendor encoding (jp-rules §4)."""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Callable

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from handoff.errors import ConfigError, HandoffError, PolicyError
from handoff.jp import charset
from handoff.jp.charset import classify, encode_vendor, substitute, unsafe_pattern
from handoff.messages import jp as jp_messages

EXAMPLES = {
    "not_cp932": ["\U00020bb7", "鷗", "剝", "\U00020b9f", "俱", "ゔ"],
    "private_use": ["\ue000", "\ue757", "\uf8ff", "\U000f0000", "\U0010fffd"],
    "variation_selector": ["\ufe00", "\ufe0f", "\U000e0100", "\U000e01ef"],
    "roundtrip_change": ["\u301c", "\u2212", "¢", "£", "¬", "‖"],
    "vendor_extension": ["髙", "\ufa11", "彅", "①", "Ⅰ", "㈱"],
}
CLEAN = "山田太郎 東京都新宿区西新宿２－８－１ ﾔﾏﾀﾞ ～－∥￠￡￢ ABC~\\ 0123 ｱｲｳ ー〒"


@pytest.mark.parametrize(("kind", "ch"), [(k, c) for k, cs in EXAMPLES.items() for c in cs])
def test_published_examples_are_classified(kind: str, ch: str) -> None:
    """Each example of jp-rules §4 falls in its class, at the right position, with code point and name."""
    findings = classify("a" + ch + "b")
    assert [(f.kind, f.position, f.codepoint) for f in findings] == [(kind, 1, ord(ch))]
    assert findings[0].char_name == unicodedata.name(ch, "")


def test_variation_selector_after_its_base() -> None:
    """葛 + IVS: the base is clean JIS X 0208, the selector is reported at its own position."""
    assert [(f.kind, f.position) for f in classify("葛\U000e0100城")] == [("variation_selector", 1)]


def test_clean_text_has_no_findings() -> None:
    """ASCII (yen/backslash, tilde included), half-width katakana and JIS X 0208 text classify clean."""
    assert classify(CLEAN) == []
    assert unsafe_pattern().search(CLEAN) is None


def test_positions_are_in_nfc_text() -> None:
    """NFC first: decomposed が is clean; ANGSTROM SIGN (JIS 81F0) becomes U+00C5, which CP932 lacks."""
    assert classify("か\u3099髙") == [
        charset.CharFinding("vendor_extension", 1, 0x9AD9, "CJK UNIFIED IDEOGRAPH-9AD9")
    ]
    assert [(f.kind, f.position, f.codepoint) for f in classify("x\u212b")] == [("not_cp932", 1, 0xC5)]


def test_compatibility_ideographs_are_kept() -> None:
    """CJK compatibility ideographs (神 U+FA19) survive normalisation as vendor extensions; kana still compose."""
    assert charset.normalize("\ufa19か\u3099") == "\ufa19が"
    assert [(f.kind, f.codepoint) for f in classify("\ufa19")] == [("vendor_extension", 0xFA19)]
    assert encode_vendor("\ufa19", "cp932", True, "ibm") == _iconv("\ufa19")
    changed = [c for c in charset.ibm_forms() if unicodedata.normalize("NFC", c) != c]
    assert len(changed) == 22


def test_jis_x_0208_size() -> None:
    """JIS X 0208:1990 has 6,879 graphic characters; all but Å (ANGSTROM SIGN, not NFC-stable) are clean."""
    non_ascii = [c for c in charset.clean_chars() if ord(c) >= 0x80]
    half_width = [c for c in non_ascii if 0xFF61 <= ord(c) <= 0xFF9F]
    assert len(half_width) == 63
    assert len(non_ascii) - len(half_width) == 6879 - 1


def test_clean_jis_characters_are_in_euc_jp_two_byte_form() -> None:
    """Clean characters are 2-byte JIS X 0208 in Python's euc_jp too, bar CP932's known mapping differences."""
    others = set()
    for ch in charset.clean_chars():
        if ord(ch) < 0x80 or 0xFF61 <= ord(ch) <= 0xFF9F:
            continue
        try:
            ok = len(ch.encode("euc_jp")) == 2
        except UnicodeEncodeError:
            ok = False
        if not ok:
            others.add(ch)
    assert others <= set("～－∥￠￡￢")


def test_vendor_extensions_are_not_jis_x_0208_in_euc_jp() -> None:
    """Cross-check: no vendor extension example is a 2-byte JIS X 0208 code in euc_jp (髙 is JIS X 0212)."""
    for ch in EXAMPLES["vendor_extension"]:
        with contextlib.suppress(UnicodeEncodeError):
            assert len(ch.encode("euc_jp")) != 2


def test_pattern_runs_the_same_in_pyarrow_re2() -> None:
    """pandas hands the pattern to pyarrow's RE2; it flags exactly the values Python's re flags."""
    values = [CLEAN, "", *[c for cs in EXAMPLES.values() for c in cs], "山田髙子", "𠮷田", "ﾃｽﾄ", "〜"]
    series = pd.Series(values, dtype="str")
    assert series.array.__class__.__name__ == "ArrowStringArray"
    found = series.str.contains(unsafe_pattern(), regex=True).tolist()
    assert found == [unsafe_pattern().search(v) is not None for v in values]
    assert found == [bool(classify(v)) for v in values]


nfc_text = st.text(
    alphabet=st.one_of(
        st.sampled_from(sorted(charset.clean_chars())),
        st.sampled_from([c for cs in EXAMPLES.values() for c in cs]),
        st.characters(),
    ),
    max_size=20,
).map(charset.normalize)


@given(nfc_text)
def test_pattern_flags_exactly_the_values_with_findings(text: str) -> None:
    """On normalised text, the prefilter matches iff classify reports something."""
    assert (unsafe_pattern().search(text) is None) == (classify(text) == [])


@given(st.text(alphabet=st.sampled_from(sorted(charset.clean_chars())), max_size=30))
def test_clean_text_is_nfc_stable(text: str) -> None:
    """No run of clean characters changes under NFC, so the prefilter never misses a finding."""
    assert unicodedata.is_normalized("NFC", text)


# --- encode_vendor ---------------------------------------------------------------------------------------


def _iconv(text: str) -> bytes:
    exe = shutil.which("iconv")
    if exe is None:
        pytest.skip("system iconv not installed: cannot cross-check CP932 bytes")
    return subprocess.run(
        [exe, "-f", "UTF-8", "-t", "CP932"], input=text.encode(), capture_output=True, check=True
    ).stdout


def test_taka_in_ibm_and_nec_forms() -> None:
    """髙 is written FB FC in the IBM form (Windows, iconv) and EE E0 in the NEC form (Python's codec)."""
    assert encode_vendor("髙", "cp932", True, "ibm") == b"\xfb\xfc"
    assert encode_vendor("髙", "cp932", True, "nec") == b"\xee\xe0"
    assert _iconv("髙") == b"\xfb\xfc"


def test_ibm_form_matches_iconv_for_every_nec_selected_character() -> None:
    """All 373 characters Python writes under 0xED/0xEE come out exactly as iconv writes them."""
    chars = "".join(sorted(charset.ibm_forms()))
    assert len(chars) == 373
    assert encode_vendor(chars, "cp932", True, "ibm") == _iconv(chars)


def test_mixed_text_matches_iconv() -> None:
    """Text with NEC row 13, IBM and JIS characters, half-width kana and ASCII equals iconv's bytes."""
    text = "髙橋﨑彅①Ⅰ㈱ⅰ〜−∥ ﾃｽﾄ東京都 No.1-2\\~"
    assert encode_vendor(text, "cp932", True, "ibm") == _iconv(text)


@pytest.mark.parametrize(
    ("ch", "kind"), [(c, k) for k in ("not_cp932", "variation_selector") for c in EXAMPLES[k]]
)
def test_unencodable_is_refused_with_position_and_code_point(ch: str, kind: str) -> None:
    """A character CP932 cannot carry raises PolicyError jp.unencodable naming position and U+XXXX only."""
    with pytest.raises(PolicyError) as info:
        encode_vendor("山田" + ch, "cp932", True, "ibm")
    err = info.value
    assert err.code == "jp.unencodable"
    assert err.params["position"] == 3
    assert err.params["codepoint"] == f"U+{ord(ch):04X}"
    assert err.params["kind"] == kind
    for lang in ("ja", "en"):
        assert ch not in err.message(lang) and "山田" not in err.message(lang)


def test_extensions_refused_unless_allowed() -> None:
    """With allow_extensions False, 髙 / ① are refused as vendor_extension; allowed, they are written."""
    for ch in EXAMPLES["vendor_extension"]:
        with pytest.raises(PolicyError) as info:
            encode_vendor("x" + ch, "cp932", False, "ibm")
        assert info.value.params["kind"] == "vendor_extension"
        assert encode_vendor("x" + ch, "cp932", True, "nec") == b"x" + ch.encode("cp932")


def test_private_use_refused_unless_allowed() -> None:
    """Private use prints whatever the vendor's slot holds: refused unless explicitly allowed (then F040)."""
    for encoding in ("cp932", "utf-8"):
        with pytest.raises(PolicyError) as info:
            encode_vendor("a\ue000", encoding, True, "ibm")
        assert info.value.params["kind"] == "private_use"
    assert encode_vendor("\ue000", "cp932", False, "ibm", allow_private_use=True) == b"\xf0\x40"


def test_roundtrip_changes_are_written() -> None:
    """〜 U+301C is written as the JIS code 81 60 (as iconv does); it is reported, not refused."""
    assert encode_vendor("1〜3", "cp932", False, "ibm") == b"1\x81\x603"


def test_utf8_carries_all_but_private_use_and_surrogates() -> None:
    """UTF-8 writes 𠮷, 髙 and IVS as they are; it refuses private use and lone surrogates."""
    text = "𠮷髙葛\U000e0100"
    assert encode_vendor(text, "utf-8", False, "ibm") == text.encode("utf-8")
    with pytest.raises(PolicyError) as info:
        encode_vendor("a\udc80", "utf-8", True, "ibm")
    assert info.value.params["kind"] == "surrogate"


def test_nfc_before_encoding() -> None:
    """Decomposed が is written as the precomposed JIS code 82 AA."""
    assert encode_vendor("か\u3099", "cp932", False, "ibm") == "が".encode("cp932")


def test_u0080_is_refused() -> None:
    """U+0080 would become byte 0x80 in Python's cp932: not a printable character, so refused."""
    with pytest.raises(PolicyError):
        encode_vendor("a\x80", "cp932", True, "ibm")


def test_unknown_encoding_or_form_is_config_error() -> None:
    """Only cp932/utf-8 and ibm/nec are accepted, even for ASCII text."""
    with pytest.raises(ConfigError):
        encode_vendor("abc", "shift_jis", True, "ibm")
    with pytest.raises(ConfigError):
        encode_vendor("abc", "cp932", True, "jis")


def _decoded(leads: range | tuple[int, ...], trails: range = range(0x40, 0xFD)) -> list[str]:
    """Every character CP932 decodes from the given lead bytes (or single bytes, with ``trails`` empty)."""
    out = []
    for lead in leads:
        for seq in ([bytes((lead, t)) for t in trails] if trails else [bytes((lead,))]):
            with contextlib.suppress(UnicodeDecodeError):
                out.append(seq.decode("cp932"))
    return out


# What CP932 carries, taken from its byte areas: JIS X 0208 rows (lead bytes 81–84, 88–9F, E0–EA), half-width
# katakana and printable ASCII. Characters that normalisation changes (U+212B ANGSTROM SIGN) are left out: what
# they become is not JIS.
_JIS = [*range(0x81, 0x85), *range(0x88, 0xA0), *range(0xE0, 0xEB)]
_JIS_AND_KANA = {c for c in [*_decoded(tuple(_JIS)), *_decoded(range(0xA1, 0xE0), range(0))] if charset.normalize(c) == c}
WRITABLE = sorted(_JIS_AND_KANA | set(map(chr, range(0x20, 0x7F))))
# Few but telling: the JIS round-trip characters, and decomposed kana that NFC composes into JIS ones.
SPECIAL = [*EXAMPLES["roundtrip_change"], "か\u3099", "ハ\u309a"]
# NEC row 13 (87xx), the NEC-selected IBM area (ED, EE) and the IBM area (FA–FC): written only when allowed.
EXTENSIONS = sorted({c for c in _decoded((0x87, 0xED, 0xEE, 0xFA, 0xFB, 0xFC)) if charset.normalize(c) == c}
                    - set(WRITABLE))


@given(st.data(), st.booleans(), st.sampled_from(["ibm", "nec"]))
def test_never_replaces_or_drops(data: st.DataObject, allow: bool, form: str) -> None:
    """encode_vendor writes each NFC character so it decodes back (or its JIS round trip), or refuses naming it."""
    alphabet = WRITABLE + SPECIAL + (EXTENSIONS if allow else [])
    # each of the three kinds is drawn as often as the others, however many characters it has
    kinds = [st.sampled_from(WRITABLE), st.sampled_from(SPECIAL), *([st.sampled_from(EXTENSIONS)] if allow else [])]
    parts = data.draw(st.lists(st.one_of(kinds), min_size=1, max_size=15))
    foreign = data.draw(st.integers(0, 9)) == 0  # now and then one character from anywhere
    if foreign:
        parts.insert(data.draw(st.integers(0, len(parts))), data.draw(st.characters()))
    text = "".join(parts)
    nfc = charset.normalize(text)
    try:
        written = encode_vendor(text, "cp932", allow, form)
    except PolicyError as err:
        assert foreign
        refused = chr(int(str(err.params["codepoint"])[2:], 16))
        assert nfc[int(str(err.params["position"])) - 1] == refused and refused not in alphabet
        return
    # each character reads back as itself, or (〜 U+301C) as the character its JIS code decodes to
    assert written.decode("cp932") == "".join(c.encode("cp932").decode("cp932") for c in nfc)


# --- substitute ------------------------------------------------------------------------------------------


def test_substitute_reports_each_change() -> None:
    """Table entries replace characters; each change is listed as (position, from, to)."""
    new, done = substitute("𠮷田𠮷", {"\U00020bb7": "吉"})
    assert new == "吉田吉"
    assert done == [(0, 0x20BB7, 0x5409), (2, 0x20BB7, 0x5409)]


def test_substitute_variation_selector_key_first() -> None:
    """A key with a variation selector replaces base + selector as one unit, ahead of a bare-base key."""
    table = {"葛\U000e0100": "葛", "葛": "X"}
    assert substitute("葛\U000e0100城葛", table) == ("葛城X", [(0, 0x845B, 0x845B), (3, 0x845B, ord("X"))])


def test_substitute_positions_are_in_nfc_text() -> None:
    """Positions index the normalised input (before replacement), like classify's."""
    assert substitute("か\u3099髙", {"髙": "高"}) == ("が高", [(1, 0x9AD9, 0x9AD8)])


def test_substitute_without_hits_or_table() -> None:
    """No hit or an empty table leaves the text unchanged with nothing listed."""
    assert substitute("山田", {"髙": "高"}) == ("山田", [])
    assert substitute("山田", {}) == ("山田", [])


@pytest.mark.parametrize("table", [{"ab": "c"}, {"": "c"}, {"髙": ""}, {"葛城": "x"}])
def test_substitute_rejects_bad_table_entries(table: dict[str, str]) -> None:
    """Keys must be one character (optionally + variation selector) with a non-empty replacement."""
    with pytest.raises(ConfigError) as info:
        substitute("abc", table)
    assert info.value.code == "jp.substitution_entry"


# 𠮷 alone, before a variation selector, or before a combining mark (which NFC cannot fold into it).
_KEY_FORMS = st.sampled_from(["\U00020bb7", "\U00020bb7\U000e0100", "\U00020bb7\u3099"])


@given(st.lists(st.tuples(st.text(max_size=4), _KEY_FORMS), min_size=1, max_size=4), st.text(max_size=4))
def test_substitute_then_classify_no_longer_reports_the_key(pieces: list[tuple[str, str]], tail: str) -> None:
    """After substituting 𠮷 -> 吉, classify never reports U+20BB7 again; each 𠮷 is listed at its position."""
    text = "".join(a + b for a, b in pieces) + tail
    new, done = substitute(text, {"\U00020bb7": "吉"})
    assert all(f.codepoint != 0x20BB7 for f in classify(new))
    assert re.search("\U00020bb7", new) is None
    nfc = charset.normalize(text)
    assert [p for p, _, _ in done] == [i for i, c in enumerate(nfc) if c == "\U00020bb7"]
    assert {(a, b) for _, a, b in done} == {(0x20BB7, 0x5409)}


# --- the jp message catalogue ----------------------------------------------------------------------------


def _raised(call: Callable[[], object]) -> HandoffError:
    try:
        call()
    except HandoffError as err:
        return err
    raise AssertionError("no error raised")


def test_every_jp_error_renders_in_both_languages() -> None:
    """Each jp.* refusal has a ja and en catalogue entry whose placeholders its parameters fill."""
    import datetime as dt

    from handoff.jp import age, checkdigit, wareki

    errors = [
        _raised(lambda: checkdigit.check_digit("a")),
        _raised(lambda: wareki.to_date("x")),
        _raised(lambda: wareki.to_date("R000101")),
        _raised(lambda: wareki.to_date("S640108")),
        _raised(lambda: wareki.to_date("R010430")),
        _raised(lambda: wareki.parse("x", "nope")),
        _raised(lambda: wareki.format_wareki(dt.date(1800, 1, 1))),
        _raised(lambda: age.reaches_age_on(dt.date(2000, 1, 1), -1)),
        _raised(lambda: age.age_on(dt.date(2000, 1, 2), dt.date(2000, 1, 1))),
        _raised(lambda: encode_vendor("a\U00020bb7", "cp932", True, "ibm")),
        _raised(lambda: encode_vendor("a", "ebcdic", True, "ibm")),
        _raised(lambda: substitute("a", {"ab": "c"})),
    ]
    assert {e.code for e in errors} == set(jp_messages.MESSAGES)
    for err in errors:
        for lang in ("ja", "en"):
            text = err.message(lang)
            assert "{" not in text and err.code not in text
