"""A burner that writes slowly: the real xorriso, fed its image through a pipe a little at a time.

Burning to a ``stdio:`` pseudo-drive takes a fraction of a second, too quick to stop in the middle. A directory
holding this ``xorriso`` (put first on PATH) keeps the real program — the same process that ``media burn``
started, replaced by it with ``exec`` — but feeds the track from a pipe, ``chunk`` bytes every ``pause`` seconds,
so a test can kill ``media burn`` while the disc is being written.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

SCRIPT = '''#!{python}
import os, sys, time
REAL = {real!r}
args = sys.argv[1:]
if "cdrecord" in args:
    image = args[-1]
    size = os.path.getsize(image)
    r, w = os.pipe()
    if os.fork() == 0:  # the feeder; it ends when the image is written or the burner is gone
        os.close(r)
        try:
            with open(image, "rb") as f:
                while chunk := f.read({chunk}):
                    os.write(w, chunk)
                    time.sleep({pause})
        except OSError:
            pass
        os._exit(0)
    os.close(w)
    os.dup2(r, 0)
    os.close(r)
    args = [*args[:-1], f"tsize={{size}}", "-"]
os.execv(REAL, [REAL, *args])
'''


def slow_xorriso(folder: Path, chunk: int = 32768, pause: float = 0.2) -> Path:
    """Write the slow ``xorriso`` into ``folder`` and return the folder (to put first on PATH)."""
    real = shutil.which("xorriso")
    assert real, "xorriso not installed"
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "xorriso"
    script.write_text(SCRIPT.format(python=sys.executable, real=real, chunk=chunk, pause=pause), encoding="utf-8")
    script.chmod(0o700)
    return folder
