"""Paper other than the password notice (printed proofs, lists): registered with an id, handed over, returned
and destroyed under the custody rules, from the library and through ``handoff custody``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from handoff.config import SiteConfig
from handoff.errors import CustodyError, InputError
from handoff.ledger import rules
from handoff.ledger.events import Actor
from handoff.ledger.paths import LedgerPaths
from handoff.ledger.service import Ledger

from .helpers import STAFF, handover, jst, prepare, run_cli

AUDITOR = Actor("A001", "tester")


def register(ledger: Ledger, paper: str = "J1-P1", *, kind: str = "proof", pages: int = 3, day: int = 2,
             actor: Actor = STAFF) -> None:
    ledger.record("paper.registered", {"job": "J1", "paper": paper}, {"kind": kind, "pages": pages}, actor,
                  at=jst(day))


def refused(ledger: Ledger, event: str, subject: dict[str, str], payload: dict[str, Any], day: int = 4,
            actor: Actor = STAFF) -> str:
    with pytest.raises(CustodyError) as exc:
        ledger.record(event, subject, payload, actor, at=jst(day))
    return exc.value.code


def test_paper_goes_out_comes_back_and_is_destroyed(site: SiteConfig) -> None:
    """registered → out → returned → destroyed, its job found from its id, and the ledger still verifies."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        register(ledger)
        ledger.record("paper.handed_over", {"paper": "J1-P1"}, handover(quantity=3), STAFF, at=jst(4))
        assert rules.replay(list(ledger.entries(job="J1"))).items["J1-P1"].state == "out"
        ledger.record("paper.returned", {"paper": "J1-P1"}, {"handler": "V01-H1"}, STAFF, at=jst(8))
        ledger.record("paper.destroyed", {"paper": "J1-P1"}, {"method": "裁断", "witness": "S002"}, STAFF, at=jst(9))
        state = rules.replay(list(ledger.entries(job="J1"))).items["J1-P1"]
        assert (state.kind, state.state, state.pages) == ("paper", "destroyed", 3)
        assert [e.job for e in ledger.entries() if e.item == "J1-P1"] == ["J1"] * 4
        assert ledger.verify().entries == 9


def test_paper_is_not_held_to_the_medium_and_notice_day_rules(site: SiteConfig) -> None:
    """Paper may go before the medium, and on the day the medium or the notice goes."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        register(ledger, "J1-P1")
        register(ledger, "J1-P2", kind="list", pages=2)
        ledger.record("paper.handed_over", {"paper": "J1-P1"}, handover(quantity=3), STAFF, at=jst(3))
        ledger.record("medium.handed_over", {"medium": "J1-M1"}, handover(), STAFF, at=jst(4))
        ledger.record("paper.handed_over", {"paper": "J1-P2"}, handover(quantity=2), STAFF, at=jst(4, 11))
        ledger.record("notice.handed_over", {"notice": "J1-N1"}, handover(), STAFF, at=jst(5))


@pytest.mark.parametrize(("payload", "code"), [
    ({"kind": "poster", "pages": 3}, "custody.paper_kind"),
    ({"kind": "proof", "pages": 0}, "custody.paper_pages"),
])
def test_registering_refuses_an_unknown_kind_and_no_pages(site: SiteConfig, payload: dict[str, Any],
                                                          code: str) -> None:
    """Only proof, list or other, with one page or more, can be registered."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        assert refused(ledger, "paper.registered", {"job": "J1", "paper": "J1-P1"}, payload) == code
        assert ledger.store.size() == 5


def test_a_paper_id_is_used_once(site: SiteConfig) -> None:
    """A second paper.registered under an id the ledger holds is refused."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        register(ledger)
        assert refused(ledger, "paper.registered", {"job": "J1", "paper": "J1-P1"},
                       {"kind": "list", "pages": 1}) == "custody.item_exists"


def test_registering_needs_a_prepared_live_job_and_a_working_role(site: SiteConfig) -> None:
    """No paper for a job not prepared or abandoned, and none registered by an auditor."""
    with Ledger.open(site) as ledger:
        pay = {"kind": "proof", "pages": 1}
        assert refused(ledger, "paper.registered", {"job": "J1", "paper": "J1-P1"}, pay) == "custody.job_not_prepared"
        prepare(ledger)
        assert refused(ledger, "paper.registered", {"job": "J1", "paper": "J1-P1"}, pay,
                       actor=AUDITOR) == "custody.role_refused"
        ledger.record("job.abandoned", {"job": "J1"}, {"reason": "中止"}, STAFF, at=jst(2))
        assert refused(ledger, "paper.registered", {"job": "J1", "paper": "J1-P1"}, pay) == "custody.job_abandoned"


@pytest.mark.parametrize(("payload", "code"), [
    (handover(quantity=100), "custody.paper_quantity"),  # the job's quantity is not the paper's pages
    (handover(quantity=3, bag=None), "custody.bag_required"),
    (handover(quantity=3, handler="V01-H9"), "custody.unknown_handler"),
    (handover(quantity=3, vendor="V02", handler="V02-H1"), "custody.wrong_vendor"),
])
def test_handover_refusals(site: SiteConfig, payload: dict[str, Any], code: str) -> None:
    """A paper's handover: pages as quantity, a locked bag, a registered handler of the job's own vendor."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        register(ledger)
        assert refused(ledger, "paper.handed_over", {"paper": "J1-P1"}, payload) == code


