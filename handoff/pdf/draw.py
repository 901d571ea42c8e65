"""Drawing helpers for the notice and the label: an embedded monospaced font, QR and Code 128 as vectors.

Barcodes are drawn as rectangles from the module pattern (crisp at any printer resolution), and the exact
pattern drawn is decoded with zxing-cpp before the PDF is accepted.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from handoff.errors import IntegrityError

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

MONO_NAME = "HandoffMono"
MONO_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",  # Debian fonts-dejavu-core
    "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationMono-Regular.ttf",
)


@cache
def mono_font() -> str:
    """An embeddable monospaced TrueType font for the password; IPAex Gothic when none is installed."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from handoff.pdf.fonts import japanese_font

    env = os.environ.get("HANDOFF_MONO_FONT")
    for cand in ([env] if env else []) + list(MONO_CANDIDATES):
        if Path(cand).is_file():
            pdfmetrics.registerFont(TTFont(MONO_NAME, cand))
            return MONO_NAME
    return japanese_font()


def text_width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(stringWidth(text, font, size))


def draw_qr(c: Canvas, text: str, x: float, y: float, size: float) -> None:
    """A QR code (error level M), lower-left corner at (x, y), ``size`` points wide with its quiet zone."""
    import segno

    qr = segno.make(text, error="m", micro=False)
    rows = [list(r) for r in qr.matrix]
    border = 4
    module = size / (len(rows) + 2 * border)
    c.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(rows):
        for col, dark in enumerate(row):
            if dark:
                c.rect(x + (col + border) * module, y + size - (r + border + 1) * module, module, module,
                       stroke=0, fill=1)


def code128_modules(value: str) -> list[int]:
    """The bar/space pattern (1 = bar) of ``value`` in Code 128, from zxing-cpp, decode-verified."""
    import numpy as np
    import zxingcpp

    symbol = zxingcpp.create_barcode(value, zxingcpp.BarcodeFormat.Code128)
    image = np.asarray(symbol.to_image(scale=1, add_quiet_zones=False, add_hrt=False))
    row = image[image.shape[0] // 2]
    modules = [1 if px < 128 else 0 for px in row]
    _verify_code128(modules, value)
    return modules


def _verify_code128(modules: list[int], value: str) -> None:
    """Decode an image built from exactly the modules that will be drawn (python-barcode taught us)."""
    import numpy as np
    import zxingcpp

    quiet = [0] * 12
    line = np.array([255 if m == 0 else 0 for m in quiet + modules + quiet], dtype=np.uint8).repeat(3)
    image = np.tile(line, (60, 1))
    found = [b for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.Code128]
    if len(found) != 1 or found[0].text != value:
        raise IntegrityError("label.barcode_mismatch", value=value)


def draw_code128(c: Canvas, value: str, x: float, y: float, width: float, height: float) -> float:
    """Draw ``value`` as Code 128 (bars only) within ``width``; returns the module width used."""
    modules = code128_modules(value)
    module = width / len(modules)
    c.setFillColorRGB(0, 0, 0)
    start = None
    for i, bit in enumerate([*modules, 0]):
        if bit and start is None:
            start = i
        elif not bit and start is not None:
            c.rect(x + start * module, y, (i - start) * module, height, stroke=0, fill=1)
            start = None
    return module
