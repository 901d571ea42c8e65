"""Delivery inspection (納品検査) of sealed envelopes, and the yearly on-site inspection of a vendor.

``handoff run`` writes ``internal/inserter_codes.tsv``: the job's piece numbers and the inserter control codes
printed on each piece's documents — no name, no address. A code is the run's job code, the piece number, the
document's N of M, feeder digits and a check digit (``handoff.mail.inserter``), so it carries no personal data.
The ward reads it without opening the encrypted ZIP.

Delivery inspection scans one code per envelope and reconciles the scans with that list, per piece: MISSING (a
piece none of whose codes was scanned: pull and re-check), DUPLICATED (a code scanned twice or more), UNKNOWN
(a code of no job of this site) and OTHER-JOB (a code of another job of this site). The ledger gets the counts
(``delivery.inspected``); the lists name piece numbers and codes only. A scanned line that is not a well-formed
control code is shown by its line number and length, never as typed (it may be some other barcode).

The inserting machine's own output log (``--log``, in the format the vendor profile declares under
``[vendor_profiles.X.inserter.log]``) is reconciled the same way: the codes it reports as inserted OK stand for
the scans, and the lines it reports as faulted are listed besides, as envelopes to pull or re-check. The log is
read a line at a time with limits on the file's size and a line's length; an error names the line number only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handoff.errors import ConfigError, InputError, StateError
from handoff.fs import write_atomic

if TYPE_CHECKING:
    import pandas as pd

    from handoff.config import InserterLog, SiteConfig, VendorProfile
    from handoff.ledger.events import Entry
    from handoff.programme import ProgramSpec

FORMAT = "handoff.inserter-codes/1"
FILE_NAME = "inserter_codes.tsv"


# --- the expected codes -----------------------------------------------------------------------------------
def codes_file(table: pd.DataFrame, spec: ProgramSpec, profile: VendorProfile, job_id: str) -> bytes:
    """The in-house list of expected codes, from the final piece table: a first line of JSON (format, job,
    programme, symbology, code length), then one ``piece<TAB>code`` line per document. Built by Arrow in one pass
    (a 1,000,000-document job: one column join, not a million Python lists); a postcard job has no codes."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from handoff.kernels.strings import arrow_strings
    from handoff.mail.inserter import code_length

    head = {"format": FORMAT, "job": job_id, "programme": spec.id,
            "symbology": None if spec.postcard else profile.inserter.symbology,
            "length": None if spec.postcard else code_length(profile.inserter)}
    out = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
    if spec.postcard or table.empty:
        return out
    tab, newline = pa.scalar("\t", pa.large_string()), pa.scalar("\n", pa.large_string())  # the columns' type
    lines = pc.binary_join_element_wise(arrow_strings(table["piece_seq"]), arrow_strings(table["control_code"]), tab)
    joined = pc.binary_join(pa.LargeListArray.from_arrays(pa.array([0, len(lines)], pa.int64()), lines), newline)
    text: str = joined[0].as_py()
    return out + text.encode("utf-8") + b"\n"


def write_codes(internal: Path, codes: bytes) -> Path:
    """``internal/inserter_codes.tsv`` (0600, like every in-house file)."""
    return write_atomic(internal / FILE_NAME, codes)


@dataclass(frozen=True)
class Expected:
    """One job's pieces: piece number → its codes, and code → piece number."""

    job: str
    length: int | None
    pieces: dict[str, list[str]]
    piece_of: dict[str, str]


def _read_codes(path: Path, job: str) -> Expected:
    pieces: dict[str, list[str]] = {}
    try:
        with path.open(encoding="utf-8") as f:
            head = json.loads(f.readline())
            if head.get("format") != FORMAT:
                raise ValueError("format")
            for line in f:
                seq, code = line.rstrip("\n").split("\t")
                pieces.setdefault(seq, []).append(code)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise StateError("inspection.codes_unreadable", job=job, file=FILE_NAME) from exc
    piece_of = {code: seq for seq, codes in pieces.items() for code in codes}
    length = head.get("length") if isinstance(head.get("length"), int) else None
    return Expected(job, length, pieces, piece_of)


