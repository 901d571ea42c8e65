"""Audit fixtures: the example site (its contracts as shipped, 2026-04-01..2027-03-31) with a fresh SQLite ledger."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from handoff.config import SiteConfig, defaults_dir, load_site
from handoff.ledger.service import Ledger
from handoff.programme import ProgramSpec, load_all
from tests.ledger.conftest import write_site


@pytest.fixture
def audit_site(tmp_path: Path) -> SiteConfig:
    """The example site as shipped (write_site opens its contracts for the CLI tests; they are closed again)."""
    cfg = write_site(tmp_path / "site")
    path = cfg.home / "site.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("contract_end = 2099-12-31", "contract_end = 2027-03-31"),
                    encoding="utf-8")
    return load_site(cfg.home)


@pytest.fixture
def ledger(audit_site: SiteConfig) -> Iterator[Ledger]:
    with Ledger.create(audit_site) as led:
        yield led


@pytest.fixture(scope="session")
def programmes() -> dict[str, ProgramSpec]:
    return load_all(defaults_dir() / "pipelines")
