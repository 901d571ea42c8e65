"""A progress bar per stage on stderr (stdout stays clean for --json)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

from handoff.cli.common import err_console
from handoff.messages import t


@contextlib.contextmanager
def stage_progress(stages: list[str], quiet: bool = False) -> Iterator[Callable[[str], None]]:
    """Yield ``step(name)``, called when stage ``name`` has finished."""
    if quiet or not err_console.is_terminal:
        yield lambda _name: None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(), console=err_console, transient=True,
    ) as bar:
        task = bar.add_task(t("progress.stage", stage=t(f"stage.{stages[0]}")), total=len(stages))

        def step(name: str) -> None:
            done = stages.index(name) + 1 if name in stages else 0
            following = stages[done] if done < len(stages) else name
            bar.update(task, completed=done, description=t("progress.stage", stage=t(f"stage.{following}")))

        yield step
