"""Each medium's state, in ``medium/<medium-id>.status.json`` (0600, written atomically).

States move one way only: ``written`` (image made) → ``burning`` (written just before the burner starts,
with the burning process's id) → ``verified`` (burned and read back equal) → ``unusable`` (burn or a
read-back failed, the burn was cut off, also a later re-check of a returned disc: the disc must be destroyed,
never handed over). A verified medium is never burned again — one medium id is one physical disc, so a second
disc of the same id cannot exist unnoticed — and nothing leaves ``unusable``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from handoff.errors import StateError
from handoff.fs import JobDir, write_atomic

State = Literal["missing", "written", "burning", "verified", "unusable"]
NEXT: dict[str, tuple[str, ...]] = {"missing": ("written",), "written": ("burning", "verified", "unusable"),
                                    "burning": ("verified", "unusable"), "verified": ("unusable",),
                                    "unusable": ()}


@dataclass(frozen=True)
class MediumStatus:
    medium_id: str
    state: State
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def handable(self) -> bool:
        """Only a medium whose read-back matched its image may leave the office."""
        return self.state == "verified"


def status_path(job: JobDir, medium_id: str) -> Path:
    return job.medium / f"{medium_id}.status.json"


def medium_status(job: JobDir, medium_id: str) -> MediumStatus:
    """The recorded state of one medium (``missing`` when no image was ever made for it)."""
    path = status_path(job, medium_id)
    if not path.exists():
        return MediumStatus(medium_id, "missing")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        state = doc["state"]
    except (ValueError, KeyError):
        raise StateError("media.status_invalid", medium=medium_id) from None
    if state not in ("written", "burning", "verified", "unusable"):
        raise StateError("media.status_invalid", medium=medium_id)
    return MediumStatus(medium_id, state, doc)


def burn_lock_path(job: JobDir, medium_id: str) -> Path:
    """The lock the burning process holds while the medium is ``burning``: free again means the burn died."""
    return job.medium / f".{medium_id}.burn.lock"


def require_handable(job: JobDir, medium_id: str) -> MediumStatus:
    """For the handover: refuse any medium that was not verified by read-back."""
    status = medium_status(job, medium_id)
    if not status.handable:
        raise StateError("media.not_verified", medium=medium_id, state=status.state)
    return status


def list_media(job: JobDir) -> list[MediumStatus]:
    """Every medium of the job, in order."""
    ids = sorted(p.name.removesuffix(".status.json") for p in job.medium.glob("*.status.json"))
    return [medium_status(job, mid) for mid in sorted(ids, key=_index)]


def _index(mid: str) -> int:
    tail = mid.rsplit("-M", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def write_status(job: JobDir, medium_id: str, state: State, **details: Any) -> MediumStatus:
    """Record a new state, only along the one-way path above."""
    current = medium_status(job, medium_id)
    if state not in NEXT[current.state]:
        raise StateError(f"media.state_{current.state}", medium=medium_id)
    doc = {**current.details, **details, "medium_id": medium_id, "state": state,
           "updated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    history = list(current.details.get("history", []))
    history.append({"state": state, "at": doc["updated_at"]})
    doc["history"] = history
    data = (json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")
    write_atomic(status_path(job, medium_id), data)
    return MediumStatus(medium_id, state, doc)
