"""Proof sheet: renders with pdftoppm, embeds the Japanese font, and its control codes decode."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from handoff.mail import proof
from handoff.programme import ProgramSpec
from tests.mail.conftest import CtxFactory, family, kodomo_table
from tests.mail.p25_vectors import CASES


@pytest.fixture
def proof_pdf(kodomo: ProgramSpec, make_ctx: CtxFactory, tmp_path: Path) -> tuple[Path, list[str]]:
    rows = []
    for i, (zip_code, address, *_rest) in enumerate(CASES, start=1):
        rows += family(zip_code, address, f"見本 太郎{i}", 1 + i % 3, 10 * i)
    ctx = make_ctx()
    from handoff.mail import barcode, household, sort

    table = barcode.run(sort.run(household.run(kodomo_table(rows), kodomo, ctx).table, kodomo, ctx).table,
                        kodomo, ctx).table
    (tmp_path / "internal").mkdir(mode=0o700)
    path = proof.write_proof(table, kodomo, tmp_path / "internal" / proof.FILE_NAME, n=3,
                             symbology=ctx.profile.inserter.symbology, job_id=ctx.job_id)
    shown = [code for piece in proof._pieces(table, 3) for code in piece["control_code"]]
    return path, shown


def test_proof_is_written_to_internal(proof_pdf: tuple[Path, list[str]]) -> None:
    """write_proof() writes internal/proof.pdf, owner-only."""
    path, _ = proof_pdf
    assert path.name == "proof.pdf" and path.parent.name == "internal"
    assert path.stat().st_mode & 0o777 == 0o600


def test_font_is_embedded(proof_pdf: tuple[Path, list[str]]) -> None:
    """pdffonts lists only embedded fonts (the Japanese TrueType subset)."""
    out = subprocess.run(["pdffonts", str(proof_pdf[0])], capture_output=True, text=True, check=True).stdout
    fonts = out.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)


def test_japanese_text_is_legible(proof_pdf: tuple[Path, list[str]]) -> None:
    """pdftotext reads back the address block: 〒, address and 様."""
    cmd = ["pdftotext", str(proof_pdf[0]), "-"]
    text = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    assert "校正刷り" in text and "〒014-0113" in text
    assert "秋田県大仙市堀見内" in text and "見本 太郎2 様" in text


def test_control_codes_on_the_pages_decode(proof_pdf: tuple[Path, list[str]], tmp_path: Path) -> None:
    """pdftoppm at 300 dpi, then zxing-cpp finds every control code printed on the sheet."""
    path, shown = proof_pdf
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(path), str(tmp_path / "page")], check=True)
    found: set[str] = set()
    for png in sorted(tmp_path.glob("page*.png")):
        found |= {b.text for b in zxingcpp.read_barcodes(Image.open(png).convert("L"),
                                                         formats=zxingcpp.BarcodeFormat.Code128)}
    assert found == set(shown) and shown