def _jobs(site: SiteConfig) -> Path:
    return site.data_path / "jobs"


def load_expected(site: SiteConfig, job: str) -> Expected:
    """The job's expected codes; refused (exit 9) for an unknown job, a job without the list, or a postcard job."""
    from handoff.ledger.events import ID_RE

    if ID_RE.fullmatch(job) is None or not (_jobs(site) / job).is_dir():
        raise StateError("job.not_found", job=job)
    path = _jobs(site) / job / "internal" / FILE_NAME
    if not path.is_file():
        raise StateError("inspection.no_codes", job=job, file=FILE_NAME)
    expected = _read_codes(path, job)
    if not expected.piece_of:
        raise StateError("inspection.no_codes", job=job, file=FILE_NAME)
    return expected


def other_jobs(site: SiteConfig, job: str) -> list[Expected]:
    """Every other job of the site that has a list of codes (an unreadable one is passed over)."""
    found = []
    for path in sorted(_jobs(site).glob(f"*/internal/{FILE_NAME}")):
        other = path.parent.parent.name
        if other == job:
            continue
        try:
            found.append(_read_codes(path, other))
        except StateError:
            continue
    return found


# --- reconciliation ----------------------------------------------------------------------------------------
def parse_scans(lines: Iterable[str]) -> list[tuple[int, str]]:
    """(line number, code) for every non-blank line, surrounding spaces removed (a scanner types one per line)."""
    return [(n, line.strip()) for n, line in enumerate(lines, 1) if line.strip()]


def well_formed(code: str, length: int | None) -> bool:
    """All digits with a valid check digit (and the job's code length): safe to show as it is."""
    from handoff.mail.inserter import is_valid

    return is_valid(code) and (length is None or len(code) == length)


@dataclass
class Reconciliation:
    job: str
    quantity: int
    scanned: int = 0
    seen: set[str] = field(default_factory=set)  # piece numbers of this job scanned at least once
    missing: list[dict[str, Any]] = field(default_factory=list)
    duplicated: list[dict[str, Any]] = field(default_factory=list)
    unknown: list[dict[str, Any]] = field(default_factory=list)
    other_job: list[dict[str, Any]] = field(default_factory=list)
    faulted: list[dict[str, Any]] = field(default_factory=list)  # lines the inserter reported as not inserted OK
    source: str = "scans"  # scans | log

    @property
    def inspected(self) -> int:
        return len(self.seen)

    @property
    def defects(self) -> int:
        """Pieces of this job scanned that failed: a piece whose code came twice or more (a doubled envelope)."""
        return len({d["piece"] for d in self.duplicated})

    @property
    def passed(self) -> int:
        return self.inspected - self.defects

    @property
    def clean(self) -> bool:
        return not (self.missing or self.duplicated or self.unknown or self.other_job or self.faulted)

    def counts(self) -> dict[str, int]:
        return {"quantity": self.quantity, "scanned": self.scanned, "inspected": self.inspected,
                "passed": self.passed, "defects": self.defects, "missing": len(self.missing),
                "duplicated": len(self.duplicated), "unknown": len(self.unknown), "other_job": len(self.other_job),
                "faulted": len(self.faulted)}

    def to_json(self) -> dict[str, Any]:
        return {"job": self.job, "source": self.source, "counts": self.counts(), "clean": self.clean,
                "missing": self.missing, "duplicated": self.duplicated, "unknown": self.unknown,
                "other_job": self.other_job, "faulted": self.faulted}


