"""`handoff run` end to end, checked with tools handoff did not write: 7-Zip, xorriso, pdftotext."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.test_check import _leaked, _values
from tests.notice import notice_password

STAGES = ["extract", "validate", "window", "select", "minimise", "household", "sort", "barcode", "render", "internal",
          "package", "iso", "record", "notice"]  # "record": job.prepared is in the ledger, the notice not yet written


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An initialised site (ledger and key) under tmp_path."""
    home = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "handoff", "init", "--dir", str(home), "--yes"], check=True,
                   capture_output=True)
    monkeypatch.setenv("HANDOFF_HOME", str(home))
    monkeypatch.setenv("HANDOFF_STAFF", "S001")
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    return home


def handoff(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "handoff", *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})}, timeout=600)


def _sample(tmp_path: Path, programme: str, rows: int = 1500, seed: int = 11) -> Path:
    data = tmp_path / "in" / f"{programme}.dat"
    data.parent.mkdir(exist_ok=True)
    assert handoff("sample", programme, "--rows", str(rows), "--seed", str(seed), "--out", str(data)).returncode == 0
    return data


@pytest.mark.parametrize("programme", ["kodomo-iryosho", "seikatsu-hogo", "keirokai", "kokuho-tokusoku",
                                       "ninpu-kyufu"])
def test_run_seals_a_job_that_7zip_and_xorriso_open(site: Path, tmp_path: Path, programme: str) -> None:
    """Every programme seals: 7-Zip opens the ZIP with the notice's password; the ISO holds it byte for byte."""
    data = _sample(tmp_path, programme)
    proc = handoff("run", programme, "--input", str(data), "--json")
    assert proc.returncode in (0, 1), proc.stderr
    out = json.loads(proc.stdout)
    zip_path, notice = Path(out["zip"]), Path(out["notice"])
    password = notice_password(notice)
    listing = subprocess.run(["7zz", "l", "-slt", f"-p{password}", str(zip_path)], capture_output=True,
                             text=True, check=True).stdout
    names = re.findall(r"^Path = (.+)$", listing, flags=re.M)[1:]
    assert sorted(names) == sorted(["data.csv" if "data.csv" in names else "data.txt", "manifest.json",
                                    "pieces.json"])
    assert "AES-256" in listing
    dest = tmp_path / "x"
    subprocess.run(["7zz", "x", f"-p{password}", f"-o{dest}", str(zip_path)], check=True, capture_output=True)
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    data_name = next(n for n in names if n.startswith("data."))
    members = json.dumps(manifest, ensure_ascii=False)
    assert hashlib.sha256((dest / data_name).read_bytes()).hexdigest() in members
    assert "個人番号" not in json.dumps(manifest.get("approved_items", []),
                                     ensure_ascii=False)
    wrong = subprocess.run(["7zz", "t", "-pWRONGPASSWORD", str(zip_path)], capture_output=True, text=True)
    assert wrong.returncode != 0
    iso = Path(out["iso"][0])
    got = tmp_path / "from-iso.zip"
    subprocess.run(["xorriso", "-osirrox", "on", "-indev", str(iso), "-extract", f"/{zip_path.name}", str(got)],
                   check=True, capture_output=True)
    assert got.read_bytes() == zip_path.read_bytes()
    assert handoff("ledger", "verify").returncode == 0


def test_kodomo_vendor_file_holds_only_approved_items(site: Path, tmp_path: Path) -> None:
    """The vendor data file's header is the approved items plus handling columns, in CP932 with CRLF."""
    data = _sample(tmp_path, "kodomo-iryosho", rows=400)
    out = json.loads(handoff("run", "kodomo-iryosho", "--input", str(data), "--json").stdout)
    dest = tmp_path / "x"
    subprocess.run(["7zz", "x", f"-p{notice_password(Path(out['notice']))}", f"-o{dest}", out["zip"]], check=True,
                   capture_output=True)
    raw = (dest / "data.csv").read_bytes()
    text = raw.decode("cp932")  # strict: every byte is CP932
    lines = text.split("\r\n")
    assert lines[-1] == "" and not any("\n" in line or "\r" in line for line in lines)  # CRLF after every record
    header = next(csv.reader([lines[0]]))
    handling = ["封入連番", "分割番号", "封入内順", "封入枚数", "封入制御コード", "同封物フラグ"]
    approved = ["郵便番号", "保護者住所", "保護者氏名", "児童氏名", "児童生年月日", "負担者番号", "受給者番号",
                "有効期間（開始）", "有効期間（終了）"]
    assert header == [*handling, *approved, "カスタマバーコード", "カスタマバーコード（バー）"]
    assert all(len(row) == len(header) for row in csv.reader(lines[1:-1]))


def test_run_proof_sheet_uses_the_vendor_symbology(site: Path, tmp_path: Path) -> None:
    """The run's internal/proof.pdf shows its job, and its control codes decode as the profile's ITF."""
    import zxingcpp
    from PIL import Image

    config = site / "site.toml"
    text = config.read_text(encoding="utf-8")
    assert 'symbology = "code128"' in text
    config.write_text(text.replace('symbology = "code128"', 'symbology = "itf"'), encoding="utf-8")
    data = _sample(tmp_path, "kodomo-iryosho", rows=300)
    out = json.loads(handoff("run", "kodomo-iryosho", "--input", str(data), "--json").stdout)
    proof = Path(out["zip"]).parent.parent / "internal" / "proof.pdf"
    shown = subprocess.run(["pdftotext", str(proof), "-"], capture_output=True, text=True, check=True).stdout
    assert "校正刷り" in shown and out["job_id"] in shown
    subprocess.run(["pdftoppm", "-r", "300", "-f", "1", "-l", "1", "-png", str(proof), str(tmp_path / "page")],
                   check=True)
    (png,) = tmp_path.glob("page*.png")
    image = Image.open(png).convert("L")
    # Read for the three inserter symbologies only; read for every format, other marks on the sheet may pass as a
    # stray Codabar now and then.
    symbologies = (zxingcpp.BarcodeFormat.ITF, zxingcpp.BarcodeFormat.Code128, zxingcpp.BarcodeFormat.Code39)
    found = [b for fmt in symbologies for b in zxingcpp.read_barcodes(image, formats=fmt)]
    assert found and {b.format for b in found} == {zxingcpp.BarcodeFormat.ITF}
    assert all(b.text.isdigit() and len(b.text) % 2 == 0 for b in found)


