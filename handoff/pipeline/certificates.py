"""Deletion certificates (消去証明書): the pre-filled template for the vendor, and recording the returned one.

After a job the vendor erases its copies and certifies it. handoff prints what the certificate is about (job,
media, ZIP hash, the ledger checkpoint) so the vendor only fills in how, when and by whom; the returned paper is
scanned by the ward and recorded as ``deletion_certificate.received`` with the scan's SHA-256 (the scan itself
stays with the ward's files). The ward staff who records the certificate is the entry's actor: the person who
checked it. Whether the certificate covers every medium is a custody rule, checked by the ledger under its lock.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handoff.errors import CustodyError, InputError, StateError

if TYPE_CHECKING:
    from handoff.config import SiteConfig
    from handoff.ledger.events import Entry
    from handoff.ledger.paths import SignedCheckpoint
    from handoff.ledger.service import Ledger

EVENT = "deletion_certificate.received"
# What a certificate must state to be recorded (NIST SP 800-88 Rev.1 App. G, adapted), then what it may state.
MANDATORY = ("method", "performed_on", "performed_by", "verified_by", "media")
OPTIONAL = ("media_type", "tool", "verification", "place", "checkpoint")
FIELDS = MANDATORY + OPTIONAL
_SPLIT = re.compile(r"[\s,、，]+")


@dataclass(frozen=True)
class JobFacts:
    """What the ledger knows of a job that a certificate is about."""

    job: str
    vendor: str
    programme: str  # the title recorded with the job, else the programme id
    zip_sha256: str
    media: tuple[str, ...]  # every medium whose write was verified


def job_facts(ledger: Ledger, job: str) -> JobFacts:
    """The job's vendor, title, ZIP hash and media; StateError (exit 9) when the ledger has no such job."""
    from handoff.ledger.rules import certified_media, replay

    js = replay(list(ledger.entries(job=job)))
    if js.prepared is None:
        raise StateError("certificate.unknown_job", job=job)
    pay = js.prepared.payload
    title = str(pay.get("title") or pay["programme"])
    return JobFacts(job, str(pay["vendor"]), title, str(pay["zip_sha256"]), tuple(certified_media(js)))


def facts_of(site: SiteConfig, job: str) -> JobFacts:
    """``job_facts`` with the site's ledger opened and closed around it."""
    from handoff.ledger.service import Ledger

    with Ledger.open(site) as ledger:
        return job_facts(ledger, job)


def write_template(site: SiteConfig, job: str, out: Path) -> SignedCheckpoint:
    """Draw the pre-filled certificate for ``job`` into ``out`` (never over an existing file); the checkpoint
    printed on it is returned."""
    from handoff.fs import write_atomic
    from handoff.ledger.service import Ledger
    from handoff.paper.certificate import render_certificate_template

    if out.exists():
        raise StateError("ledger.output_exists", path=str(out))
    with Ledger.open(site) as ledger:
        facts = job_facts(ledger, job)
        signed = ledger.current_checkpoint()
    pdf = render_certificate_template(facts.job, facts.vendor, facts.programme, facts.zip_sha256, facts.media,
                                      signed, site)
    write_atomic(out, pdf)
    return signed


def scan_sha256(path: Path) -> str:
    """SHA-256 of the scanned certificate; InputError (exit 4) when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        raise InputError("certificate.scan_unreadable", path=str(path)) from None
    return digest.hexdigest()


def missing_fields(fields: Mapping[str, str]) -> list[str]:
    """The mandatory fields absent or blank in ``fields``, in the order they are asked for."""
    return [key for key in MANDATORY if not str(fields.get(key, "")).strip()]


def media_ids(text: str) -> list[str]:
    """The medium ids in a field value, separated by commas (half or full width), 、 or spaces."""
    return [part for part in _SPLIT.split(text.strip()) if part]


def build_payload(facts: JobFacts, fields: Mapping[str, str], scan: Path) -> dict[str, Any]:
    """The entry's payload; CustodyError (exit 6) naming the first mandatory field that is missing."""
    from handoff.messages import t

    missing = missing_fields(fields)
    if missing:
        key = missing[0]
        raise CustodyError("custody.certificate_field_missing", field=key, label=t(f"certificate.field.{key}"))
    payload: dict[str, Any] = {key: fields[key].strip() for key in FIELDS if str(fields.get(key, "")).strip()}
    payload["media"] = media_ids(fields["media"])
    payload["vendor"] = facts.vendor
    payload["zip_sha256"] = facts.zip_sha256
    payload["scan_sha256"] = scan_sha256(scan)
    return payload


def record_certificate(ledger: Ledger, job: str, payload: Mapping[str, Any], staff: str) -> Entry:
    """Append the certificate; the custody rules refuse a certificate missing a medium or naming a stranger."""
    return ledger.record(EVENT, {"job": job}, payload, staff)
