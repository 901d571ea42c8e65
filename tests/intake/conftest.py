"""A site with a created ledger and the built-in programme files, selected through HANDOFF_HOME."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from handoff.config import SiteConfig, defaults_dir, load_site
from handoff.ledger.service import Ledger
from tests.ledger.conftest import BACKENDS, pg_url, write_site

__all__ = ["pg_url"]  # the PostgreSQL schema fixture, shared with the ledger suite


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The site folder: example site.toml (contracts kept open), pipelines/ and a new SQLite ledger."""
    root = tmp_path / "site"
    write_site(root)
    shutil.copytree(defaults_dir() / "pipelines", root / "pipelines")
    Ledger.create(load_site(root)).close()
    monkeypatch.setenv("HANDOFF_HOME", str(root))
    return root


@pytest.fixture
def site(home: Path) -> SiteConfig:
    return load_site(home)


@pytest.fixture(params=BACKENDS)
def backend_site(request: pytest.FixtureRequest, tmp_path: Path) -> SiteConfig:
    """A site with a new ledger on SQLite, and on PostgreSQL when HANDOFF_TEST_PG_URL is set."""
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else ""
    cfg = write_site(tmp_path / "pg-site", str(request.param), url)
    Ledger.create(cfg).close()
    return cfg
