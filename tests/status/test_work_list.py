"""The work list as data (handoff.pipeline.status.work_list) on ledgers scripted step by step: each custody step
leads to the next one's task, with the programme's own deadlines, overdue tasks first."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from handoff.config import SiteConfig, defaults_dir
from handoff.ledger.service import Ledger
from handoff.pipeline.status import Commands, Task, WorkList, status, work_list
from handoff.programme import Custody, ProgramSpec, load_all
from tests.audit.year import MEDIUM_CABINET, NOTICE_CABINET, PROGRAMME, SUPERVISOR, at, inspect_vendor, run_cycle
from tests.ledger.conftest import drop_schema, needs_pg, schema_url, write_site

PREPARED = dt.date(2026, 10, 1)
PLACEHOLDER = {"staff": "職員ID", "handler": "取扱者ID", "cabinet": "保管庫", "bag": "カバン番号", "scan": "scan.pdf",
               "outcome": "結果・措置", "result": "結果", "inspectors": "職員ID,職員ID", "export": "抽出ファイル"}
NOTHING_AFTER = {"medium_handed": None, "notice_handed": None, "delivery": None, "medium_returned": None,
                 "notice_returned": None, "certificate": None, "destroyed": None}


@pytest.fixture
def site(tmp_path: Path) -> SiteConfig:
    return write_site(tmp_path / "site")


@pytest.fixture
def ledger(site: SiteConfig) -> Iterator[Ledger]:
    with Ledger.create(site) as led:
        yield led


def _programmes(**custody: int) -> dict[str, ProgramSpec]:
    """The example programmes, seikatsu-hogo with the deadlines given (the others as shipped)."""
    specs = load_all(defaults_dir() / "pipelines")
    specs[PROGRAMME] = specs[PROGRAMME].model_copy(update={"custody": Custody(**custody)})
    return specs


def _list(site: SiteConfig, ledger: Ledger, day: dt.date, staff: str | None = "S001", **custody: int) -> WorkList:
    return work_list(site, list(ledger.entries()), _programmes(**custody), day,
                     Commands("handoff", staff, PLACEHOLDER))


def _one(found: WorkList, kind: str) -> Task:
    (task,) = [t for t in found.tasks if t.kind == kind]
    return task


def test_stored_items_wait_for_their_handover_in_their_cabinets(site: SiteConfig, ledger: Ledger) -> None:
    """Right after the job is stored, medium and notice each wait to be handed over, naming their cabinet."""
    c = run_cycle(ledger, "J1", PREPARED, offsets=NOTHING_AFTER)
    found = _list(site, ledger, PREPARED, staff=None)
    handovers = {t.item: t for t in found.tasks if t.kind == "handover"}
    assert handovers[c.media[0]].cabinet == MEDIUM_CABINET and handovers[c.notice].cabinet == NOTICE_CABINET
    assert handovers[c.media[0]].command == (f"handoff custody handover --medium {c.media[0]} --handler 取扱者ID"
                                             " --media-count 1 --bag カバン番号 --staff 職員ID")
    assert {t.kind for t in found.tasks} == {"handover"}


def test_items_out_wait_for_their_return_by_the_programme_s_deadline(site: SiteConfig, ledger: Ledger) -> None:
    """Handed over on 10-02 with return_days=7: due 10-09, overdue from 10-10 and listed before anything not due."""
    c = run_cycle(ledger, "J1", PREPARED, offsets={**NOTHING_AFTER, "medium_handed": 1})
    on_time = _list(site, ledger, dt.date(2026, 10, 9), return_days=7)
    ret = _one(on_time, "return")
    assert (ret.item, ret.since, ret.due, ret.overdue(on_time.as_of)) == (
        c.media[0], dt.date(2026, 10, 2), dt.date(2026, 10, 9), False)
    late = _list(site, ledger, dt.date(2026, 10, 10), return_days=7)
    assert late.tasks[0].kind == "return" and late.tasks[0].overdue(late.as_of)
    assert late.tasks[0].command == (f"handoff custody return --medium {c.media[0]} --handler V01-H1"
                                     " --device /dev/sr0 --staff S001")
    assert _one(late, "handover").item == c.notice  # the notice is still in its cabinet


def test_media_back_wait_for_the_certificate_then_for_destruction(site: SiteConfig, ledger: Ledger) -> None:
    """All back on 10-13: the certificate is due 10-13 + certificate_days; once received, only destruction waits."""
    c = run_cycle(ledger, "J1", PREPARED, offsets={"certificate": None, "destroyed": None})
    back = PREPARED + dt.timedelta(days=12)
    found = _list(site, ledger, back, certificate_days=5)
    cert = _one(found, "certificate")
    assert (cert.since, cert.due) == (back, back + dt.timedelta(days=5))
    assert cert.command == "handoff certificate record J1 --scan scan.pdf --staff S001"
    assert {t.item for t in found.tasks if t.kind == "destroy"} == {*c.media, c.notice}
    assert not [t for t in found.tasks if t.kind in ("return", "delivery")]  # inspected on day 10, all back

    ledger.record("deletion_certificate.received", {"job": "J1"},
                  {"vendor": "V01", "scan_sha256": "c" * 64, "method": "上書き消去", "performed_on": back.isoformat(),
                   "performed_by": "V01-H1", "verified_by": "V01-H1", "media": list(c.media)},
                  SUPERVISOR, at=at(back, 15))
    assert {t.kind for t in _list(site, ledger, back).tasks} == {"destroy", "vendor_inspection"}


def test_a_whole_cycle_with_the_vendor_inspected_leaves_nothing(site: SiteConfig, ledger: Ledger) -> None:
    """Every step recorded and the vendor inspected this fiscal year: the work list is empty."""
    run_cycle(ledger, "J1", PREPARED)
    assert _one(_list(site, ledger, dt.date(2026, 10, 20)), "vendor_inspection").due == dt.date(2027, 3, 31)
    inspect_vendor(ledger, "V01", dt.date(2026, 10, 20))
    assert _list(site, ledger, dt.date(2026, 10, 20)).tasks == []


def test_an_incident_waits_until_a_supervisor_closes_it(site: SiteConfig, ledger: Ledger) -> None:
    """An open incident is due incident_days after it was recorded; closed, it leaves the list."""
    run_cycle(ledger, "J1", PREPARED)
    inspect_vendor(ledger, "V01", dt.date(2026, 10, 20))
    day = dt.date(2026, 10, 21)
    entry = ledger.record("incident.recorded", {"job": "J1"}, {"kind": "other", "reported_by": "S001"},
                          "S001", at=at(day))
    task = _one(_list(site, ledger, day, incident_days=3), "incident")
    assert (task.since, task.due, task.detail) == (day, day + dt.timedelta(days=3),
                                                  {"entry": entry.seq, "incident": "other"})
    assert task.command == f"handoff incident close {entry.seq} --outcome 結果・措置 --staff S001"
    ledger.record("incident.closed", {"entry": str(entry.seq), "job": "J1"}, {"outcome": "確認済み", "closed_by": "S002"},
                  SUPERVISOR, at=at(day, 11))
    assert _list(site, ledger, day).tasks == []


def test_what_is_recorded_after_the_day_asked_about_is_not_seen(site: SiteConfig, ledger: Ledger) -> None:
    """--date of the day before the handover: the items are still in their cabinets."""
    c = run_cycle(ledger, "J1", PREPARED, offsets={**NOTHING_AFTER, "medium_handed": 1})
    found = _list(site, ledger, PREPARED)
    assert [(t.kind, t.item) for t in found.tasks] == [("handover", c.media[0]), ("handover", c.notice)]
    assert [t.kind for t in _list(site, ledger, PREPARED + dt.timedelta(days=1)).tasks] == [
        "return", "vendor_inspection", "delivery", "handover"]


def test_a_cycle_whose_mailing_day_passed_without_a_job_is_overdue(site: SiteConfig, ledger: Ledger) -> None:
    """生活保護's October cycle with no job the day after its mailing day: missed, overdue, with the late run."""
    specs = _programmes()
    day = dt.date(2026, 10, 21)
    found = work_list(site, list(ledger.entries()), specs, day, Commands("handoff", "S001", PLACEHOLDER),
                      since=dt.date(2026, 4, 1))
    missed = {(t.programme, t.detail["cycle"]): t for t in found.tasks if t.kind == "missed"}
    task = missed[(PROGRAMME, "2026-10")]
    assert task.due == dt.date(2026, 10, 20) and task.overdue(day)
    assert task.command == f"handoff run {PROGRAMME} --cycle 2026-10 --input 抽出ファイル --staff S001"
    assert (PROGRAMME, "2026-11") not in missed  # not yet mailed
    run_cycle(ledger, "J-OCT", dt.date(2026, 10, 22), cycle="2026-10", offsets=NOTHING_AFTER)
    later = work_list(site, list(ledger.entries()), specs, dt.date(2026, 10, 22),
                      Commands("handoff", "S001", PLACEHOLDER), since=dt.date(2026, 4, 1))
    assert (PROGRAMME, "2026-10") not in {(t.programme, t.detail.get("cycle")) for t in later.tasks}
    began = work_list(site, list(ledger.entries()), specs, day, Commands("handoff", "S001", PLACEHOLDER),
                      since=dt.date(2026, 10, 15))
    assert not [t for t in began.tasks if t.kind == "missed"]  # a cycle opened before the ledger began is not owed


