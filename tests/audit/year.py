"""A scripted year of custody for the audit: 生活保護 (programme ``seikatsu-hogo``, seed 004) in fiscal year 2026.

Seed 004 mails 保護変更決定通知書 in October, November and March and 資産申告書 in June. Each cycle is recorded
in order, as ward staff would: the job prepared (disc written and verified, notice printed, both stored in
separate cabinets), the disc handed over, the notice the next day, the delivery inspected with the prepared
pieces, disc and notice returned, the deletion certificate covering the media, both destroyed. One on-site
inspection of the vendor by two staff falls in the year. ``run_cycle`` takes day offsets per step so the audit
tests can move, skip or change one step of a cycle; every step is recorded at its own (Tokyo) time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from handoff.ledger.events import Actor, Entry
from handoff.ledger.service import Ledger

TOKYO = ZoneInfo("Asia/Tokyo")
OPERATOR = Actor("S001", "tester")
SUPERVISOR = Actor("S002", "tester")
ZIP = "a" * 64
ISO = "b" * 64
MEDIUM_CABINET = "媒体用キャビネットA"
NOTICE_CABINET = "通知書用キャビネットB"
PROGRAMME = "seikatsu-hogo"
APPROVED = ["郵便番号", "住所", "氏名", "ケース番号"]
PIECES = 8500  # 世帯ごとに1通（seed 004: 約8,500世帯）
# The mailing cycles of fiscal year 2026 and the day each job is prepared.
CYCLES: tuple[tuple[str, dt.date], ...] = (
    ("2026-06", dt.date(2026, 6, 1)),  # 資産申告書
    ("2026-10", dt.date(2026, 10, 1)),
    ("2026-11", dt.date(2026, 11, 2)),
    ("2027-03", dt.date(2027, 3, 1)),
)
INSPECTED_ON = dt.date(2026, 12, 10)
# Days after the preparation on which each step is recorded (None: the step is not recorded).
STEPS: dict[str, int | None] = {
    "prepared": 0,
    "medium_handed": 1,
    "notice_handed": 2,
    "delivery": 10,
    "medium_returned": 12,
    "notice_returned": 12,
    "certificate": 14,
    "destroyed": 15,
}


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """A moment of ``day``, Tokyo time."""
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TOKYO)


@dataclass
class Cycle:
    job: str
    cycle: str
    prepared: dt.date
    media: list[str]
    notice: str
    pieces: int
    entries: list[Entry] = field(default_factory=list)

    def first(self, event: str) -> Entry:
        """The first entry of this cycle of type ``event``."""
        return next(e for e in self.entries if e.type == event)


@dataclass
class Year:
    cycles: list[Cycle]
    inspection: Entry
    entries: list[Entry]


def run_cycle(
    ledger: Ledger,
    job: str,
    prepared: dt.date,
    *,
    cycle: str | None = None,
    media: int = 1,
    pieces: int = PIECES,
    offsets: Mapping[str, int | None] | None = None,
    approved: Sequence[str] = APPROVED,
    programme: str = PROGRAMME,
    vendor: str = "V01",
    handler: str = "V01-H1",
    certified: Sequence[str] | None = None,
    inspected: int | None = None,
    passed: int | None = None,
    readback: str = ISO,
    on: Mapping[str, dt.date] | None = None,
) -> Cycle:
    """One job through its custody, each step at ``prepared`` + its offset (``STEPS``, overridden by
    ``offsets``), in time order. ``certified`` names the media the certificate lists (all by default);
    ``on`` gives a step a declared date (recorded after the fact)."""
    days = {**STEPS, **(offsets or {})}
    ids = [f"{job}-M{i + 1}" for i in range(media)]
    c = Cycle(job, cycle or job, prepared, ids, f"{job}-N1", pieces)
    quantity = len(ids)
    declared = {k: {"on": v.isoformat()} for k, v in (on or {}).items()}

    def rec(event: str, subject: dict[str, str], payload: dict[str, Any], day: dt.date, hour: int,
            actor: Actor = OPERATOR) -> None:
        c.entries.append(ledger.record(event, subject, payload, actor, at=at(day, hour)))

    def step_prepared(day: dt.date) -> None:
        payload: dict[str, Any] = {
            "programme": programme, "council_reference": "資料26", "approved_items": list(approved),
            "vendor": vendor, "quantity": quantity, "zip_sha256": ZIP, "iso_sha256": ISO,
            "counts": {"rows": pieces + 1000, "pieces": pieces, "documents": pieces + 1000},
            "media": quantity, "cycle": c.cycle,
        }
        rec("job.prepared", {"job": job}, payload, day, 9)
        for m in ids:
            rec("medium.written", {"job": job, "medium": m}, {"iso_sha256": ISO, "verified": True}, day, 9)
        rec("notice.printed", {"job": job, "notice": c.notice}, {}, day, 9)
        for m in ids:
            rec("medium.stored", {"job": job, "medium": m}, {"cabinet": MEDIUM_CABINET}, day, 9)
        rec("notice.stored", {"job": job, "notice": c.notice}, {"cabinet": NOTICE_CABINET}, day, 9)

    def handover(kind: str, items: list[str], day: dt.date) -> None:
        for item in items:
            payload = {"vendor": vendor, "handler": handler, "quantity": quantity, "bag": "鍵付きカバン1",
                       **declared.get(f"{kind}_handed", {})}
            rec(f"{kind}.handed_over", {"job": job, kind: item}, payload, day, 10)

    def step_delivery(day: dt.date) -> None:
        n = pieces if inspected is None else inspected
        rec("delivery.inspected", {"job": job}, {"inspected": n, "passed": n if passed is None else passed}, day, 11)

    def step_medium_returned(day: dt.date) -> None:
        for m in ids:
            payload = {"handler": "V01-H1" if vendor == "V01" else f"{vendor}-H1", "readback_sha256": readback,
                       **declared.get("medium_returned", {})}
            rec("medium.returned", {"job": job, "medium": m}, payload, day, 14)

    def step_notice_returned(day: dt.date) -> None:
        payload = {"handler": "V01-H1" if vendor == "V01" else f"{vendor}-H1", **declared.get("notice_returned", {})}
        rec("notice.returned", {"job": job, "notice": c.notice}, payload, day, 14)

    def step_certificate(day: dt.date) -> None:
        payload = {"vendor": vendor, "scan_sha256": "c" * 64, "method": "上書き消去", "performed_on": day.isoformat(),
                   "performed_by": f"{vendor}-H1", "verified_by": f"{vendor}-H1",
                   "media": list(ids if certified is None else certified)}
        rec("deletion_certificate.received", {"job": job}, payload, day, 15)

    def step_destroyed(day: dt.date) -> None:
        for m in ids:
            rec("medium.destroyed", {"job": job, "medium": m}, {"method": "破砕", "witness": "S002"}, day, 16)
        rec("notice.destroyed", {"job": job, "notice": c.notice}, {"method": "細断", "witness": "S002"}, day, 16)

    actions = {
        "prepared": step_prepared,
        "medium_handed": lambda d: handover("medium", ids, d),
        "notice_handed": lambda d: handover("notice", [c.notice], d),
        "delivery": step_delivery,
        "medium_returned": step_medium_returned,
        "notice_returned": step_notice_returned,
        "certificate": step_certificate,
        "destroyed": step_destroyed,
    }
    order = sorted((d, i, name) for i, (name, d) in enumerate(days.items()) if d is not None)
    for offset, _, name in order:
        actions[name](prepared + dt.timedelta(days=offset))
    return c


def inspect_vendor(ledger: Ledger, vendor: str, day: dt.date, inspectors: Sequence[str] = ("S001", "S002"),
                   *, single: str | None = None) -> Entry:
    """``vendor.inspected`` on ``day`` by ``inspectors`` (or, as an older release recorded it, one ``single``)."""
    payload: dict[str, Any] = {"performed_on": day.isoformat(), "result": "適正"}
    if single is not None:
        payload["inspector"] = single
    else:
        payload["inspectors"] = list(inspectors)
    return ledger.record("vendor.inspected", {"vendor": vendor}, payload, OPERATOR, at=at(day, 17))


def build_year(ledger: Ledger) -> Year:
    """The whole of fiscal year 2026 of 生活保護, clean: four cycles and one on-site inspection by two staff."""
    cycles = [run_cycle(ledger, f"SH-{name}", day, cycle=name) for name, day in CYCLES[:3]]
    inspection = inspect_vendor(ledger, "V01", INSPECTED_ON)
    name, day = CYCLES[3]
    cycles.append(run_cycle(ledger, f"SH-{name}", day, cycle=name))
    return Year(cycles, inspection, list(ledger.entries()))
