"""国民健康保険医療費通知書 (seed 001) and 生活保護 資産申告書の送付用宛名用紙 (seed 004), from ``handoff sample`` to the
disc image, checked with tools handoff did not write: 7-Zip, xorriso, pdftotext, zxing-cpp."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest

from handoff.config import defaults_dir
from tests.notice import notice_password
from tests.programmes.conftest import confirm, handoff, sample

# programme -> (householding key field, the document the seed names)
NEW = {
    "kokuho-iryohi": ("kigo_bango", "医療費通知書"),
    "seikatsu-hogo-shisan": ("case_bango", "送付用宛名用紙"),
}


def _layout(programme: str) -> list[tuple[str, int]]:
    """The vendor layout (field, bytes) read straight from the programme file."""
    raw = tomllib.loads((defaults_dir() / "pipelines" / f"{programme}.toml").read_text(encoding="utf-8"))
    return [(f["field"], f["bytes"]) for f in raw["output"]["fields"]]


def _records(raw: bytes, layout: list[tuple[str, int]]) -> list[dict[str, str]]:
    """Cut each CRLF record at the layout's byte widths (CP932, strict)."""
    width = sum(n for _, n in layout)
    lines = raw.split(b"\r\n")
    assert lines[-1] == b""
    out = []
    for line in lines[:-1]:
        assert len(line) == width
        at, rec = 0, {}
        for field, n in layout:
            rec[field] = line[at:at + n].decode("cp932").strip()
            at += n
        out.append(rec)
    return out


@pytest.mark.parametrize("programme", sorted(NEW))
def test_new_document_runs_from_sample_to_disc_image(site: Path, tmp_path: Path, programme: str) -> None:
    """Counts match the planted account; 7-Zip opens the ZIP; one household per piece; the ISO holds the ZIP."""
    key, _ = NEW[programme]
    data = sample(site, tmp_path, programme)
    expected = json.loads(data.with_name(data.name + ".expected.json").read_text(encoding="utf-8"))
    confirm(site, programme)
    proc = handoff(site, "run", programme, "--input", str(data), "--json")
    assert proc.returncode in (0, 1), proc.stderr
    out = json.loads(proc.stdout)
    report = out["report"]
    assert report["counts"] == expected["counts"]
    assert report["pieces"] == expected["households"]["pieces"]
    assert report["documents"] == expected["households"]["documents"]
    # the piece steps add their own notes (mail.*: e.g. no customer barcode for a 代表番号); the rest was planted
    assert {k: v for k, v in report["findings"].items() if not k.startswith("mail.")} == expected["findings"]

    zip_path, password = Path(out["zip"]), notice_password(Path(out["notice"]))
    listing = subprocess.run(["7zz", "l", "-slt", f"-p{password}", str(zip_path)], capture_output=True, text=True,
                             check=True).stdout
    assert "AES-256" in listing
    assert sorted(re.findall(r"^Path = (.+)$", listing, flags=re.M)[1:]) == ["data.txt", "manifest.json",
                                                                             "pieces.json"]
    dest = tmp_path / "x"
    subprocess.run(["7zz", "x", f"-p{password}", f"-o{dest}", str(zip_path)], check=True, capture_output=True)
    assert subprocess.run(["7zz", "t", "-pWRONG", str(zip_path)], capture_output=True).returncode != 0
    records = _records((dest / "data.txt").read_bytes(), _layout(programme))
    assert len(records) == expected["households"]["documents"]
    pieces: dict[str, set[str]] = defaultdict(set)
    for rec in records:
        pieces[rec["piece_seq"]].add(rec[key])
    assert len(pieces) == expected["households"]["pieces"]
    assert all(len(keys) == 1 for keys in pieces.values())  # never two households in one envelope

    got = tmp_path / "from-iso.zip"
    subprocess.run(["xorriso", "-osirrox", "on", "-indev", out["iso"][0], "-extract", f"/{zip_path.name}",
                    str(got)], check=True, capture_output=True)
    assert got.read_bytes() == zip_path.read_bytes()
    assert handoff(site, "ledger", "verify").returncode == 0


@pytest.mark.parametrize("programme", sorted(NEW))
def test_new_document_proof_sheet_reads_back(site: Path, tmp_path: Path, programme: str) -> None:
    """The run's proof sheet names its job and programme (pdftotext); its control codes decode as Code 128."""
    import zxingcpp
    from PIL import Image

    data = sample(site, tmp_path, programme, rows=300)
    confirm(site, programme)
    out = json.loads(handoff(site, "run", programme, "--input", str(data), "--json").stdout)
    proof = Path(out["zip"]).parent.parent / "internal" / "proof.pdf"
    shown = subprocess.run(["pdftotext", str(proof), "-"], capture_output=True, text=True, check=True).stdout
    assert "校正刷り" in shown and out["job_id"] in shown
    subprocess.run(["pdftoppm", "-r", "300", "-f", "1", "-l", "1", "-png", str(proof), str(tmp_path / "page")],
                   check=True)
    (png,) = tmp_path.glob("page*.png")
    image = Image.open(png).convert("L")
    symbologies = (zxingcpp.BarcodeFormat.ITF, zxingcpp.BarcodeFormat.Code128, zxingcpp.BarcodeFormat.Code39)
    found = [b for fmt in symbologies for b in zxingcpp.read_barcodes(image, formats=fmt)]
    assert found and {b.format for b in found} == {zxingcpp.BarcodeFormat.Code128}


def test_the_new_programmes_mail_in_the_months_stated_or_assumed() -> None:
    """医療費通知書: one assumed January mailing (the seed states none); 資産申告書: June, as seed 004 states."""
    from handoff.programme import find_programme

    iryohi = find_programme(defaults_dir() / "pipelines", "kokuho-iryohi")
    shisan = find_programme(defaults_dir() / "pipelines", "seikatsu-hogo-shisan")
    assert iryohi.calendar is not None and shisan.calendar is not None
    assert [(c.id, c.assumed) for c in iryohi.calendar.cycles_of(2026)] == [("2027-01", True)]
    assert [(c.id, c.assumed, c.label) for c in shisan.calendar.cycles_of(2026)] == [("2026-06", False, "資産申告書")]
    assert all(i.assumed for i in iryohi.approved)
    assert [i.item for i in shisan.approved if i.assumed] == ["ケース番号"]
    assert shisan.documents == "送付用宛名用紙" and iryohi.documents == "医療費通知書"
