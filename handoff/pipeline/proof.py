"""``handoff proof``: the check steps and the piece steps on an export, then the proof sheet; no job, no vendor file.

The sheet holds names and addresses: it is written only to an in-house ``internal/`` folder (0700, file 0600)
beside the ``handoff check`` results.

A proof of a programme with assumed items the site has not confirmed is made all the same (the department checks
the layout before the council documents are): its report carries ``approval`` and the warning finding, and
``unconfirmed`` names the items, as ``handoff check`` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from handoff.config import SiteConfig
from handoff.errors import StateError
from handoff.pipeline.check import dry_run
from handoff.pipeline.sequence import PIECE_STEPS, Flow, Progress, advance
from handoff.programme import ProgramSpec
from handoff.report import RunReport


@dataclass(frozen=True)
class ProofResult:
    job_id: str
    path: Path
    report: RunReport
    unconfirmed: list[str]  # assumed approved items the site has not confirmed (run refuses until it does)


def make_proof(path: Path, spec: ProgramSpec, site: SiteConfig, pieces: int = 5,
               progress: Progress | None = None) -> ProofResult:
    """The first and last ``pieces`` pieces as the vendor will print them, in ``internal/proof.pdf``."""
    from handoff.mail.proof import FILE_NAME, write_proof

    checked, ctx, internal = dry_run(path, spec, site, "proof", progress=progress)
    if checked.table.empty:
        raise StateError("proof.nothing_selected", programme=spec.id)
    flow = advance(Flow(checked.table), PIECE_STEPS, spec, ctx)
    sheet = write_proof(flow.table, spec, internal / FILE_NAME, n=pieces, symbology=ctx.profile.inserter.symbology,
                        job_id=ctx.job_id, window=ctx.profile.window)
    approval = checked.report.extra.get("approval", {})
    return ProofResult(ctx.job_id, sheet, checked.report, list(approval.get("unconfirmed_items", [])))
