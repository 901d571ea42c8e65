"""``handoff pull JOB --exclusions F``: the pull list (引抜きリスト) for pieces already prepared, sealed as a job.

Parses, calls the library and prints; what is pulled and how it is sealed is handoff.pipeline.pull. Output names
piece numbers and counts only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from handoff.cli.common import console, h, known_staff, site


def pull(
    job: Annotated[str, typer.Argument(help=h("help.pull.job"))],
    exclusions: Annotated[Path, typer.Option("--exclusions", help=h("help.pull.exclusions"))],
    staff: Annotated[str, typer.Option("--staff", envvar="HANDOFF_STAFF", help=h("help.pull.staff"))] = "",
    as_json: Annotated[bool, typer.Option("--json", help=h("help.pull.json"))] = False,
) -> None:
    """The command `help.pull.pull`: make the vendor's pull list for a prepared job from an exclusion file."""
    from handoff import api
    from handoff.messages import t

    if not staff:
        raise typer.BadParameter(t("run.needs_staff"), param_hint="--staff")
    cfg = site()
    known_staff(cfg, staff)
    result = api.pull(job, exclusions, staff=staff, site=cfg)
    if as_json:
        console.print_json(json.dumps(result.to_json(), ensure_ascii=False))
        return
    file = result.excluded.summary()
    console.print(t("summary.exclusions", title=file["title"], rows=file["rows_read"], excluding=file["excluding"],
                    later=file["later"], cutoff=file["cutoff"], ignored=file["ignored"]), markup=False)
    if result.already:
        console.print(t("pull.already", count=result.already, jobs="、".join(result.earlier)), markup=False)
    if not result.pulled:
        console.print(t("pull.none", job=job), markup=False)
        return
    if result.in_house:
        console.print(t("pull.in_house", job=job, documents=len(result.pulled), pieces=result.pieces,
                        path=str(result.internal_list)), markup=False)
        return
    whole = result.to_json()["whole"]
    console.print(t("pull.done", job=result.job_id, of_job=job, documents=len(result.pulled),
                    pieces=result.pieces, whole=whole), markup=False)
    console.print(t("run.paths", zip=str(result.zip_path), iso=", ".join(map(str, result.iso_paths)),
                    notice=str(result.notice_path)), markup=False)
    console.print(t("pull.internal", path=str(result.internal_list)), markup=False)
    console.print(t("run.next", job=result.job_id), markup=False)