def reconcile(expected: Expected, others: Sequence[Expected], scans: Sequence[tuple[int, str]]) -> Reconciliation:
    """Scans against the job's pieces; each finding by piece number and code (or line number), never a name."""
    rec = Reconciliation(expected.job, len(expected.pieces), scanned=len(scans))
    times = Counter(code for _, code in scans)
    elsewhere = {code: other for other in others for code in other.piece_of}
    reported: set[str] = set()
    for line, code in scans:
        if code in reported:
            continue
        reported.add(code)
        piece = expected.piece_of.get(code)
        if piece is not None:
            rec.seen.add(piece)
            if times[code] > 1:
                rec.duplicated.append({"piece": piece, "code": code, "times": times[code]})
        else:
            kind, found = stray(code, line, elsewhere, expected.length)
            (rec.other_job if kind == "other_job" else rec.unknown).append(found)
    rec.missing = [{"piece": seq, "code": codes[0] if codes else None}
                   for seq, codes in expected.pieces.items() if seq not in rec.seen]
    return rec


def stray(code: str, line: int, elsewhere: Mapping[str, Expected], length: int | None
          ) -> tuple[str, dict[str, Any]]:
    """A scanned code that is none of the job's pieces: another job's piece (``other_job``), or ``unknown`` — a
    code that is not even well formed is named by its line and length only, never shown."""
    other = elsewhere.get(code)
    if other is not None:
        return "other_job", {"job": other.job, "piece": other.piece_of[code], "code": code, "line": line}
    if well_formed(code, length):
        return "unknown", {"line": line, "code": code}
    return "unknown", {"line": line, "code": None, "length": len(code)}


def record_delivery(site: SiteConfig, staff: str, rec: Reconciliation) -> Entry:
    """``delivery.inspected`` with the counts and what was reconciled (``source``); the note keeps the size of
    every list (never a code)."""
    from handoff.ledger.service import record

    c = rec.counts()
    note = (f"scanned={c['scanned']} missing={c['missing']} duplicated={c['duplicated']} "
            f"unknown={c['unknown']} other_job={c['other_job']}")
    payload: dict[str, Any] = {"inspected": rec.inspected, "passed": rec.passed, "defects": rec.defects,
                               "quantity": rec.quantity, "note": note, "source": rec.source}
    if rec.source == "log":
        payload["note"] = f"{note} faulted={c['faulted']}"
        payload["faulted"] = c["faulted"]
    return record(site, "delivery.inspected", {"job": rec.job}, payload, staff)


# --- the inserter's own output log ---------------------------------------------------------------------------
LOG_MAX_BYTES = 256 * 1024 * 1024  # a million-document job logs some 40 MB; far more is not an inserter log
LOG_MAX_LINE = 4096  # bytes; a log line holds a code, a status and a few machine fields
LOG_SETTING = "[vendor_profiles.{profile}.inserter.log]"


@dataclass(frozen=True)
class LogLines:
    """What the inserter reported: (line number, code) inserted OK, and the lines it reported otherwise."""

    ok: list[tuple[int, str]]
    faulted: list[tuple[int, str]]


def log_format(site: SiteConfig, job: str) -> InserterLog:
    """The log format the profile of ``job``'s vendor declares; ConfigError naming the setting to add."""
    from handoff.errors import CustodyError
    from handoff.ledger.service import Ledger

    with Ledger.open(site) as ledger:
        prepared = next((e for e in ledger.entries(job=job) if e.type == "job.prepared"), None)
    if prepared is None:
        raise CustodyError("custody.job_not_prepared", job=job, event="delivery.inspected")
    vendor = site.vendor(str(prepared.payload["vendor"]))
    declared = site.vendor_profiles[vendor.profile].inserter.log
    if declared is None:
        raise ConfigError("inspection.log_not_declared", vendor=vendor.id, profile=vendor.profile,
                          setting=LOG_SETTING.format(profile=vendor.profile))
    return declared


def _column(column: str | int, heading: list[str] | None) -> int:
    if isinstance(column, int):
        return column - 1
    names = [h.strip() for h in heading or []]
    if column not in names:
        raise InputError("inspection.log_column", column=column)
    return names.index(column)


