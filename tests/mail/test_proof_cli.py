"""``handoff proof``: the proof sheet of an export, written owner-only beside the check results, never to a job."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import Runner
from tests.core.test_check import _leaked, _values


def _sample(cli: Runner, tmp_path: Path, programme: str = "kodomo-iryosho", rows: int = 300) -> Path:
    data = tmp_path / f"{programme}.dat"
    cli("sample", programme, "--rows", str(rows), "--seed", "5", "--out", str(data), check=True)
    return data


def test_proof_writes_an_owner_only_japanese_pdf(cli: Runner, site_dir: Path, tmp_path: Path) -> None:
    """proof writes an owner-only proof.pdf under checks/ whose Japanese address block pdftotext reads."""
    data = _sample(cli, tmp_path)
    proc = cli("proof", "kodomo-iryosho", "--input", str(data))
    assert proc.returncode == 0, proc.stderr
    (path,) = (site_dir / "data" / "checks").glob("proof-*-kodomo-iryosho-*/internal/proof.pdf")
    assert "校正刷り（庁内限り・個人情報を含む）を作成しました" in proc.stdout
    assert str(path) in proc.stdout.replace("\n", "")
    assert path.stat().st_mode & 0o777 == 0o600
    for folder in (path.parent, path.parent.parent, path.parent.parent.parent):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "校正刷り（庁内限り）" in text and "〒" in text and "様" in text
    assert not (site_dir / "data" / "jobs").exists() or not any((site_dir / "data" / "jobs").iterdir())


def test_proof_console_and_log_hold_no_input_value(cli: Runner, site_dir: Path, tmp_path: Path) -> None:
    """The proof holds names and addresses; the console output and the log file hold none of them."""
    data = _sample(cli, tmp_path)
    proc = cli("proof", "kodomo-iryosho", "--input", str(data))
    assert proc.returncode == 0, proc.stderr
    texts = [proc.stdout, proc.stderr, *(p.read_text(encoding="utf-8") for p in (site_dir / "data" / "logs").glob("*"))]
    values = _values(data, "kodomo-iryosho")
    assert values
    for text in texts:
        assert not _leaked(values, text)


def test_proof_pieces_option_and_english(cli: Runner, site_dir: Path, tmp_path: Path) -> None:
    """``--pieces 1`` shows one piece from each end; HANDOFF_LANG=en gives the English message."""
    data = _sample(cli, tmp_path)
    proc = cli("proof", "kodomo-iryosho", "--input", str(data), "--pieces", "1", lang="en")
    assert proc.returncode == 0 and "Proof sheet written" in proc.stdout, proc.stderr
    (path,) = (site_dir / "data" / "checks").glob("proof-*/internal/proof.pdf")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "先頭・末尾各1通" in text and text.count("封入連番") == 2


def test_proof_help_is_japanese(cli: Runner) -> None:
    """``proof --help`` describes the command in Japanese."""
    proc = cli("proof", "--help")
    assert proc.returncode == 0 and "校正刷り" in proc.stdout


def test_no_selected_row_is_a_state_error_and_writes_nothing(cli: Runner, site_dir: Path, tmp_path: Path) -> None:
    """An export whose only row fails validation (broken 負担者番号 check digit) exits 9; no proof is written."""
    data = _sample(cli, tmp_path, rows=5)
    header, row, *_ = data.read_text(encoding="cp932").splitlines()
    first, rest = row.split(",", 1)
    broken = first[:-1] + str((int(first[-1]) + 1) % 10)
    bad = tmp_path / "bad.dat"
    bad.write_text(f"{header}\r\n{broken},{rest}\r\n", encoding="cp932")
    proc = cli("proof", "kodomo-iryosho", "--input", str(bad))
    assert proc.returncode == 9 and "[proof.nothing_selected]" in proc.stderr
    assert not list((site_dir / "data").glob("checks/*/internal/proof.pdf"))
