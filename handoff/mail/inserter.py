"""Inserter control code (封入制御コード): one fixed-length digit string per document.

Layout, all decimal digits, fixed length per vendor profile::

    [pad] job(2) piece(piece_digits) N(2) M(2) feeders(k) check(1)

- job: ``profile.inserter.job_code`` (2 digits identifying the run on the machine);
- piece: the piece sequence, zero-padded — a gap or repeat is a lost or doubled envelope;
- N of M: this document's index within its piece and the documents in the piece (sequence check, divert);
- feeders: one octal digit per 3 feeders of ``profile.inserter.feeders`` (bit 0 = first feeder of the group),
  so the machine pulls the enclosures (お知らせ, てびき) only for pieces that get them; ``k = max(1, ⌈n/3⌉)``;
- check: GS1 mod-10 (weights 3,1,3,… from the right, as on ITF-14/EAN), so a value mistyped or misread
  outside the symbology's own check is caught by inspection software too;
- pad: one leading "0" only for ITF when the length would be odd (ITF encodes digit pairs).

Rendering uses zxing-cpp (python-barcode drops a leading "99" in Code 128); every rendered symbol is decoded
again with zxing-cpp and compared before it is used.
"""

from __future__ import annotations

from typing import Any, Literal

from handoff.config import InserterProfile
from handoff.errors import ConfigError, IntegrityError

Symbology = Literal["code128", "itf", "code39"]


def feeder_digits(feeders: list[str]) -> int:
    return max(1, -(-len(feeders) // 3))


def code_length(profile: InserterProfile) -> int:
    """The fixed length of every control code of this profile."""
    body = 2 + profile.piece_digits + 2 + 2 + feeder_digits(profile.feeders) + 1
    return body + (body % 2 if profile.symbology == "itf" else 0)


def feeder_flags(profile: InserterProfile, enclosures: list[str]) -> str:
    """Feeder digits for a piece receiving ``enclosures``; an enclosure without a feeder is refused."""
    unknown = [e for e in enclosures if e not in profile.feeders]
    if unknown:
        raise ConfigError("mail.enclosure_without_feeder", count=len(unknown))
    digits = []
    for start in range(0, max(len(profile.feeders), 1), 3):
        group = profile.feeders[start : start + 3]
        digits.append(str(sum(1 << i for i, name in enumerate(group) if name in enclosures)))
    return "".join(digits)


def check_digit(digits: str) -> str:
    """GS1 mod-10: weights 3,1,3,… from the rightmost digit."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def compose(profile: InserterProfile, piece_seq: int, doc_index: int, docs_in_piece: int, flags: str) -> str:
    """One control code. Refuses values that do not fit the fixed layout (never truncates)."""
    job = profile.job_code
    if not (len(job) == 2 and job.isascii() and job.isdigit()):
        raise ConfigError("mail.job_code_invalid")
    if not (0 < piece_seq < 10**profile.piece_digits):
        raise ConfigError("mail.piece_seq_overflow", digits=profile.piece_digits)
    if not (0 < doc_index <= docs_in_piece < 100):
        raise ConfigError("mail.doc_index_invalid")
    if len(flags) != feeder_digits(profile.feeders) or not flags.isdigit():
        raise ConfigError("mail.feeder_flags_invalid")
    body = f"{job}{piece_seq:0{profile.piece_digits}d}{doc_index:02d}{docs_in_piece:02d}{flags}"
    if profile.symbology == "itf" and (len(body) + 1) % 2:
        body = "0" + body
    return body + check_digit(body)


def is_valid(value: str) -> bool:
    """True when ``value`` is all digits and its last digit is the mod-10 check of the rest."""
    return len(value) > 1 and value.isascii() and value.isdigit() and check_digit(value[:-1]) == value[-1]


def _format(symbology: str) -> Any:
    import zxingcpp

    formats = {"code128": zxingcpp.BarcodeFormat.Code128, "itf": zxingcpp.BarcodeFormat.ITF,
               "code39": zxingcpp.BarcodeFormat.Code39}
    return formats[symbology]


def render(value: str, symbology: str = "code128", scale: int = 2) -> Any:
    """The symbol as a grayscale numpy array (quiet zones included), rendered by zxing-cpp."""
    import numpy as np
    import zxingcpp

    if symbology == "itf" and len(value) % 2:
        raise ConfigError("mail.itf_odd_length")
    barcode = zxingcpp.create_barcode(value, _format(symbology))
    return np.asarray(barcode.to_image(scale=scale, add_quiet_zones=True))


def decode(image: Any, symbology: str = "code128") -> list[str]:
    """Every symbol zxing-cpp reads in ``image`` (numpy array or PIL image) of the given symbology."""
    import zxingcpp

    return [b.text for b in zxingcpp.read_barcodes(image, formats=_format(symbology))]


def verify(value: str, symbology: str = "code128") -> Any:
    """Render ``value`` and decode it again; IntegrityError unless exactly ``value`` comes back.

    Returns the rendered image, so a caller draws exactly what was verified.
    """
    image = render(value, symbology)
    if decode(image, symbology) != [value]:
        raise IntegrityError("mail.control_code_mismatch", symbology=symbology)
    return image
