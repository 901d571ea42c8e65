"""The disc label PDF: ids in text, the medium id as a Code 128 that decodes, no personal data or title."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from handoff.fs import JobDir
from handoff.package.label import LabelInfo, label_file, write_label
from handoff.pdf.draw import code128_modules, draw_code128

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")


@pytest.fixture
def label(tmp_path: Path) -> tuple[JobDir, Path]:
    job = JobDir.create(tmp_path / "data", "20260601-093000-test-prog-ab12")
    info = LabelInfo(job.job_id, f"{job.job_id}-M1", 1, 1, dt.date(2026, 6, 1), checkpoint="ledger 42 q3kJb0mX")
    return job, write_label(job, info)


def test_label_text_and_location(label: tuple[JobDir, Path]) -> None:
    """The label sits in the job folder (not notice/), shows job id, medium id, n/N and the checkpoint."""
    job, pdf = label
    assert pdf == label_file(job, f"{job.job_id}-M1") and pdf.parent == job.root
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for phrase in (job.job_id, f"{job.job_id}-M1", "1/1", "ledger 42 q3kJb0mX"):
        assert phrase in text
    assert "試験用事業" not in text


def test_rendered_barcode_decodes_to_the_medium_id(label: tuple[JobDir, Path], tmp_path: Path) -> None:
    """Rasterised by pdftoppm at 300 dpi, the Code 128 symbol decodes (zxing-cpp) to the medium id."""
    import numpy as np
    import zxingcpp
    from PIL import Image

    job, pdf = label
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", str(pdf), str(tmp_path / "p")], check=True)
    image = np.asarray(Image.open(tmp_path / "p.png").convert("L"))
    found = [b.text for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.Code128]
    assert found == [f"{job.job_id}-M1"]


def test_fonts_embedded(label: tuple[JobDir, Path]) -> None:
    """pdffonts: every font of the label is embedded."""
    out = subprocess.run(["pdffonts", str(label[1])], capture_output=True, text=True, check=True).stdout
    assert all(row.split()[-5] == "yes" for row in out.splitlines()[2:])


@pytest.mark.parametrize("value", ["999999", "99", "9912345678-M1", "20260601-093000-x-0000-M12"])
def test_code128_values_starting_with_99_survive(value: str, tmp_path: Path) -> None:
    """Values beginning with 99 (dropped by python-barcode) encode and decode intact, as drawn on a PDF page."""
    import numpy as np
    import zxingcpp
    from PIL import Image
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    modules = code128_modules(value)
    assert modules[:2] == [1, 1]  # every Code 128 start character begins with a 2-module bar
    pdf = tmp_path / "bars.pdf"
    canvas = Canvas(str(pdf), pagesize=(120 * mm, 40 * mm))
    draw_code128(canvas, value, 10 * mm, 10 * mm, 100 * mm, 20 * mm)
    canvas.save()
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", str(pdf), str(tmp_path / "p")], check=True)
    image = np.asarray(Image.open(tmp_path / "p.png").convert("L"))
    found = [b.text for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.Code128]
    assert found == [value]


def test_checkpoint_qr_decodes_to_the_signed_note(tmp_path: Path) -> None:
    """With a signed note, the label's QR (pdftoppm, then zxing-cpp) decodes to exactly that note."""
    import numpy as np
    import zxingcpp
    from PIL import Image

    job = JobDir.create(tmp_path / "data", "20260601-093000-kokuho-tokusoku-ab12")
    note = "handoff.example/ledger\n1234\nq3kJb0mXq3kJb0mXq3kJb0mXq3kJb0mXq3kJb0mXq3k=\n\n— handoff.example/ledger " + (
        "AbCd" * 24) + "\n"
    pdf = write_label(job, LabelInfo(job.job_id, f"{job.job_id}-M1", 1, 1, dt.date(2026, 6, 1),
                                     checkpoint="1234 q3kJb0mXq3kJb0mX", checkpoint_note=note))
    subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", str(pdf), str(tmp_path / "p")], check=True)
    image = np.asarray(Image.open(tmp_path / "p.png").convert("L"))
    found = {b.format: b.text for b in zxingcpp.read_barcodes(image)}
    assert found[zxingcpp.BarcodeFormat.QRCode] == note
    assert found[zxingcpp.BarcodeFormat.Code128] == f"{job.job_id}-M1"  # the QR does not crowd the bars
