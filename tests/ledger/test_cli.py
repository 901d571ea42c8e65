"""Operator commands: init, custody, show, checkpoint — exit codes, prompts, permissions and receipts."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from handoff.config import SiteConfig, defaults_dir, load_site
from handoff.ledger.checkpoint import open_note
from handoff.ledger.keys import load_verifier
from handoff.ledger.paths import LedgerPaths
from handoff.ledger.service import Ledger

from .helpers import prepare, run_cli

COMMANDS = [
    ["init"],
    ["ledger"],
    *(["ledger", c] for c in ("show", "export", "verify", "checkpoint")),
    ["custody"],
    *(["custody", c] for c in ("store", "handover", "return", "destroy")),
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(command: list[str], tmp_path: Path) -> None:
    """``--help`` works for every ledger command and shows its Japanese description."""
    proc = run_cli(*command, "--help", home=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "使い方:" in proc.stdout and any("\u3040" <= ch <= "\u9fff" for ch in proc.stdout)


def test_init_creates_an_owner_only_site(tmp_path: Path) -> None:
    """init --dir --yes writes site.toml, pipelines, data (0700), key (0600), ledger, first checkpoint."""
    home = tmp_path / "ward"
    proc = run_cli("init", "--dir", str(home), "--yes", home=str(tmp_path / "unused"))
    assert proc.returncode == 0, proc.stderr
    site = load_site(home)
    paths = LedgerPaths.of(site)
    assert sorted(p.name for p in (home / "pipelines").glob("*.toml")) == sorted(
        p.name for p in (defaults_dir() / "pipelines").glob("*.toml")
    )
    for folder in (home, site.data_path, paths.root):
        assert folder.stat().st_mode & 0o777 == 0o700
    for file in (home / "site.toml", paths.signer, paths.verifier, paths.db, paths.checkpoint):
        assert file.stat().st_mode & 0o777 == 0o600, file
    note = open_note(paths.checkpoint.read_text(), [load_verifier(paths.verifier)])
    assert note.size == 0 and note.origin == site.ledger.origin


def test_init_refuses_an_existing_site_and_needs_a_folder(tmp_path: Path) -> None:
    """A second init on the same folder exits 9 and keeps the key; without --dir it is a usage error (2)."""
    home = tmp_path / "ward"
    assert run_cli("init", "--dir", str(home), "--yes", home=str(home)).returncode == 0
    key = (home / "data" / "ledger" / "ledger.key").read_bytes()
    again = run_cli("init", "--dir", str(home), "--yes", home=str(home))
    assert again.returncode == 9 and "[ledger.site_exists]" in again.stderr
    assert (home / "data" / "ledger" / "ledger.key").read_bytes() == key
    no_dir = run_cli("init", "--yes", home="")  # an empty HANDOFF_HOME counts as unset
    assert no_dir.returncode == 2


def test_init_prompt_in_japanese_and_no_means_nothing_created(tmp_path: Path) -> None:
    """Without --yes, init asks in Japanese; answering n exits 13 (declined) and creates nothing."""
    home = tmp_path / "ward"
    proc = run_cli("init", "--dir", str(home), home=str(home), stdin="n\n")
    assert "よろしいですか" in proc.stdout and proc.returncode == 13
    assert not home.exists()


def test_custody_cli_flow_with_receipt_and_refusal(sqlite_site: SiteConfig) -> None:
    """Handover prints a receipt whose QR decodes to the signed checkpoint; a same-day notice exits 6."""
    _clear_of_midnight_in_tokyo()
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
    home = str(sqlite_site.home)
    args = ["--handler", "V01-H1", "--quantity", "100", "--bag", "BAG-1", "--staff", "S001", "--yes"]
    proc = run_cli("custody", "handover", "--medium", "J1-M1", *args, home=home)
    assert proc.returncode == 0, proc.stderr
    receipt = LedgerPaths.of(sqlite_site).receipts / "000005-J1-M1.pdf"
    assert receipt.stat().st_mode & 0o777 == 0o600
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(receipt), "-"], capture_output=True, text=True, check=True).stdout
        assert "受" in text and "BAG-1" in text and "6/" in text
    _check_receipt_qr(sqlite_site, receipt)
    refused = run_cli("custody", "handover", "--notice", "J1-N1", *args, home=home)
    assert refused.returncode == 6 and "[custody.same_day]" in refused.stderr and "記録しませんでした" in refused.stderr
    with Ledger.open(sqlite_site) as ledger:
        assert ledger.store.size() == 6


def _clear_of_midnight_in_tokyo(margin: float = 60.0) -> None:
    """Wait out the last minute of a Tokyo day: the same-day rule compares two CLI runs' own clocks."""
    now = dt.datetime.now(ZoneInfo("Asia/Tokyo"))
    midnight = (now + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    left = (midnight - now).total_seconds()
    if left < margin:
        time.sleep(left + 1)


def _check_receipt_qr(site: SiteConfig, receipt: Path) -> None:
    """Decode the receipt's QR with zxing-cpp (an independent reader) and verify the note it carries."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("needs poppler-utils (pdftoppm)")
    zxingcpp = pytest.importorskip("zxingcpp")
    image_mod = pytest.importorskip("PIL.Image")
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(receipt), str(receipt.with_suffix(""))], check=True)
    # Only QR codes are looked for: read for every format, a QR's modules now and then also pass as a short
    # Codabar (about one receipt in 150), and the receipt prints no linear code.
    image = image_mod.open(f"{receipt.with_suffix('')}-1.png")
    [code] = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    paths = LedgerPaths.of(site)
    assert open_note(code.text, [load_verifier(paths.verifier)]).size == 6  # the tree right after the handover


def test_prompt_without_yes_and_answer_no_records_nothing(sqlite_site: SiteConfig) -> None:
    """custody store asks 「よろしいですか？」; answering n is declined (13) and the ledger is unchanged."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
    args = ["--medium", "J1-M1", "--cabinet", "媒体用キャビネットA", "--staff", "S001"]
    proc = run_cli("custody", "store", *args, home=str(sqlite_site.home), stdin="n\n")
    assert "よろしいですか" in proc.stdout and proc.returncode == 13
    with Ledger.open(sqlite_site) as ledger:
        assert ledger.store.size() == 5


def test_custody_needs_exactly_one_item(sqlite_site: SiteConfig) -> None:
    """Giving both --medium and --notice (or neither) is a usage error (2)."""
    base = ["custody", "destroy", "--staff", "S001", "--yes"]
    assert run_cli(*base, home=str(sqlite_site.home)).returncode == 2
    assert run_cli(*base, "--medium", "a", "--notice", "b", home=str(sqlite_site.home)).returncode == 2


def test_show_json_and_checkpoint_out(sqlite_site: SiteConfig, tmp_path: Path) -> None:
    """show --json prints one canonical entry per line; checkpoint --out saves a note that verify accepts."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
    home = str(sqlite_site.home)
    lines = run_cli("ledger", "show", "--json", home=home).stdout.splitlines()
    assert [json.loads(x)["seq"] for x in lines] == [0, 1, 2, 3, 4]
    table = run_cli("ledger", "show", home=home)
    assert table.returncode == 0 and "日時" in table.stdout
    out = tmp_path / "witness.txt"
    proc = run_cli("ledger", "checkpoint", "--out", str(out), home=home)
    assert proc.returncode == 0 and proc.stdout.startswith(out.read_text())
    assert run_cli("ledger", "verify", "--witness", str(out), home=home).returncode == 0


def test_messages_switch_to_english(sqlite_site: SiteConfig) -> None:
    """HANDOFF_LANG=en gives the English catalogue text for the same refusal."""
    proc = run_cli("custody", "store", "--medium", "NOPE", "--cabinet", "x", "--staff", "S001", "--yes",
                   home=str(sqlite_site.home), lang="en")  # fmt: skip
    assert proc.returncode == 6 and "is not a medium, notice or paper" in proc.stderr
