"""返戻: mail the post office brought back (あて所に尋ねあたりません, 転居先不明 …), recorded by its control codes.

The ward scans the inserter control code of each returned envelope — the same codes the delivery inspection reads
(handoff.pipeline.inspection) — and ``record`` reconciles them with the job's ``internal/inserter_codes.tsv``:

- matched: a piece of this job, the first time it is scanned (in this batch or an earlier one);
- duplicate: a piece scanned again (the same envelope twice, or a piece an earlier batch already recorded);
- unknown: a code of no job of this site (a scanned line that is not a control code is shown by its line number
  and length only);
- other job: a code of another job of this site (the envelope belongs to that job's returns).

The ledger gets ``mail.returned`` with these counts and no code. The pieces to follow up go to a list in the job's
``internal/returned/`` (0600, like every in-house file): piece numbers and codes only — the department that owns
the data maps them to people in its own system. The list's SHA-256 is in the entry, so a list changed afterwards
no longer matches the ledger. A postcard job has no control codes and cannot be reconciled this way.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from handoff.contract import TOKYO
from handoff.fs import make_dir, write_atomic
from handoff.pipeline.inspection import Expected, load_expected, other_jobs, stray

if TYPE_CHECKING:
    from handoff.config import SiteConfig
    from handoff.ledger.events import Entry

FORMAT = "handoff.returned-mail/1"
FOLDER = "returned"
EVENT = "mail.returned"
HEADINGS = ["郵便物番号", "封入制御コード", "読取行"]


@dataclass
class Returned:
    """One batch of scanned returns, reconciled: lists of piece numbers, codes and line numbers only."""

    job: str
    quantity: int
    scanned: int = 0
    pieces: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    unknown: list[dict[str, Any]] = field(default_factory=list)
    other_job: list[dict[str, Any]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"quantity": self.quantity, "scanned": self.scanned, "matched": len(self.pieces),
                "duplicates": len(self.duplicates), "unknown": len(self.unknown), "other_job": len(self.other_job)}

    @property
    def needs_checking(self) -> bool:
        """A line that is no piece of this job: the envelope must be looked at again."""
        return bool(self.unknown or self.other_job)

    def to_json(self) -> dict[str, Any]:
        return {"job": self.job, "counts": self.counts(), "pieces": self.pieces, "duplicates": self.duplicates,
                "unknown": self.unknown, "other_job": self.other_job}


def earlier_pieces(folder: Path) -> set[str]:
    """Piece numbers the job's earlier lists of returns already hold."""
    found: set[str] = set()
    for path in sorted(folder.glob("*.csv")):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        found.update(row[0] for row in rows[1:] if row)
    return found


def reconcile(expected: Expected, others: Sequence[Expected], scans: Sequence[tuple[int, str]],
              earlier: AbstractSet[str] = frozenset()) -> Returned:
    """Scanned codes (line number, code) against the job's pieces and the pieces already recorded as returned."""
    out = Returned(expected.job, len(expected.pieces), scanned=len(scans))
    elsewhere = {code: other for other in others for code in other.piece_of}
    seen: set[str] = set()
    for line, code in scans:
        piece = expected.piece_of.get(code)
        if piece is not None:
            if piece in seen or piece in earlier:
                out.duplicates.append({"piece": piece, "code": code, "line": line, "earlier": piece in earlier})
            else:
                seen.add(piece)
                out.pieces.append({"piece": piece, "code": code, "line": line})
        else:
            kind, found = stray(code, line, elsewhere, expected.length)
            (out.other_job if kind == "other_job" else out.unknown).append(found)
    return out


def follow_up_csv(returned: Returned) -> bytes:
    """The department's list: one line per returned piece (piece number, code, scanned line), UTF-8 with BOM so
    that Excel on the ward's PCs opens it."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADINGS)
    for item in returned.pieces:
        writer.writerow([item["piece"], item["code"], item["line"]])
    return buf.getvalue().encode("utf-8-sig")


def _list_path(folder: Path, now: dt.datetime) -> Path:
    """A new file name per batch (the time it was recorded; a suffix if two batches share a second)."""
    stem = f"{now:%Y%m%d-%H%M%S}"
    path, n = folder / f"{stem}.csv", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.csv"
    return path


@dataclass(frozen=True)
class Recorded:
    returned: Returned
    entry: Entry
    list_path: Path


def prepare(site: SiteConfig, job: str, scans: Sequence[tuple[int, str]]) -> Returned:
    """Reconcile a batch before anything is written (what the operator confirms)."""
    expected = load_expected(site, job)
    folder = site.data_path / "jobs" / job / "internal" / FOLDER
    return reconcile(expected, other_jobs(site, job), scans, earlier_pieces(folder))


def record(site: SiteConfig, staff: str, returned: Returned, now: dt.datetime | None = None) -> Recorded:
    """Write the follow-up list, then ``mail.returned`` with the counts and the list's SHA-256. A refused entry
    (role, abandoned job …) removes the list again, so no list exists without its entry."""
    from handoff.ledger.rules import require_role
    from handoff.ledger.service import record as record_event

    require_role(site, staff, EVENT)
    folder = site.data_path / "jobs" / returned.job / "internal" / FOLDER
    make_dir(folder)  # 0700; a folder that cannot be made is the write error (exit 11), never a traceback
    data = follow_up_csv(returned)
    path = write_atomic(_list_path(folder, now or dt.datetime.now(TOKYO)), data)
    c = returned.counts()
    payload: dict[str, Any] = {
        "scanned": c["scanned"], "matched": c["matched"], "duplicates": c["duplicates"], "unknown": c["unknown"],
        "other_job": c["other_job"], "quantity": c["quantity"], "list_sha256": hashlib.sha256(data).hexdigest(),
        "note": f"list={path.name}",
    }
    try:
        entry = record_event(site, EVENT, {"job": returned.job}, payload, staff)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Recorded(returned, entry, path)
