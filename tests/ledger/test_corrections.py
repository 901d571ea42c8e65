"""``handoff ledger correct``: a wrong entry is voided or corrected by a new entry; nothing recorded is edited."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from handoff.config import SiteConfig
from handoff.errors import CustodyError
from handoff.ledger import rules
from handoff.ledger.events import Actor
from handoff.ledger.service import Ledger, correction_payload

from .helpers import STAFF, handover, jst, prepare, run_cli

SUPERVISOR = Actor("S002", "tester")  # corrections are a supervisor's to record


def correct(ledger: Ledger, seq: int, *, void: bool = False, sets: tuple[str, ...] = ()) -> None:
    _, payload = correction_payload(ledger, seq, "記入誤り", void=void, sets=list(sets))
    ledger.record("correction", {"entry": str(seq)}, payload, SUPERVISOR, at=jst(3))


def read_csv(path: Path) -> list[dict[str, str]]:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_voided_store_replays_as_before_it(site: SiteConfig) -> None:
    """A mistaken medium.stored voided: the medium replays as written again, and the ledger still verifies."""
    with Ledger.open(site) as ledger:
        prepare(ledger)  # 0 prepared, 1 written, 2 printed, 3 medium stored, 4 notice stored
        assert rules.replay(list(ledger.entries(job="J1"))).items["J1-M1"].state == "stored"
        correct(ledger, 3, void=True)
        state = rules.replay(list(ledger.entries(job="J1"))).items["J1-M1"]
        assert (state.state, state.cabinet) == ("written", None)
        with pytest.raises(CustodyError) as exc:
            correct(ledger, 3, void=True)
        assert exc.value.code == "custody.already_void"
        assert ledger.verify().entries == 6


def test_changed_quantity_is_what_the_rules_read(site: SiteConfig) -> None:
    """A job.prepared quantity corrected to 120: a handover of 100 is now refused and one of 120 recorded."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        correct(ledger, 0, sets=("quantity=120",))
        with pytest.raises(CustodyError) as exc:
            ledger.record("medium.handed_over", {"medium": "J1-M1"}, handover(quantity=100), STAFF, at=jst(4))
        assert exc.value.code == "custody.quantity_mismatch"
        ledger.record("medium.handed_over", {"medium": "J1-M1"}, handover(quantity=120), STAFF, at=jst(4))
        original = next(ledger.entries(job="J1"))
        assert original.payload["quantity"] == 100  # the recorded entry itself is untouched
        assert ledger.verify().entries == 7


@pytest.mark.parametrize(
    ("seq", "sets", "code"),
    [
        (3, ("shelf=A",), "correction.key"),
        (3, ("medium=J9-M1",), "correction.subject"),
        (0, ("approved_items=氏名",), "correction.list"),
        (0, ("quantity=many",), "correction.value"),
        (1, ("verified=perhaps",), "correction.value"),
        (5, ("reason=x",), "correction.of_correction"),
        (99, ("place=x",), "custody.correction_target"),
        (3, ("cabinet",), "correction.set_form"),
        (3, (), "correction.nothing"),
    ],
)
def test_a_change_the_event_cannot_carry_is_refused(
    site: SiteConfig, seq: int, sets: tuple[str, ...], code: str
) -> None:
    """Unknown keys, subject ids, lists, values of the wrong kind and corrections of corrections: exit-6 refusals."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        correct(ledger, 4, sets=("cabinet=通知書用キャビネットB",))  # entry 5: a correction
        with pytest.raises(CustodyError) as exc:
            correct(ledger, seq, sets=sets)
        assert exc.value.code == code and exc.value.exit_code == 6
        assert ledger.store.size() == 6


def test_cli_corrects_a_wrong_place_and_readers_show_both(sqlite_site: SiteConfig, tmp_path: Path) -> None:
    """``ledger correct 5 --set place=…``: show marks entry 5 訂正 and lists the correction; the export keeps the original place in its column and the corrected one beside it; verify stays clean."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
        pay = {**handover(bag="BAG-9"), "place": "第一窓口", "condition": "封印良好"}
        ledger.record("medium.handed_over", {"medium": "J1-M1"}, pay, STAFF, at=jst(2))
    home = str(sqlite_site.home)
    proc = run_cli("ledger", "correct", "5", "--reason", "場所の記入誤り", "--set", "place=第二窓口",
                   "--staff", "S002", "--yes", home=home)
    assert proc.returncode == 0, proc.stderr
    assert "第一窓口 → 第二窓口" in proc.stdout and "連番 6" in proc.stdout
    shown = run_cli("ledger", "show", home=home)
    assert shown.returncode == 0, shown.stderr
    assert "訂正: place（連番 6）" in shown.stdout and "連番 5 の place を訂正" in shown.stdout
    rows = read_csv(export(home, tmp_path / "k.csv"))
    handed = next(r for r in rows if r["連番"] == "5")
    assert handed["場所・保管庫"] == "第一窓口" and handed["訂正後の値"] == "place=第二窓口"
    assert handed["訂正記録（連番）"] == "6（place）" and handed["取消記録（連番）"] == ""
    assert handed["状態"] == "封印良好" and handed["鍵付きカバン・封印番号"] == "BAG-9"
    assert rows[-1]["事象"] == "訂正" and rows[-1]["取扱者"] == "S002 試験 花子"
    ws = load_workbook(export(home, tmp_path / "k.xlsx")).active
    assert ws is not None
    assert [["" if c.value is None else str(c.value) for c in r] for r in ws.iter_rows(min_row=2)] == [
        list(r.values()) for r in rows
    ]
    if shutil.which("pdftotext"):
        pdf = export(home, tmp_path / "k.pdf")
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "第一窓口" in text and "place=第二窓口" in text and "訂正後の値" in text
    assert run_cli("ledger", "verify", home=home).returncode == 0


