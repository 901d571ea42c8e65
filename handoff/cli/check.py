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
    from handoff.programme import find_programme
    from handoff.stages import read_ahead

    cfg = site()
    spec = find_programme(cfg.pipelines_path, programme)
    read_ahead.start(input_file, spec.source)  # a large export is read while the libraries below load
    from handoff.cli.progress import stage_progress
    from handoff.messages import current_lang
    from handoff.pipeline import runner
    from handoff.pipeline.exceptions import write_internal

    with stage_progress(runner.CHECK_STAGES, quiet=as_json) as step:
        result, ctx, internal = runner.dry_run(input_file, spec, cfg, "check", progress=step)
    job_id = ctx.job_id
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
