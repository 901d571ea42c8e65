"""The one sequencer: a run declared once, as an ordered list of named steps, and the rule that moves a table
through them.

``check`` is the source (extract) and ``CHECK_STEPS``; ``run`` goes on with ``PIECE_STEPS`` and then seals the
result (``handoff.pipeline.run``). Every step is a stage, ``run(table, spec, ctx) -> StageResult``, called the
same way. The memory rule: the table in flight has one holder, the ``Flow``, and each stage's result replaces
it, so a stage's input is freed as soon as the next table exists (a million-row run keeps one table, not seven).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from handoff.report import Finding

if TYPE_CHECKING:
    import pandas as pd

    from handoff.contract import StageContext, StageResult
    from handoff.programme import ProgramSpec

Progress = Callable[[str], None]
Stage = Callable[["pd.DataFrame", "ProgramSpec", "StageContext"], "StageResult"]


@dataclass(frozen=True)
class Step:
    """One named step of a run: the name the progress bar, the logs and the crash tests use, and the module
    whose ``run`` is its stage (imported when the step first runs, so that the list is quick to read)."""

    name: str
    module: str

    @property
    def stage(self) -> Stage:
        return cast(Stage, importlib.import_module(self.module).run)


SOURCE = "extract"
CHECK_STEPS: tuple[Step, ...] = (
    Step("validate", "handoff.stages.validate"),  # findings per row and field; a row with an error leaves the mailing
    Step("window", "handoff.mail.window"),  # a destination that does not fit the vendor's window: an exception
    Step("select", "handoff.stages.select"),  # the programme's rule, on rows without an error; approved items only
    Step("minimise", "handoff.stages.minimise"),  # exactly the approved items, fail closed
)
PIECE_STEPS: tuple[Step, ...] = (
    Step("household", "handoff.mail.household"),  # 名寄せ: one envelope per recipient
    Step("sort", "handoff.mail.sort"),  # postal order
    Step("barcode", "handoff.mail.barcode"),  # customer barcode and inserter control code
)
SEAL_STEPS = ("render", "internal", "package", "iso", "notice")  # ``handoff.pipeline.run`` (files, not tables)

CHECK_NAMES = [SOURCE, *(s.name for s in CHECK_STEPS)]
RUN_NAMES = [*CHECK_NAMES, *(s.name for s in PIECE_STEPS), *SEAL_STEPS]


@dataclass
class Flow:
    """The table in flight and what the steps have said about it. Hold the flow, never its table."""

    table: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)
    stats: dict[str, object] = field(default_factory=dict)
    excepted: set[int] = field(default_factory=set)  # source rows set aside by an error finding

    def release(self) -> None:
        """Let go of the table once the files are made from it: nothing of it stays in memory."""
        import pandas as pd

        self.table = pd.DataFrame()


def advance(flow: Flow, steps: tuple[Step, ...], spec: ProgramSpec, ctx: StageContext,
            progress: Progress | None = None) -> Flow:
    """Run ``steps`` in order on ``flow``. Rows that a step's error-severity findings name are marked set aside:
    ``select`` leaves them out of the mailing, and they go to the exceptions list."""
    for step in steps:
        result = step.stage(flow.table, spec, ctx)
        flow.table = result.table  # the previous table's only holder lets go of it here
        flow.findings += result.findings
        flow.stats.update(result.stats)
        blocked = {f.row for f in result.findings if f.blocks_row}
        del result
        if blocked:
            set_aside(flow, blocked)
        if progress:
            progress(step.name)
    return flow


def set_aside(flow: Flow, rows: set[int]) -> None:
    """Mark ``rows`` (source row numbers) in the boolean column ``select.SET_ASIDE``; the flow keeps their numbers."""
    import numpy as np

    from handoff.contract import ROW
    from handoff.stages import select

    marked = flow.table[ROW].isin(rows).to_numpy(dtype=np.bool_)
    if select.SET_ASIDE in flow.table.columns:
        marked |= flow.table[select.SET_ASIDE].to_numpy(dtype=np.bool_)
    flow.table[select.SET_ASIDE] = marked
    flow.excepted |= rows
