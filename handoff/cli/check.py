"""``handoff check`` — the dry run: what would leave the office, and which rows need fixing. No vendor data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from handoff.cli.common import console, h, site


def check(
    programme: Annotated[str, typer.Argument(help=h("help.check.check.programme"))],
    input_file: Annotated[Path, typer.Option("--input", "-i", help=h("help.check.check.input_file"))],
    as_json: Annotated[bool, typer.Option("--json", help=h("help.check.check.as_json"))] = False,
    exclusions: Annotated[Path | None, typer.Option("--exclusions", help=h("help.check.check.exclusions"))] = None,
) -> None:
    """The command `help.check.check`: Check an export file (no vendor data is made). Exit code 1 when rows are
    excepted."""
    from handoff import api
    from handoff.cli.progress import stage_progress
    from handoff.pipeline.sequence import CHECK_NAMES

    with stage_progress(CHECK_NAMES, quiet=as_json) as step:
        result = api.check(programme, input_file, site=site(), progress=step, exclusions=exclusions)
    if as_json:
        console.print_json(json.dumps(result.report.to_json(), ensure_ascii=False))
    else:
        from handoff.cli.summary import print_summary

        print_summary(result.report, result.programme, result.files)
    if result.report.rows_excepted:
        raise typer.Exit(1)
