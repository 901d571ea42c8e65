"""The password printed on a password notice, read as a person reads it: the PDF's text by pdftotext."""

from __future__ import annotations

import subprocess
from pathlib import Path


def notice_password(notice: Path | str) -> str:
    """The value on the notice's 「パスワード: …」 line (pdftotext -layout, the one such line)."""
    text = subprocess.run(["pdftotext", "-layout", str(notice), "-"], capture_output=True, text=True,
                          check=True).stdout
    (line,) = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("パスワード")]
    return line.split(":", 1)[1].strip()