def test_data_the_vendor_sent_back_waits_to_be_read_then_handed_back(
        site: SiteConfig, ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    """A received disc waits for intake by inbound_days; once read, the disc and notice wait to go back."""
    from handoff.ledger import rules

    monkeypatch.setattr(rules, "check", lambda draft, js, site, **kw: draft)  # intake's rules are its own tests'
    sha, job = "cd" * 32, {"job": "J-IN"}
    ledger.record("inbound.received", {**job, "medium": "J-IN-M1"},
                  {"programme": "ninpu-kyufu", "vendor": "V01", "handler": "V01-H1", "sha256": sha, "bytes": 100,
                   "records": 5}, "S001", at=at(PREPARED))
    (read,) = [t for t in _list(site, ledger, PREPARED).tasks if t.kind == "inbound_read"]
    assert read.due == PREPARED + dt.timedelta(days=14) and read.command == (
        "handoff intake ninpu-kyufu --device /dev/sr0 --staff S001")
    ledger.record("inbound.notice_received", {**job, "notice": "J-IN-N1"}, {"handler": "V01-H2"}, "S001",
                  at=at(PREPARED + dt.timedelta(days=1)))
    ledger.record("inbound.read", {**job, "medium": "J-IN-M1"},
                  {"sha256": sha, "member_sha256": sha, "rows_read": 5, "rows_imported": 5, "rows_excepted": 0,
                   "import_sha256": sha, "import_bytes": 10}, "S001", at=at(PREPARED + dt.timedelta(days=2)))
    found = _list(site, ledger, PREPARED + dt.timedelta(days=20))
    back = {t.item: t for t in found.tasks if t.kind == "inbound_return"}
    assert set(back) == {"J-IN-M1", "J-IN-N1"} and all(t.overdue(found.as_of) for t in back.values())
    assert not [t for t in found.tasks if t.kind == "inbound_read"]


def test_a_skip_is_refused_for_a_made_cycle_and_undone_by_a_void(site: SiteConfig, ledger: Ledger) -> None:
    """cycle.skipped: refused (exit 9) for a cycle a job made; a skip a correction voids no longer stands."""
    from handoff.errors import StateError
    from handoff.ledger.service import cycle_skipped

    run_cycle(ledger, "J-OCT", PREPARED, cycle="2026-10", offsets=NOTHING_AFTER)
    with pytest.raises(StateError) as made:
        ledger.record("cycle.skipped", {"programme": PROGRAMME}, {"cycle": "2026-10", "reason": "不要"}, SUPERVISOR)
    assert made.value.code == "schedule.skip_made" and made.value.params["job"] == "J-OCT"
    skip = ledger.record("cycle.skipped", {"programme": PROGRAMME}, {"cycle": "2026-11", "reason": "不要"},
                         SUPERVISOR)
    assert cycle_skipped(site, PROGRAMME, "2026-11") is not None
    ledger.record("correction", {"entry": str(skip.seq)}, {"reason": "誤り", "void": True}, SUPERVISOR)
    assert cycle_skipped(site, PROGRAMME, "2026-11") is None


def test_a_postcard_job_owes_no_delivery_inspection(site: SiteConfig, ledger: Ledger) -> None:
    """敬老会 postcards handed over: a return is waited for, a delivery inspection is not (as the audit judges)."""
    run_cycle(ledger, "J-PC", PREPARED, programme="keirokai", approved=["郵便番号", "住所", "氏名"],
              offsets={**NOTHING_AFTER, "medium_handed": 1})
    kinds = {t.kind for t in _list(site, ledger, PREPARED + dt.timedelta(days=2)).tasks}
    assert "return" in kinds and "delivery" not in kinds


def test_a_command_value_with_shell_characters_is_quoted() -> None:
    """Ids and Japanese words go as they are; a value a shell would split or expand is single-quoted."""
    commands = Commands("handoff", "S 1", PLACEHOLDER)
    assert commands("custody", "store", "--cabinet", "媒体用キャビネットA") == (
        "handoff custody store --cabinet 媒体用キャビネットA --staff 'S 1'")
    assert commands("x", "$(rm)", staff=False) == "handoff x '$(rm)'"


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=[pytest.mark.pg, needs_pg])])
def test_status_reads_the_ledger_of_either_backend(tmp_path: Path, backend: str) -> None:
    """status() opens the site's ledger read-only on SQLite and PostgreSQL and lists the same tasks."""
    schema = f"t_{secrets.token_hex(6)}"
    cfg = write_site(tmp_path / "site", backend, schema_url(schema) if backend == "postgresql" else "")
    try:
        with Ledger.create(cfg) as ledger:
            c = run_cycle(ledger, "J1", PREPARED, offsets=NOTHING_AFTER)
        found = status(cfg, PREPARED, staff="S001")
        assert [(t.kind, t.item) for t in found.tasks] == [("handover", c.media[0]), ("handover", c.notice)]
    finally:
        if backend == "postgresql":
            drop_schema(schema)
