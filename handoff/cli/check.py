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
    from handoff import api
    from handoff.cli.progress import stage_progress
    from handoff.pipeline.sequence import CHECK_NAMES

    with stage_progress(CHECK_NAMES, quiet=as_json) as step:
        result = api.check(programme, input_file, site=site(), progress=step)
    if as_json:
        console.print_json(json.dumps(result.report.to_json(), ensure_ascii=False))
    else:
        from handoff.cli.summary import print_summary

        print_summary(result.report, result.programme, result.files)
    if result.report.rows_excepted:
        raise typer.Exit(1)