def test_cli_refuses_an_unknown_key_and_writes_nothing(sqlite_site: SiteConfig) -> None:
    """An undeclared --set key ends with exit 6 and the rule's message naming the key; the ledger is unchanged."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
    proc = run_cli("ledger", "correct", "3", "--reason", "誤り", "--set", "shelf=上段", "--staff", "S002", "--yes",
                   home=str(sqlite_site.home))
    assert proc.returncode == 6 and "[correction.key]" in proc.stderr and "shelf" in proc.stderr
    assert "上段" not in proc.stderr and "Traceback" not in proc.stderr
    with Ledger.open(sqlite_site) as ledger:
        assert ledger.store.size() == 5


def test_cli_void_is_marked_in_show_and_export(sqlite_site: SiteConfig, tmp_path: Path) -> None:
    """A voided entry is marked 取消 in show and carries the voiding entry's seq in the export's 取消記録 column."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
    home = str(sqlite_site.home)
    proc = run_cli("ledger", "correct", "3", "--reason", "保管庫の誤り", "--void", "--staff", "S002", "--yes",
                   home=home)
    assert proc.returncode == 0, proc.stderr
    assert "取消（連番 5）" in run_cli("ledger", "show", home=home).stdout
    rows = read_csv(export(home, tmp_path / "k.csv"))
    assert rows[3]["取消記録（連番）"] == "5" and rows[3]["場所・保管庫"] == "媒体用キャビネットA"
    assert "連番 3 を取消" in rows[5]["情報の内容"]


def export(home: str, path: Path, *args: str) -> Path:
    proc = run_cli("ledger", "export", "--out", str(path), *args, home=home)
    assert proc.returncode == 0, proc.stderr
    return path


def test_correct_has_japanese_help(tmp_path: Path) -> None:
    """``ledger correct --help`` describes the command, --void and --set in Japanese."""
    proc = run_cli("ledger", "correct", "--help", home=str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "訂正" in proc.stdout and "--void" in proc.stdout and "--set" in proc.stdout


def test_cli_shows_the_correction_and_a_no_records_nothing(sqlite_site: SiteConfig) -> None:
    """Without --yes the target, the change and the reason are shown first; answering no exits 13, nothing written."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
    proc = run_cli("ledger", "correct", "3", "--reason", "保管庫の誤り", "--set", "cabinet=通知書用キャビネットB",
                   "--staff", "S002", home=str(sqlite_site.home), stdin="n\n")
    assert proc.returncode == 13, proc.stderr
    assert "連番 3（媒体保管）J1-M1" in proc.stdout and "媒体用キャビネットA → 通知書用キャビネットB" in proc.stdout
    assert "保管庫の誤り" in proc.stdout
    with Ledger.open(sqlite_site) as ledger:
        assert ledger.store.size() == 5
