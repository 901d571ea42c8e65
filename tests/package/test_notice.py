"""The password notice PDF, read back with poppler (pdftotext, pdffonts, pdftoppm) and zxing-cpp."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from handoff.errors import StateError, ToolError
from handoff.fs import JobDir
from handoff.package.notice import NoticeInfo, notice_file, write_notice
from handoff.package.password import Password

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

NOTE = "handoff.example-ward.invalid/ledger\n42\nq3kJb0mXo9Zz7bC1aW4e5rT6yU8iO0pLkJhGfDsA1Bc=\n\n— handoff Xy9z"


def info(job: JobDir, checkpoint: str = "", note: str = "") -> NoticeInfo:
    return NoticeInfo(job_id=job.job_id, medium_ids=(f"{job.job_id}-M1",), programme_id="test-prog",
                      programme_title="試験用事業", vendor_id="V01", vendor_name="見本印刷株式会社",
                      issuer="見本区役所", issued=dt.date(2026, 6, 1), checkpoint=checkpoint, checkpoint_note=note)


@pytest.fixture
def job(tmp_path: Path) -> JobDir:
    return JobDir.create(tmp_path / "data", "20260601-093000-test-prog-ab12")


def text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_text_layer_has_one_password_line_exactly_as_typed(job: JobDir) -> None:
    """pdftotext: exactly one line starts with パスワード and it is 'パスワード: ' + the typed password."""
    pw = Password.generate()
    text = text_of(write_notice(job, pw, info(job)))
    lines = [ln for ln in text.splitlines() if ln.startswith("パスワード")]
    assert lines == [f"パスワード: {pw.typed()}"]
    for group in pw.groups():
        assert group in text


def test_headings_ids_and_handling_rules_from_the_seeds(job: JobDir) -> None:
    """The notice names ids, programme and vendor, and states the seeds' handling rules and a receipt box."""
    text = text_of(write_notice(job, Password.generate(), info(job)))
    for phrase in ("パスワード通知書", "取扱い上の注意", "受領欄", "受領印", "管理簿チェックポイント",
                   "別の機会に手渡し", "鍵付きカバン", "施錠できるキャビネットで保管", "業務終了後に返却",
                   f"{job.job_id}-N1", f"{job.job_id}-M1", "試験用事業", "見本印刷株式会社", "区切り"):
        assert phrase in text, phrase


def test_fonts_are_embedded(job: JobDir) -> None:
    """pdffonts lists only embedded fonts (the page renders on a PC without Japanese fonts)."""
    pdf = write_notice(job, Password.generate(), info(job))
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), out


def test_written_only_to_the_notice_folder_owner_only(job: JobDir) -> None:
    """The PDF is in notice/ (0600 in a 0700 folder), and nothing is written beside the medium."""
    pdf = write_notice(job, Password.generate(), info(job))
    assert pdf.parent == job.notice and pdf == notice_file(job)
    assert pdf.stat().st_mode & 0o777 == 0o600 and job.notice.stat().st_mode & 0o777 == 0o700
    assert not any(job.medium.iterdir())


def test_never_overwritten(job: JobDir) -> None:
    """A second notice for the same job is refused: the first one holds the only copy of the password."""
    write_notice(job, Password.generate(), info(job))
    with pytest.raises(StateError):
        write_notice(job, Password.generate(), info(job))


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm not installed")
def test_checkpoint_text_and_qr_decode(job: JobDir, tmp_path: Path) -> None:
    """With a ledger checkpoint, its short form is printed and the QR decodes to the signed note."""
    import numpy as np
    import zxingcpp
    from PIL import Image

    pdf = write_notice(job, Password.generate(), info(job, checkpoint="ledger 42 q3kJb0mX", note=NOTE))
    assert "ledger 42 q3kJb0mX" in text_of(pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    image = np.asarray(Image.open(tmp_path / "page.png").convert("L"))
    found = [b.text for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.QRCode]
    assert found == [NOTE]


def test_print_to_file_then_deleted_and_missing_afterwards(job: JobDir, tmp_path: Path) -> None:
    """--to-file copies the PDF (0600) and deletes the original; a second attempt says make a new job."""
    from handoff.package.notice_print import export_notice

    write_notice(job, Password.generate(), info(job))
    dest = export_notice(job, tmp_path / "out.pdf")
    assert dest.stat().st_mode & 0o777 == 0o600 and not notice_file(job).exists()
    with pytest.raises(StateError) as err:
        export_notice(job, tmp_path / "again.pdf")
    assert err.value.code == "notice.missing" and "新しいジョブ" in err.value.message("ja")


def fake_lp(bindir: Path, rc: int) -> Path:
    """A stand-in for CUPS' lp that records its arguments and a copy of the file it was given."""
    log = bindir / "lp.args"
    script = bindir / "lp"
    script.write_text(f"#!{sys.executable}\nimport sys, shutil\n"
                      f"open({str(log)!r}, 'w').write(' '.join(sys.argv[1:]))\n"
                      f"shutil.copy(sys.argv[-1], {str(bindir / 'printed.pdf')!r})\n"
                      f"print('request id is p-1 (1 file(s))')\nsys.exit({rc})\n")
    script.chmod(0o755)
    return log


def test_print_with_lp_uses_site_printer_then_deletes(job: JobDir, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """lp gets -d <printer> and the PDF; after lp accepted it, the notice file is gone."""
    from handoff.package.notice_print import print_notice

    bindir = tmp_path / "bin"
    bindir.mkdir()
    log = fake_lp(bindir, 0)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    pw = Password.generate()
    write_notice(job, pw, info(job))
    request = print_notice(job, "TsuchiPrinter")
    assert log.read_text().startswith("-d TsuchiPrinter") and "p-1" in request
    assert not notice_file(job).exists()
    assert f"パスワード: {pw.typed()}" in text_of(bindir / "printed.pdf")


def test_failed_print_keeps_the_notice(job: JobDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When lp fails the file stays in notice/ so the operator can retry (ToolError, exit code 8)."""
    from handoff.package.notice_print import print_notice

    bindir = tmp_path / "bin"
    bindir.mkdir()
    fake_lp(bindir, 1)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    write_notice(job, Password.generate(), info(job))
    with pytest.raises(ToolError) as err:
        print_notice(job, "")
    assert int(err.value.exit_code) == 8 and notice_file(job).exists()