def test_handover_outside_the_contract_is_refused(site: SiteConfig) -> None:
    """A paper handover after the vendor's contract ended is refused, as a notice's is."""
    ended = [v.model_copy(update={"contract_end": dt.date(2026, 6, 3)}) if v.id == "V01" else v
             for v in site.vendors]
    with Ledger.open(site.model_copy(update={"vendors": ended})) as ledger:
        prepare(ledger)
        register(ledger)
        assert refused(ledger, "paper.handed_over", {"paper": "J1-P1"}, handover(quantity=3)) \
            == "custody.outside_contract"


@pytest.mark.parametrize(("steps", "event", "code"), [
    ((), "paper.returned", "custody.not_out"),
    (("out",), "paper.handed_over", "custody.already_out"),
    (("out",), "paper.destroyed", "custody.item_out"),
    (("out", "back"), "paper.handed_over", "custody.bad_transition"),
    (("out", "back", "gone"), "paper.returned", "custody.item_destroyed"),
])
def test_the_state_machine_refuses_out_of_order_steps(site: SiteConfig, steps: tuple[str, ...], event: str,
                                                      code: str) -> None:
    """Return only what is out, hand over once (never after a return), nothing after destruction."""
    done = {"out": ("paper.handed_over", handover(quantity=3)), "back": ("paper.returned", {"handler": "V01-H1"}),
            "gone": ("paper.destroyed", {"method": "裁断"})}
    payloads = {"paper.handed_over": handover(quantity=3), "paper.returned": {"handler": "V01-H1"},
                "paper.destroyed": {"method": "裁断"}}
    with Ledger.open(site) as ledger:
        prepare(ledger)
        register(ledger)
        for n, step in enumerate(steps):
            ledger.record(done[step][0], {"paper": "J1-P1"}, done[step][1], STAFF, at=jst(4 + n))
        assert refused(ledger, event, {"paper": "J1-P1"}, payloads[event], day=9) == code


def test_a_return_needs_a_registered_handler(site: SiteConfig) -> None:
    """The person returning paper is one of the vendor's registered handlers."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        register(ledger)
        ledger.record("paper.handed_over", {"paper": "J1-P1"}, handover(quantity=3), STAFF, at=jst(4))
        assert refused(ledger, "paper.returned", {"paper": "J1-P1"}, {"handler": "X9"}, day=5) \
            == "custody.unknown_handler"


def test_a_destruction_witness_is_someone_else(site: SiteConfig) -> None:
    """A witness of a paper's destruction is registered staff other than the recorder."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        register(ledger)
        assert refused(ledger, "paper.destroyed", {"paper": "J1-P1"}, {"method": "裁断", "witness": "S001"}) \
            == "custody.witness_self"


def test_an_undeclared_field_is_refused(site: SiteConfig) -> None:
    """paper.registered carries kind, pages and note only (no free field for a name)."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        with pytest.raises(InputError) as exc:
            ledger.record("paper.registered", {"job": "J1", "paper": "J1-P1"},
                          {"kind": "list", "pages": 1, "owner": "x"}, STAFF, at=jst(2))
        assert exc.value.code == "ledger.undeclared_field"


# --- the commands ---------------------------------------------------------------------------------------------
def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_cli_registers_hands_over_returns_and_destroys_paper(sqlite_site: SiteConfig, tmp_path: Path) -> None:
    """custody paper prints J1-P1 then J1-P2; --paper works for handover (receipt in pages), return, destroy."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
    home = str(sqlite_site.home)
    first = run_cli("custody", "paper", "J1", "--kind", "proof", "--pages", "3", "--note", "校正1回目",
                    "--staff", "S001", "--yes", home=home)
    assert first.returncode == 0, first.stderr
    assert "J1-P1" in first.stdout and "校正紙" in first.stdout
    second = run_cli("custody", "paper", "J1", "--kind", "list", "--pages", "2", "--staff", "S001", "--yes", home=home)
    assert second.returncode == 0 and "J1-P2" in second.stdout, second.stderr
    receipt = tmp_path / "paper-receipt.pdf"
    out = run_cli("custody", "handover", "--paper", "J1-P1", "--handler", "V01-H1", "--quantity", "3", "--bag",
                  "BAG-7", "--receipt", str(receipt), "--staff", "S001", "--yes", home=home)
    assert out.returncode == 0, out.stderr
    if shutil.which("pdftotext"):
        text = _pdf_text(receipt)
        assert "紙（校正紙）" in text and "数量（枚数）" in text and re.search(r"\b3\s*枚", text)
        assert "J1-P1" in text and "BAG-7" in text
    back = run_cli("custody", "return", "--paper", "J1-P1", "--handler", "V01-H1", "--staff", "S001", "--yes",
                   home=home)
    assert back.returncode == 0, back.stderr
    gone = run_cli("custody", "destroy", "--paper", "J1-P1", "--witness", "S002", "--staff", "S001", "--yes",
                   home=home)
    assert gone.returncode == 0, gone.stderr
    with Ledger.open(sqlite_site) as ledger:
        kept = [(e.type, e.item) for e in ledger.entries(job="J1") if e.item in ("J1-P1", "J1-P2")]
        destroyed = next(e for e in ledger.entries(job="J1") if e.type == "paper.destroyed")
    assert kept == [("paper.registered", "J1-P1"), ("paper.registered", "J1-P2"), ("paper.handed_over", "J1-P1"),
                    ("paper.returned", "J1-P1"), ("paper.destroyed", "J1-P1")]
    assert destroyed.payload["method"] == "裁断"


