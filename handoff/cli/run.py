"""``handoff run`` — from a host export to a sealed job (ZIP, disc image, password notice), recorded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from handoff.cli.common import console, site


def run(
    programme: Annotated[str, typer.Argument(help="事業ID")],
    input_file: Annotated[Path, typer.Option("--input", "-i", help="基幹システムの抽出ファイル")],
    staff: Annotated[str, typer.Option("--staff", envvar="HANDOFF_STAFF", help="実行する職員ID（site.toml の staff）")],
    cycle: Annotated[str, typer.Option("--cycle", help="発送サイクル（既定: 実行月 YYYY-MM）")] = "",
    reason: Annotated[str, typer.Option("--reason", help="同じサイクルを再度作成する理由（管理簿に記録）")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="ジョブIDとファイルの場所を JSON で出力")] = False,
) -> None:
    """業者に渡す暗号化データ（ZIP・ディスクイメージ）とパスワード通知書を作成し、管理簿に記録します。"""
    from handoff import api
    from handoff.cli.common import tell
    from handoff.cli.progress import stage_progress
    from handoff.messages import t
    from handoff.pipeline.recover import sweep
    from handoff.pipeline.sequence import RUN_NAMES

    cfg = site()
    sweep(cfg, staff, tell)  # interrupted jobs are abandoned (and said so) before anything else
    with stage_progress(RUN_NAMES, quiet=as_json) as step:
        result = api.run(programme, input_file, staff=staff, cycle=cycle, rerun_reason=reason, site=cfg,
                         progress=step)
    if as_json:
        console.print_json(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        from handoff.cli.summary import print_summary
        from handoff.programme import find_programme

        print_summary(result.report, find_programme(cfg.pipelines_path, programme), result.internal)
        console.print(t("run.done", job=result.job_id, pieces=result.report.extra["pieces"]))
        console.print(t("run.paths", zip=str(result.zip_path), iso=", ".join(map(str, result.iso_paths)),
                        notice=str(result.notice_path)))
        console.print(t("run.next", job=result.job_id))
    if result.report.rows_excepted:
        raise typer.Exit(1)  # the job is sealed, but rows need fixing in the host system
