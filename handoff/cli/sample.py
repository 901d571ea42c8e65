"""``handoff sample`` — a synthetic export (dummy data) with planted defects and their expected counts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from handoff.cli.common import console, site

if TYPE_CHECKING:
    from handoff.programme import ProgramSpec
    from handoff.sample.generator import Sample


def sample(
    programme: Annotated[str, typer.Argument(help="事業ID")],
    out: Annotated[Path, typer.Option("--out", "-o", help="出力ファイル")],
    rows: Annotated[int, typer.Option("--rows", "-n", min=1, help="行数")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="乱数の種（同じ種なら同じデータ）")] = 1,
) -> None:
    """試験用の架空データ（ダミー）を作成します。FILE.expected.json に仕込んだ不備の件数を書きます。"""
    import datetime as dt

    from handoff.contract import TOKYO
    from handoff.messages import t
    from handoff.programme import find_programme
    from handoff.sample import generator

    cfg = site()
    spec = find_programme(cfg.pipelines_path, programme)
    made = generator.generate(spec, cfg.profile_of(spec.vendor), rows, seed, dt.datetime.now(TOKYO).date())
    expected = _write(spec, made, out)
    console.print(t("sample.written", path=str(out), rows=rows, expected=str(expected)))


def _write(spec: ProgramSpec, made: Sample, out: Path) -> Path:
    """The sample and its expected counts (each written whole or not at all; a failure names the folder)."""
    from handoff.sample import writers

    writers.write(spec, made.rows, out)
    return writers.write_expected(made.expected, out)
