"""Fixtures for mail pieces: real programme files, the example site, small synthetic tables (dummy names)."""

from __future__ import annotations

import random
from collections.abc import Callable

import pandas as pd
import pytest

from handoff.config import InserterProfile, SiteConfig, VendorProfile, defaults_dir, load_site
from handoff.contract import ROW, StageContext
from handoff.programme import ProgramSpec, load_programme


def programme(name: str) -> ProgramSpec:
    return load_programme(defaults_dir() / "pipelines" / f"{name}.toml")


@pytest.fixture(scope="session")
def site() -> SiteConfig:
    return load_site(defaults_dir())


@pytest.fixture(scope="session")
def kodomo() -> ProgramSpec:
    return programme("kodomo-iryosho")


@pytest.fixture(scope="session")
def hogo() -> ProgramSpec:
    return programme("seikatsu-hogo")


@pytest.fixture(scope="session")
def keirokai() -> ProgramSpec:
    return programme("keirokai")


CtxFactory = Callable[..., StageContext]


@pytest.fixture
def make_ctx(site: SiteConfig) -> CtxFactory:
    """A StageContext with a vendor profile of the given capacity and inserter settings."""

    def make(capacity: int = 6, symbology: str = "code128", feeders: tuple[str, ...] = ("お知らせ", "てびき"),
             piece_digits: int = 6, seed: int = 1, job_code: str = "01") -> StageContext:
        inserter = InserterProfile(symbology=symbology, job_code=job_code, piece_digits=piece_digits,  # type: ignore[arg-type]
                                   feeders=list(feeders))
        profile = VendorProfile(sheets_per_envelope=capacity, inserter=inserter)
        return StageContext(job_id="20260401-000000-test-0000", site=site, profile=profile,
                            rng=random.Random(seed))

    return make


KODOMO_FIELDS = ("futansha_bango", "jukyusha_bango", "jido_shimei", "jido_seinengappi", "yubin_bango",
                 "hogosha_jusho", "hogosha_shimei", "yuko_kaishi", "yuko_shuryo")


def kodomo_table(rows: list[dict[str, str]]) -> pd.DataFrame:
    """A minimised 子ども医療証 table: every approved field as a string, plus the source row number."""
    full = [{f: r.get(f, "") for f in KODOMO_FIELDS} for r in rows]
    table = pd.DataFrame(full, columns=list(KODOMO_FIELDS)).astype("str")
    table[ROW] = [int(r.get("row", i + 1)) for i, r in enumerate(rows)]
    return table


def family(postal: str, address: str, guardian: str, children: int, first_row: int,
           spelled: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """One guardian's rows, one per child; ``spelled``: other spellings of the address for later children."""
    out = []
    for i in range(children):
        addr = spelled[(i - 1) % len(spelled)] if spelled and i else address
        out.append({"yubin_bango": postal, "hogosha_jusho": addr, "hogosha_shimei": guardian,
                    "jido_shimei": f"見本 子{i + 1}", "jukyusha_bango": f"{first_row + i:07d}",
                    "row": str(first_row + i)})
    return out