def test_cli_refuses_a_wrong_page_count_at_handover(sqlite_site: SiteConfig) -> None:
    """custody handover --paper with a quantity other than the registered pages exits 6 and records nothing."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
        register(ledger, pages=3)
    proc = run_cli("custody", "handover", "--paper", "J1-P1", "--handler", "V01-H1", "--quantity", "100", "--bag",
                   "BAG-7", "--staff", "S001", "--yes", home=str(sqlite_site.home))
    assert proc.returncode == 6 and "[custody.paper_quantity]" in proc.stderr
    with Ledger.open(sqlite_site) as ledger:
        assert ledger.store.size() == 6


def test_cli_refuses_an_unknown_kind(sqlite_site: SiteConfig) -> None:
    """custody paper --kind poster exits 6 naming the kinds it accepts."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
    proc = run_cli("custody", "paper", "J1", "--kind", "poster", "--pages", "1", "--staff", "S001", "--yes",
                   home=str(sqlite_site.home))
    assert proc.returncode == 6 and "[custody.paper_kind]" in proc.stderr and "proof, list, other" in proc.stderr


@pytest.mark.parametrize("args", [
    ["--medium", "J1-M1", "--paper", "J1-P1"],
    ["--notice", "J1-N1", "--paper", "J1-P1"],
    [],
])
def test_cli_takes_exactly_one_item(sqlite_site: SiteConfig, args: list[str]) -> None:
    """--medium, --notice and --paper: exactly one of the three (usage error, exit 2)."""
    proc = run_cli("custody", "destroy", *args, "--staff", "S001", "--yes", home=str(sqlite_site.home))
    assert proc.returncode == 2 and "--paper" in proc.stderr


def test_cli_return_of_paper_reads_no_disc(sqlite_site: SiteConfig, tmp_path: Path) -> None:
    """custody return --paper with --image is a usage error: only a medium is read back."""
    proc = run_cli("custody", "return", "--paper", "J1-P1", "--handler", "V01-H1", "--image", str(tmp_path / "x"),
                   "--staff", "S001", "--yes", home=str(sqlite_site.home))
    assert proc.returncode == 2


def test_show_and_export_list_the_paper(sqlite_site: SiteConfig, tmp_path: Path) -> None:
    """ledger show and the CSV export name the paper's id, its kind and its pages as the quantity."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
        register(ledger, kind="list", pages=4)
        ledger.record("paper.handed_over", {"paper": "J1-P1"}, handover(quantity=4), STAFF, at=jst(4))
    home = str(sqlite_site.home)
    shown = run_cli("ledger", "show", home=home)
    assert shown.returncode == 0 and "紙の登録" in shown.stdout and "紙の引渡し" in shown.stdout, shown.stderr
    out = tmp_path / "ledger.csv"
    assert run_cli("ledger", "export", "--out", str(out), home=home).returncode == 0
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    registered = next(r for r in rows if r["事象"] == "紙の登録")
    assert (registered["媒体・通知書"], registered["数量"]) == ("J1-P1", "4")
    assert "名簿" in registered["情報の内容"]
    assert next(r for r in rows if r["事象"] == "紙の引渡し")["媒体・通知書"] == "J1-P1"


def test_receipts_folder_name_for_paper(sqlite_site: SiteConfig) -> None:
    """Without --receipt the paper's receipt goes to the ledger's receipts folder under its seq and id."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
        register(ledger)
    proc = run_cli("custody", "handover", "--paper", "J1-P1", "--handler", "V01-H1", "--quantity", "3", "--bag",
                   "BAG-7", "--staff", "S001", "--yes", home=str(sqlite_site.home))
    assert proc.returncode == 0, proc.stderr
    assert (LedgerPaths.of(sqlite_site).receipts / "000006-J1-P1.pdf").is_file()


def test_paper_command_has_japanese_help(tmp_path: Path) -> None:
    """``custody paper --help`` describes the command and its kinds in Japanese."""
    proc = run_cli("custody", "paper", "--help", home=str(tmp_path))
    assert proc.returncode == 0 and "校正紙" in proc.stdout and "--pages" in proc.stdout, proc.stderr
