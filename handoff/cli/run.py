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
    import datetime as dt

    from handoff.contract import TOKYO
    from handoff.programme import find_programme
    from handoff.stages import read_ahead

    cfg = site()
    spec = find_programme(cfg.pipelines_path, programme)
    read_ahead.start(input_file, spec.source)  # a large export is read while the libraries below load
    from handoff.cli.progress import stage_progress
    from handoff.log import get_logger
    from handoff.messages import current_lang, t
    from handoff.pipeline import job

    now = dt.datetime.now(TOKYO)
    with stage_progress(job.STAGES, quiet=as_json) as step:
        result = job.run_job(input_file, spec, cfg, staff=staff, cycle=cycle or job.default_cycle(now),
                             rerun_reason=reason, lang=current_lang(), now=now, progress=step)
    get_logger(job=result.job_id, programme=spec.id).info("run.done", **result.report.to_json()["counts"])
    if as_json:
        console.print_json(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        from handoff.cli.summary import print_summary

        print_summary(result.report, spec, result.internal)
        console.print(t("run.done", job=result.job_id, pieces=result.report.extra["pieces"]))
        console.print(t("run.paths", zip=str(result.zip_path), iso=", ".join(map(str, result.iso_paths)),
                        notice=str(result.notice_path)))
        console.print(t("run.next", job=result.job_id))
    if result.report.rows_excepted:
        raise typer.Exit(1)  # the job is sealed, but rows need fixing in the host system