def _log_line(raw: bytes, number: int, spec: InserterLog) -> list[str] | None:
    """One line's fields; None for a blank line."""
    import csv

    if len(raw) > LOG_MAX_LINE:
        raise InputError("inspection.log_line_long", line=number, limit=LOG_MAX_LINE)
    encoding = spec.encoding if number == 1 else spec.encoding.replace("utf-8-sig", "utf-8")
    try:
        text = raw.decode(encoding).rstrip("\r\n")
    except UnicodeDecodeError:
        raise InputError("inspection.log_encoding", line=number, encoding=spec.encoding) from None
    if not text.strip():
        return None
    try:
        return next(csv.reader([text], delimiter=spec.delimiter, strict=True))
    except csv.Error:
        raise InputError("inspection.log_malformed", line=number) from None


def read_log(path: Path, spec: InserterLog) -> LogLines:
    """The codes the inserter reports, a line at a time. InputError (never quoting the file) for a missing or
    oversized file, a line over LOG_MAX_LINE bytes, one not in the declared encoding, one without the columns."""
    try:
        size = path.stat().st_size
        f = path.open("rb")
    except OSError as exc:
        raise InputError("inspection.scans_unreadable", path=str(path)) from exc
    if size > LOG_MAX_BYTES:
        f.close()
        raise InputError("inspection.log_too_large", path=str(path), limit=LOG_MAX_BYTES // (1024 * 1024))
    ok: list[tuple[int, str]] = []
    faulted: list[tuple[int, str]] = []
    heading: list[str] | None = None
    code_at = status_at = -1
    with f:
        number = 0
        while raw := f.readline(LOG_MAX_LINE + 1):
            number += 1
            fields = _log_line(raw, number, spec)
            if fields is None:
                continue
            if spec.header and heading is None:
                heading = fields
                code_at, status_at = _column(spec.code_column, heading), _column(spec.status_column, heading)
                continue
            if code_at < 0:
                code_at, status_at = _column(spec.code_column, None), _column(spec.status_column, None)
            if max(code_at, status_at) >= len(fields):
                raise InputError("inspection.log_short_line", line=number)
            code = fields[code_at].strip()
            (ok if fields[status_at].strip() in spec.ok_values else faulted).append((number, code))
    return LogLines(ok, faulted)


def reconcile_log(expected: Expected, others: Sequence[Expected], log: LogLines) -> Reconciliation:
    """The codes the inserter reports OK reconciled as scans are; its faulted lines listed besides (by piece
    and code when the code is one of a job's, else by line number and length), with whether the same code was
    also reported OK (fed again)."""
    rec = reconcile(expected, others, log.ok)
    rec.source = "log"
    elsewhere = {code: other for other in others for code in other.piece_of}
    ok_codes = {code for _, code in log.ok}
    for line, code in log.faulted:
        item: dict[str, Any] = {"line": line, "ok_later": code in ok_codes}
        owner = expected if code in expected.piece_of else elsewhere.get(code)
        if owner is not None:
            item.update(job=owner.job, piece=owner.piece_of[code], code=code)
        elif well_formed(code, expected.length):
            item.update(job=None, piece=None, code=code)
        else:
            item.update(job=None, piece=None, code=None, length=len(code))
        rec.faulted.append(item)
    return rec


# --- the vendor's on-site inspection -------------------------------------------------------------------------
def parse_inspectors(text: str) -> list[str]:
    """``S001,S002`` → ["S001", "S002"] (spaces and empty items dropped, order kept)."""
    return [part.strip() for part in text.split(",") if part.strip()]


def parse_date(text: str) -> dt.date:
    """An ISO date (YYYY-MM-DD); the ledger's rule refuses one after the day it is recorded."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InputError("inspection.bad_date", field="--date") from exc


def record_vendor(site: SiteConfig, staff: str, vendor: str, day: dt.date, inspectors: list[str], result: str,
                  place: str | None = None) -> Entry:
    """``vendor.inspected``; the ledger's rules refuse an unknown vendor, fewer than two different registered
    staff, and a date after today."""
    from handoff.ledger.service import record

    payload: dict[str, Any] = {"performed_on": day.isoformat(), "result": result, "inspectors": inspectors}
    if place:
        payload["place"] = place
    return record(site, "vendor.inspected", {"vendor": vendor}, payload, staff)
