"""``handoff check`` — the dry run: what would leave the office, and which rows need fixing. No vendor data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from handoff.cli.common import console, site


def check(
    programme: Annotated[str, typer.Argument(help="事業ID（handoff programmes list で確認）")],
    input_file: Annotated[Path, typer.Option("--input", "-i", help="基幹システムの抽出ファイル")],
    as_json: Annotated[bool, typer.Option("--json", help="実行報告（個人情報なし）を JSON で出力")] = False,
) -> None:
    """抽出ファイルを検査します（業者用データは作りません）。除外行があれば終了コード 1。"""
    import datetime as dt

    from handoff.cli.progress import stage_progress
    from handoff.messages import current_lang
    from handoff.pipeline import runner
    from handoff.pipeline.exceptions import write_internal
    from handoff.pipeline.workspace import make_dir, new_job_id
    from handoff.programme import find_programme
    from handoff.stages.base import TOKYO

    cfg = site()
    spec = find_programme(cfg.pipelines_path, programme)
    now = dt.datetime.now(TOKYO)
    job_id = "check-" + new_job_id(spec.id, now)
    ctx = runner.context_for(spec, cfg, job_id, now)
    with stage_progress(["extract", "validate", "select", "minimise"], quiet=as_json) as step:
        result = runner.check(input_file, spec, ctx, progress=step)
    # every level owner-only: the exceptions list names rows of a real export
    make_dir(cfg.data_path / "checks")
    make_dir(cfg.data_path / "checks" / job_id)
    internal = make_dir(cfg.data_path / "checks" / job_id / "internal")
    paths = write_internal(internal, result.findings, result.report, spec, current_lang())
    from handoff.log import get_logger

    get_logger(job=job_id, programme=spec.id).info("check.done", **result.report.to_json()["counts"])
    if as_json:
        console.print_json(json.dumps(result.report.to_json(), ensure_ascii=False))
    else:
        from handoff.cli.summary import print_summary

        print_summary(result.report, spec, paths)
    if result.report.rows_excepted:
        raise typer.Exit(1)