def test_same_cycle_twice_needs_a_recorded_reason(site: Path, tmp_path: Path) -> None:
    """A second run of the same programme cycle is refused (exit 9) unless a reason is given and recorded."""
    data = _sample(tmp_path, "keirokai", rows=300)
    first = handoff("run", "keirokai", "--input", str(data), "--cycle", "2026-09", "--json")
    assert first.returncode in (0, 1), first.stderr
    again = handoff("run", "keirokai", "--input", str(data), "--cycle", "2026-09")
    assert again.returncode == 9 and json.loads(first.stdout)["job_id"] in again.stderr
    forced = handoff("run", "keirokai", "--input", str(data), "--cycle", "2026-09", "--reason", "住所訂正の反映",
                     "--json")
    assert forced.returncode in (0, 1), forced.stderr
    shown = handoff("ledger", "export", "--help")
    assert shown.returncode == 0
    from handoff.config import load_site
    from handoff.ledger.service import Ledger

    with Ledger.open(load_site(site)) as ledger:
        prepared = [e for e in ledger.entries() if e.type == "job.prepared"]
    assert [e.payload.get("rerun_reason") for e in prepared] == [None, "住所訂正の反映"]


def _readable(path: Path) -> str:
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    raw = path.read_bytes()
    return raw.decode("utf-8", errors="ignore") + raw.decode("cp932", errors="ignore")


def test_no_personal_data_outside_the_zip_and_internal(site: Path, tmp_path: Path) -> None:
    """After a run, no synthetic name, address or number appears in any file outside the ZIP and internal/."""
    data = _sample(tmp_path, "kodomo-iryosho", rows=600)
    out = json.loads(handoff("run", "kodomo-iryosho", "--input", str(data), "--json").stdout)
    values = _values(data, "kodomo-iryosho")
    assert len(values) > 600
    checked = 0
    for root in (site, tmp_path / "tmp"):
        for path in root.rglob("*"):
            if not path.is_file() or "internal" in path.parts or path.suffix == ".zip":
                continue
            text = _readable(path)
            leaked = _leaked(values, text)
            assert not leaked, (path, leaked[:2])
            checked += 1
    assert checked >= 5  # ISO, notice, logs, ledger, key … were all scanned
    assert Path(out["notice"]).stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("stage", STAGES)
def test_killed_run_leaves_no_partial_file_and_rerun_is_clean(site: Path, tmp_path: Path, stage: str) -> None:
    """Killed after any step: no final-name file incomplete; the re-run abandons the job and needs no --reason."""
    from handoff.pipeline.run import FAULT_POINTS

    assert STAGES == FAULT_POINTS
    data = _sample(tmp_path, "seikatsu-hogo", rows=300)
    killed = handoff("run", "seikatsu-hogo", "--input", str(data), "--cycle", "2026-10",
                     env={"HANDOFF_FAULT_AT": stage})
    assert killed.returncode == -9
    jobs = site / "data" / "jobs"
    for path in jobs.rglob("*") if jobs.exists() else []:
        if path.suffix == ".zip":
            assert subprocess.run(["7zz", "l", str(path)], capture_output=True).returncode == 0
        if path.suffix == ".iso":
            assert subprocess.run(["xorriso", "-indev", str(path), "-ls", "/"], capture_output=True).returncode == 0
        if path.suffix == ".pdf":
            assert subprocess.run(["pdftotext", str(path), "-"], capture_output=True).returncode == 0
    left = sorted(p.name for p in jobs.iterdir()) if jobs.exists() else []
    assert not any((jobs / name / "internal" / "job.json").exists() for name in left)  # never a finished job
    rerun = handoff("run", "seikatsu-hogo", "--input", str(data), "--cycle", "2026-10")
    assert rerun.returncode in (0, 1), rerun.stderr
    (new,) = [p for p in jobs.iterdir() if p.name not in left]
    assert sorted(p.name for p in jobs.iterdir()) == [new.name] and (new / "internal" / "job.json").is_file()
    assert all(name in rerun.stderr and "破棄" in rerun.stderr for name in left)  # the operator is told
    assert handoff("ledger", "verify").returncode == 0
    from handoff.config import load_site
    from handoff.ledger.service import Ledger

    with Ledger.open(load_site(site)) as ledger:
        prepared = [e.job for e in ledger.entries() if e.type == "job.prepared"]
        abandoned = [e for e in ledger.entries() if e.type == "job.abandoned"]
    recorded = stage in ("record", "notice")  # killed after the ledger's job.prepared
    assert prepared == ([*left, new.name] if recorded else [new.name])
    assert [e.job for e in abandoned] == (left if recorded else [])
    if recorded:
        assert abandoned[0].payload["reason"] == "interrupted" and abandoned[0].payload["removed"][0] == \
            "internal/proof.pdf"
