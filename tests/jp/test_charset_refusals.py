"""CP932 / UTF-8 vendor output: class boundaries, every character checked, and what each refusal names."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest

from handoff.errors import ConfigError, PolicyError
from handoff.jp import charset
from handoff.jp.charset import classify, encode_vendor, substitute, unsafe_pattern


def _iconv(text: str) -> bytes | None:
    """iconv(1)'s CP932 bytes for ``text``, or None when it refuses a character."""
    exe = shutil.which("iconv")
    if exe is None:
        pytest.skip("system iconv not installed: cannot cross-check CP932 bytes")
    proc = subprocess.run([exe, "-f", "UTF-8", "-t", "CP932"], input=text.encode(), capture_output=True, check=False)
    return proc.stdout if proc.returncode == 0 else None


# Code points on both sides of the private-use and variation-selector blocks (noncharacters such as U+FFFFE, which
# handoff also counts as private use, are left out: Unicode gives them no category of their own).
EDGES = [0xDFFF, 0xE000, 0xE001, 0xF8FE, 0xF8FF, 0xF900, 0xF901, 0xFDFF, 0xFE00, 0xFE01, 0xFE0E, 0xFE0F, 0xFE10,
         0xE00FF, 0xE0100, 0xE0101, 0xE01EE, 0xE01EF, 0xE01F0, 0xEFFFD, 0xF0000, 0xF0001, 0x10FFFD]


@pytest.mark.parametrize("cp", EDGES, ids=[f"U+{cp:04X}" for cp in EDGES])
def test_private_use_and_variation_selectors_end_where_unicode_ends_them(cp: int) -> None:
    """A character is private_use iff Unicode's category is Co, variation_selector iff its name is VARIATION SELECTOR-n; its neighbours (豈 U+F900, ︐ U+FE10, unassigned U+E01F0) are plain not_cp932."""
    ch = chr(cp)
    if unicodedata.category(ch) == "Co":
        expected = "private_use"
    elif unicodedata.name(ch, "").startswith("VARIATION SELECTOR-"):
        expected = "variation_selector"
    else:
        expected = "not_cp932"
    assert [f.kind for f in classify("a" + ch)] == [expected]


def test_the_prefilter_passes_exactly_the_clean_characters() -> None:
    """Over the whole BMP, unsafe_pattern skips a character iff it is in clean_chars (none missed, none extra)."""
    clean = charset.clean_chars()
    pattern = unsafe_pattern()
    bmp = "".join(chr(cp) for cp in range(0x10000) if not 0xD800 <= cp <= 0xDFFF)
    flagged = {m.group() for m in pattern.finditer(bmp)}
    assert flagged == set(bmp) - clean
    assert pattern.search("".join(sorted(clean))) is None


@pytest.mark.parametrize(("text", "allow", "private", "position", "kind"), [
    ("〜髙", False, False, 2, "vendor_extension"),  # after a round-trip change
    ("髙\ue000", True, False, 2, "private_use"),  # after an allowed extension
    ("\ue000髙", False, True, 2, "vendor_extension"),  # after allowed private use
    ("①𠮷", True, False, 2, "not_cp932"),
])
def test_every_character_is_checked_not_only_the_first(text: str, allow: bool, private: bool, position: int,
                                                       kind: str) -> None:
    """A character that must be refused is refused wherever it stands, whatever was allowed before it."""
    with pytest.raises(PolicyError) as info:
        encode_vendor(text, "cp932", allow, "ibm", allow_private_use=private)
    assert (info.value.params["position"], info.value.params["kind"]) == (position, kind)


@pytest.mark.parametrize("text", ["〜髙", "①髙", "\ue000髙", "髙①"])
def test_ibm_form_is_used_for_every_nec_selected_character(text: str) -> None:
    """髙 behind a round-trip change, a NEC row-13 character or private use is still written FB FC, as iconv does."""
    written = encode_vendor(text, "cp932", True, "ibm", allow_private_use=True)
    assert written == _iconv(text)
    assert b"\xfb\xfc" in written


@pytest.mark.parametrize("text", ["ab\ue758", "ab\uf8ff", "ab\U000f0000"])
def test_private_use_beyond_the_user_area_is_refused_by_name(text: str) -> None:
    """Allowed private use past U+E757 (no CP932 user-area code; iconv refuses it too) is refused as private_use, at its position, in encoding cp932."""
    assert _iconv(text) is None
    with pytest.raises(PolicyError) as info:
        encode_vendor(text, "cp932", True, "ibm", allow_private_use=True)
    assert info.value.code == "jp.unencodable"
    assert info.value.params == {"position": 3, "codepoint": f"U+{ord(text[2]):04X}", "encoding": "cp932",
                                 "kind": "private_use"}
    last = encode_vendor("ab\ue757", "cp932", True, "ibm", allow_private_use=True)  # the user area's last code
    assert last == b"ab\xf9\xfc" == _iconv("ab\ue757")


@pytest.mark.parametrize(("text", "encoding", "kind"), [
    ("山\U00020bb7", "cp932", "not_cp932"), ("山髙", "cp932", "vendor_extension"), ("山\ue000", "utf-8", "private_use"),
    ("山\udc80", "utf-8", "surrogate"),
])
def test_a_refusal_names_the_encoding_it_was_writing(text: str, encoding: str, kind: str) -> None:
    """The jp.unencodable parameters and both messages name the vendor encoding (cp932 or utf-8)."""
    with pytest.raises(PolicyError) as info:
        encode_vendor(text, encoding, False, "ibm")
    assert info.value.params["encoding"] == encoding and info.value.params["kind"] == kind
    assert f"encoding {encoding}" in info.value.message("en") and f"文字コード {encoding}" in info.value.message("ja")


def test_utf8_writes_private_use_when_allowed() -> None:
    """With allow_private_use, UTF-8 output carries U+E000 as written (only lone surrogates stay refused)."""
    assert encode_vendor("山\ue000", "utf-8", False, "ibm", allow_private_use=True) == "山\ue000".encode()
    with pytest.raises(PolicyError):
        encode_vendor("山\ud800", "utf-8", False, "ibm", allow_private_use=True)


@pytest.mark.parametrize(("encoding", "form"), [("shift_jis", "ibm"), ("cp932", "jis")])
def test_unknown_encoding_names_both_settings(encoding: str, form: str) -> None:
    """jp.encoding_unknown names the configured encoding and extension form, the two settings to correct."""
    with pytest.raises(ConfigError) as info:
        encode_vendor("山", encoding, True, form)
    assert info.value.params == {"encoding": encoding, "form": form}
    assert f"{encoding} / extension form {form}" in info.value.message("en")


@pytest.mark.parametrize(("table", "key"), [({"ab": "c"}, "U+0061 U+0062"), ({"": "c"}, "(空)"),
                                            ({"髙": ""}, "U+9AD9")])
def test_bad_table_entry_is_named_by_code_points(table: dict[str, str], key: str) -> None:
    """jp.substitution_entry names the key by its code points (never the character), "(空)" for an empty key."""
    with pytest.raises(ConfigError) as info:
        substitute("abc", table)
    assert info.value.params == {"key": key}
    assert f"entry {key} is invalid" in info.value.message("en")
