"""``handoff sample`` — a synthetic export (dummy data) with planted defects and their expected counts.

A large sample takes a while (a million rows, half a minute): the rows made and written are shown on stderr
while it works — a bar on a terminal, a line a second elsewhere when ``--progress`` asks for it. stdout carries
only the closing line.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from handoff.cli.common import console, err_console, h, site

if TYPE_CHECKING:
    from handoff.programme import ProgramSpec
    from handoff.sample.generator import Sample

Tick = Callable[[int], None]  # rows done so far in one phase
INTERVAL = 1.0  # seconds between two progress lines off a terminal


def sample(
    programme: Annotated[str, typer.Argument(help=h("help.sample.sample.programme"))],
    out: Annotated[Path, typer.Option("--out", "-o", help=h("help.sample.sample.out"))],
    rows: Annotated[int, typer.Option("--rows", "-n", min=1, help=h("help.sample.sample.rows"))] = 1000,
    seed: Annotated[int, typer.Option("--seed", help=h("help.sample.sample.seed"))] = 1,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help=h("help.sample.sample.progress")),
    ] = None,
) -> None:
    """A synthetic export with planted defects (help: help.sample.sample)."""
    import datetime as dt

    from handoff.contract import TOKYO
    from handoff.messages import t
    from handoff.programme import find_programme
    from handoff.sample import generator

    cfg = site()
    spec = find_programme(cfg.pipelines_path, programme)
    wanted = err_console.is_terminal if progress is None else progress
    with _progress(rows, wanted, err_console.is_terminal) as phase:
        made = generator.generate(spec, cfg.profile_of(spec.vendor), rows, seed, dt.datetime.now(TOKYO).date(),
                                  progress=phase("made"))
        expected = _write(spec, made, out, phase("written"))
    console.print(t("sample.written", path=str(out), rows=rows, expected=str(expected)))


def _write(spec: ProgramSpec, made: Sample, out: Path, progress: Tick | None) -> Path:
    """The sample and its expected counts (each written whole or not at all; a failure names the folder)."""
    from handoff.sample import writers

    writers.write(spec, made.rows, out, progress)
    return writers.write_expected(made.expected, out)


@contextlib.contextmanager
def _progress(total: int, wanted: bool, terminal: bool) -> Iterator[Callable[[str], Tick | None]]:
    """Yield ``phase(name)``: the hook for phase ``made`` or ``written`` (None when nothing is shown)."""
    if not wanted:
        yield lambda _name: None
        return
    if not terminal:
        yield Lines(total, err_console.print).phase
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from handoff.messages import t

    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err_console,
                  transient=True) as bar:
        task = bar.add_task("", total=total)

        def phase(name: str) -> Tick:
            def tick(done: int) -> None:
                bar.update(task, completed=done,
                           description=t(f"sample.progress.{name}", done=f"{done:,}", total=f"{total:,}"))

            return tick

        yield phase


class Lines:
    """Progress as plain lines (a log or a pipe has no bar): one at most every :data:`INTERVAL` seconds, and the
    last of each phase always, so a reader sees every phase end."""

    def __init__(self, total: int, show: Callable[[str], None], clock: Callable[[], float] = time.monotonic
                 ) -> None:
        self.total, self.show, self.clock = total, show, clock
        self.shown_at = clock()

    def phase(self, name: str) -> Tick:
        from handoff.messages import t

        def tick(done: int) -> None:
            now = self.clock()
            if done < self.total and now - self.shown_at < INTERVAL:
                return
            self.shown_at = now
            self.show(t(f"sample.progress.{name}", done=f"{done:,}", total=f"{self.total:,}"))

        return tick
