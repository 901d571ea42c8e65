"""Ledger fixtures: sites with a created ledger on SQLite and (when HANDOFF_TEST_PG_URL is set) PostgreSQL.

Each PostgreSQL test gets its own schema, dropped afterwards, so runs never see each other's rows.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from handoff.config import SiteConfig, defaults_dir, load_site
from handoff.ledger.service import Ledger

PG_URL = os.environ.get("HANDOFF_TEST_PG_URL", "")
needs_pg = pytest.mark.skipif(
    not PG_URL,
    reason="HANDOFF_TEST_PG_URL is not set: the PostgreSQL half of the ledger suite needs a server",
)
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="pg", marks=[pytest.mark.pg, needs_pg]),
]


def schema_url(schema: str) -> str:
    return f"{PG_URL}{'&' if '?' in PG_URL else '?'}schema={schema}"


def drop_schema(schema: str) -> None:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL selecting a fresh schema, dropped after the test."""
    if not PG_URL:
        pytest.skip("HANDOFF_TEST_PG_URL is not set")
    schema = f"t_{secrets.token_hex(6)}"
    yield schema_url(schema)
    drop_schema(schema)


def write_site(home: Path, backend: str = "sqlite", url: str = "") -> SiteConfig:
    """The example site.toml in ``home`` with the ledger backend switched; no ledger yet."""
    home.mkdir(parents=True, exist_ok=True)
    text = (defaults_dir() / "site.toml").read_text(encoding="utf-8")
    text = text.replace('backend = "sqlite"', f'backend = "{backend}"', 1)
    text = text.replace('url = ""', f'url = "{url}"', 1)
    # CLI commands record at the real clock: keep the dummy contracts open so these tests never expire.
    text = text.replace("contract_end = 2027-03-31", "contract_end = 2099-12-31")
    (home / "site.toml").write_text(text, encoding="utf-8")
    return load_site(home)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def site(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> SiteConfig:
    """A site with a freshly created ledger on the parametrised backend."""
    url = request.getfixturevalue("pg_url") if backend == "postgresql" else ""
    cfg = write_site(tmp_path / "site", backend, url)
    Ledger.create(cfg).close()
    return cfg


@pytest.fixture
def sqlite_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SiteConfig:
    """A SQLite site with a created ledger, also selected through HANDOFF_HOME for CLI subprocesses."""
    cfg = write_site(tmp_path / "site")
    Ledger.create(cfg).close()
    monkeypatch.setenv("HANDOFF_HOME", str(cfg.home))
    return cfg
