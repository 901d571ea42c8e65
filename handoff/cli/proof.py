"""``handoff proof`` — the proof sheet (校正刷り) of an export, before any job exists. No vendor data.

The sheet shows the first and last pieces as the vendor will print them, so the address layout and barcodes
can be checked with the department first. It holds names and addresses: it is written only to an in-house
``internal/`` folder (0700, file 0600) beside the ``handoff check`` results, never to a job.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from handoff.cli.common import console, site


def proof(
    programme: Annotated[str, typer.Argument(help="事業ID（handoff programmes list で確認）")],
    input_file: Annotated[Path, typer.Option("--input", "-i", help="基幹システムの抽出ファイル")],
    pieces: Annotated[int, typer.Option("--pieces", "-n", min=1, help="先頭・末尾から表示する通数")] = 5,
) -> None:
    """抽出ファイルから校正刷り（先頭・末尾の数通、宛名・バーコード）を作成します（庁内限り）。"""
    import datetime as dt

    from handoff.cli.progress import stage_progress
    from handoff.errors import StateError
    from handoff.log import get_logger
    from handoff.mail.proof import proof as write_proof
    from handoff.messages import t
    from handoff.pipeline import runner
    from handoff.pipeline.workspace import make_dir, new_job_id
    from handoff.programme import find_programme
    from handoff.stages.base import TOKYO

    cfg = site()
    spec = find_programme(cfg.pipelines_path, programme)
    now = dt.datetime.now(TOKYO)
    # Same folder scheme as ``handoff check``; the prefix keeps proofs apart from check results.
    job_id = "proof-" + new_job_id(spec.id, now)
    ctx = runner.context_for(spec, cfg, job_id, now)
    with stage_progress(["extract", "validate", "select", "minimise"]) as step:
        result = runner.check(input_file, spec, ctx, progress=step)
    if result.table.empty:
        raise StateError("proof.nothing_selected", programme=spec.id)
    # Every level owner-only, not just the leaf: the sheet holds names and addresses.
    make_dir(make_dir(cfg.data_path / "checks") / job_id)
    internal = make_dir(cfg.data_path / "checks" / job_id / "internal")
    path = write_proof(result.table, spec, ctx, internal, n=pieces)
    get_logger(job=job_id, programme=spec.id).info("proof.done", rows=len(result.table))
    console.print(t("proof.ui.written", path=str(path)))
    if result.report.rows_excepted:
        console.print(t("proof.ui.excepted", count=result.report.rows_excepted))
