"""One audit: integrity first (a fork or a truncation stops everything else), then custody reconciled against
the programme files' deadlines and the site's rules, then the witness file brought forward when all is clean."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handoff import runtime
from handoff.audit.integrity import append_witness, parse_paper, prove, read_only_store, read_witness
from handoff.audit.model import AuditReport, Finding, Integrity, Scope
from handoff.errors import ConfigError, CustodyError, IntegrityError
from handoff.ledger.events import Actor, Entry

if TYPE_CHECKING:
    from handoff.config import SiteConfig
    from handoff.programme import ProgramSpec

# Who may sign an audit: the auditor, or a supervisor standing in (an operator audits no one's work, their own
# included).
AUDIT_ROLES = frozenset({"auditor", "supervisor"})


def check_auditor(site: SiteConfig, staff: str) -> None:
    member = site.staff_member(staff)
    if member is None:
        raise CustodyError("custody.unknown_staff", staff=staff)
    if member.role not in AUDIT_ROLES:
        raise CustodyError("audit.role_refused", staff=staff, role=member.role)


def load_programmes(site: SiteConfig) -> dict[str, ProgramSpec]:
    """Every programme file the site holds; one that does not load is a configuration error naming it, and so
    is a missing programme folder (every job would otherwise be judged against no approval at all)."""
    from handoff.programme import load_all

    if not site.pipelines_path.is_dir():
        raise ConfigError("audit.no_programmes", path=str(site.pipelines_path))
    return load_all(site.pipelines_path)


def audit(site: SiteConfig, scope: Scope, *, auditor: str, witness: Path | None = None,
          checkpoints: Sequence[str] = (), now: dt.datetime | None = None) -> AuditReport:
    """Audit the site's ledger as of ``scope.as_of``. Opens the ledger read-only; writes nothing but, when the
    audit is clean, the auditor's own witness file."""
    check_auditor(site, auditor)
    paper = parse_paper(checkpoints)
    held = read_witness(witness)
    if scope.programme is not None and scope.programme not in load_programmes(site):
        raise ConfigError("config.unknown_programme", programme=scope.programme, path=str(site.pipelines_path))
    if scope.vendor is not None and all(v.id != scope.vendor for v in site.vendors):
        raise CustodyError("custody.unknown_vendor", vendor=scope.vendor)
    made = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    with runtime.collector_paused():
        return _audit(site, scope, auditor, witness, paper, held, made)


def _audit(site: SiteConfig, scope: Scope, auditor: str, witness: Path | None, paper: list[tuple[int, bytes]],
           held: list[str], made: dt.datetime) -> AuditReport:
    from handoff.audit.checks import reconcile

    with read_only_store(site) as store:
        try:
            proven = prove(store, site, held, paper)
        except IntegrityError as exc:
            failed = Integrity(ok=False, witnesses=len(held), paper=len(paper))
            finding = Finding(exc.code, "integrity", seqs=_seqs(exc.params), params=dict(exc.params))
            return AuditReport(scope, auditor, made, failed, [finding])
    entries = _entries(proven.entries)
    vr = proven.report
    integrity = Integrity(entries=vr.entries, root=vr.root.hex(), checkpoints=vr.checkpoints,
                          witnesses=len(vr.witnesses), paper=vr.paper)
    found = reconcile(entries, site, load_programmes(site), scope)
    report = AuditReport(scope, auditor, made, integrity, found.findings, found.timelines, found.vendors,
                         {"ledger_entries": vr.entries, **found.checked})
    if report.clean and witness is not None:
        append_witness(witness, proven.note, held)
    return report


def _entries(kept: list[tuple[dict[str, Any], bytes]]) -> list[Entry]:
    """The entries integrity checking has just proven, from the JSON it parsed (``fromisoformat`` reads the
    fixed-width UTC time): parsing them again would take the audit longer than the proof itself."""
    out: list[Entry] = []
    actors: dict[tuple[str, str], Actor] = {}  # a ledger has few people in it: one Actor each
    for obj, data in kept:
        who = obj["actor"]
        key = (who["staff"], who["os_user"])
        actor = actors.get(key) or actors.setdefault(key, Actor(*key))
        time = dt.datetime.fromisoformat(obj["time"])
        out.append(Entry(obj["seq"], time, actor, obj["type"], obj["subject"], obj["payload"], data))
    return out


def _seqs(params: dict[str, object]) -> tuple[int, ...]:
    """The entries an integrity failure names (``seq``, or the range ``first``..``last``)."""
    if isinstance(params.get("seq"), int):
        return (int(str(params["seq"])),)
    first, last = params.get("first"), params.get("last")
    if isinstance(first, int) and isinstance(last, int):
        return (first, last)
    return ()
