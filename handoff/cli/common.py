"""What every command shares: the chosen site, the console, the language-aware printer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

if TYPE_CHECKING:
    from handoff.config import SiteConfig


@dataclass
class State:
    home: Path | None = None


state = State()
console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def site() -> SiteConfig:
    """Load the site chosen by ``--dir`` / ``HANDOFF_HOME`` and start its log file."""
    from handoff.config import load_site
    from handoff.log import configure

    cfg = load_site(state.home)
    configure(cfg.data_path)
    return cfg
