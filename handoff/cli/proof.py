"""``handoff proof`` — the proof sheet (校正刷り) of an export, before any job exists. No vendor data.

The sheet shows the first and last pieces as the vendor will print them, so the address layout and barcodes
can be checked with the department first. It holds names and addresses: it is written only to an in-house
``internal/`` folder (0700, file 0600) beside the ``handoff check`` results, never to a job.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from handoff.cli.common import console, h, site


def proof(
    programme: Annotated[str, typer.Argument(help=h("help.proof.proof.programme"))],
    input_file: Annotated[Path, typer.Option("--input", "-i", help=h("help.proof.proof.input_file"))],
    pieces: Annotated[int, typer.Option("--pieces", "-n", min=1, help=h("help.proof.proof.pieces"))] = 5,
) -> None:
    """The command `help.proof.proof`: Make a proof (the first and last few pieces, address and barcode) from an export
    file (for the office only)."""
    from handoff.cli.progress import stage_progress
    from handoff.log import get_logger
    from handoff.messages import t
    from handoff.pipeline.proof import make_proof
    from handoff.pipeline.sequence import CHECK_NAMES
    from handoff.programme import find_programme

    cfg = site()
    spec = find_programme(cfg.pipelines_path, programme)
    # Same folder scheme as ``handoff check``; the prefix keeps proofs apart from check results.
    with stage_progress(CHECK_NAMES) as step:
        result = make_proof(input_file, spec, cfg, pieces, progress=step)
    get_logger(job=result.job_id, programme=spec.id).info("proof.done", rows=result.report.rows_selected)
    console.print(t("proof.ui.written", path=str(result.path)))
    if result.unconfirmed:
        console.print(t("proof.ui.unconfirmed", items="、".join(result.unconfirmed)), markup=False,
                      style="bold yellow")
    if result.report.rows_excepted:
        console.print(t("proof.ui.excepted", count=result.report.rows_excepted))
