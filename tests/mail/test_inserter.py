"""Inserter control codes: layout, check digit, and zxing-cpp render → decode round trips."""

from __future__ import annotations

import numpy as np
import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st

from handoff.config import InserterProfile
from handoff.errors import ConfigError, IntegrityError
from handoff.mail import inserter


def profile(**kw: object) -> InserterProfile:
    return InserterProfile(**kw)  # type: ignore[arg-type]


def gs1_check(digits: str) -> str:
    """Independent GS1 mod-10 (as printed on ITF-14 cartons): 3×odd positions from the right + even."""
    odd = sum(int(d) for d in digits[::-1][0::2])
    even = sum(int(d) for d in digits[::-1][1::2])
    return str((10 - (3 * odd + even) % 10) % 10)


def test_layout_fields_in_order() -> None:
    """job(2) piece(6) N(2) M(2) feeders(1) check(1) = 14 digits."""
    p = profile(job_code="07", piece_digits=6, feeders=["お知らせ", "てびき"])
    value = inserter.compose(p, 42, 2, 3, "3")
    assert value[:13] == "07" + "000042" + "02" + "03" + "3"
    assert value[13] == gs1_check(value[:13])
    assert len(value) == inserter.code_length(p) == 14


def test_check_digit_matches_gs1_examples() -> None:
    """Mod-10 agrees with the GS1 example 629104150021 → 3 and with an independent computation."""
    assert inserter.check_digit("629104150021") == "3"
    for body in ("0", "99", "123456789", "0100000102011"):
        assert inserter.check_digit(body) == gs1_check(body)


def test_feeder_flags_bitmask_per_group_of_three() -> None:
    """Bit i of each digit = feeder i of its group; an enclosure without a feeder is refused."""
    p = profile(feeders=["A", "B", "C", "D"])
    assert inserter.feeder_flags(p, ["A", "C", "D"]) == "51"
    assert inserter.feeder_flags(profile(), []) == "0"
    with pytest.raises(ConfigError):
        inserter.feeder_flags(p, ["Z"])


def test_itf_values_have_even_length() -> None:
    """ITF pads one leading zero when the layout would be odd; the length is fixed per profile."""
    p = profile(symbology="itf", piece_digits=7)
    value = inserter.compose(p, 1, 1, 1, "0")
    assert len(value) % 2 == 0 and len(value) == inserter.code_length(p) and value[0] == "0"


def test_compose_refuses_values_that_do_not_fit() -> None:
    """A piece number wider than piece_digits, N > M or a bad job code is refused, never truncated."""
    p = profile(piece_digits=4)
    with pytest.raises(ConfigError):
        inserter.compose(p, 10_000, 1, 1, "0")
    with pytest.raises(ConfigError):
        inserter.compose(p, 1, 3, 2, "0")
    with pytest.raises(ConfigError):
        inserter.compose(profile(job_code="A1"), 1, 1, 1, "0")


@pytest.mark.parametrize("symbology", ["code128", "itf", "code39"])
def test_render_decodes_to_value(symbology: str) -> None:
    """Each symbology's rendering reads back (zxing-cpp) as exactly the value, including a leading 99."""
    for value in ("99000001010137", "01999999020235"):
        image = inserter.verify(value, symbology)
        assert [b.text for b in zxingcpp.read_barcodes(image)] == [value]


def test_verify_raises_on_mismatch(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the decoder reads anything but the value, verify raises IntegrityError."""
    monkeypatch.setattr(inserter, "decode", lambda image, symbology="code128": ["9999"])
    with pytest.raises(IntegrityError):
        inserter.verify("999999")


@pytest.mark.parametrize("value", ["99", "999999", "99000001010137", "0199"])
def test_code128_rendering_keeps_every_digit_pair(value: str) -> None:
    """Our Code 128 image has start C, one symbol per digit pair, check and stop in quiet zones, and reads back."""
    image = inserter.render(value, "code128", scale=2)
    assert isinstance(image, np.ndarray) and image.ndim == 2
    row = image[image.shape[0] // 2]
    dark = np.flatnonzero(row < 128)
    modules = 11 * (1 + len(value) // 2 + 1) + 13
    assert image.shape[1] == 2 * (modules + 2 * 10)
    assert (dark[0], image.shape[1] - 1 - dark[-1]) == (20, 20)
    assert [b.text for b in zxingcpp.read_barcodes(image)] == [value]


@settings(max_examples=150, deadline=None)
@given(seq=st.integers(min_value=1, max_value=999_999_999), digits=st.integers(min_value=4, max_value=9),
       docs=st.integers(min_value=1, max_value=50), data=st.data(),
       symbology=st.sampled_from(["code128", "itf", "code39"]), job=st.sampled_from(["01", "99", "00", "42"]))
def test_property_render_decode_round_trip(seq: int, digits: int, docs: int, data: st.DataObject,
                                           symbology: str, job: str) -> None:
    """Random pieces, lengths, job codes (99… included): zxing-cpp decodes exactly the composed value."""
    seq = seq % (10**digits) or 1
    index = data.draw(st.integers(min_value=1, max_value=docs))
    p = profile(symbology=symbology, job_code=job, piece_digits=digits, feeders=["A", "B"])
    value = inserter.compose(p, seq, index, docs, "3")
    assert inserter.is_valid(value)
    image = inserter.render(value, symbology)
    assert inserter.decode(image, symbology) == [value]


@settings(max_examples=100, deadline=None)
@given(value=st.from_regex(r"99[0-9]{0,18}", fullmatch=True))
def test_property_any_digit_string_starting_99_round_trips_in_code128(value: str) -> None:
    """Code 128 keeps every leading 99 (python-barcode's bug does not apply to zxing-cpp)."""
    assert inserter.decode(inserter.render(value, "code128"), "code128") == [value]
