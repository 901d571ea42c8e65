"""Register an embeddable Japanese TrueType font with reportlab.

reportlab's built-in CID fonts (HeiseiMin-W3 …) are only *referenced*, so a PC without Japanese fonts shows
blanks; a TrueType font is embedded (subset) instead. IPAex Gothic (Debian ``fonts-ipaexfont-gothic``, IPA font
licence) is preferred; ``HANDOFF_FONT`` may point at another TrueType (.ttf) file.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from handoff.errors import ToolError

FONT_NAME = "HandoffJP"
CANDIDATES = (
    "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf",
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
)


def font_path() -> Path:
    env = os.environ.get("HANDOFF_FONT")
    for cand in ([env] if env else []) + list(CANDIDATES):
        path = Path(cand)
        if path.is_file() and path.suffix.lower() == ".ttf":
            return path
    raise ToolError("tool.font_missing")


@cache
def japanese_font() -> str:
    """Register the font once and return its reportlab name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT_NAME, str(font_path())))
    return FONT_NAME
