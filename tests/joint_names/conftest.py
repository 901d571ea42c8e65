"""Fixtures for 連名: a 生活保護-shaped programme with [recipient.joint] (a test fixture, not a shipped file),
synthetic households (dummy names), and the piece steps up to the vendor file and the proof sheet."""

from __future__ import annotations

import random
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from handoff.config import InserterProfile, SiteConfig, VendorProfile, WindowProfile, defaults_dir, load_site
from handoff.contract import ROW, StageContext
from handoff.mail import barcode, household, proof, sort
from handoff.mail.render import render_file
from handoff.programme import ProgramSpec, check_programme

HOME = ("1100016", "東京都台東区台東5-6-3")  # reference p25: barcode 1100016 5-6-3
JOB = "20260401-000000-test-0000"


class NamesWindow(WindowProfile):
    """A window whose profile says the names are printed in it, under the address lines."""

    names: bool = True


def raw_programme(**joint: Any) -> dict[str, Any]:
    """seikatsu-hogo.toml as a dict, with ``[recipient.joint]`` set to ``joint`` and a CSV output with a header."""
    path = defaults_dir() / "pipelines" / "seikatsu-hogo.toml"
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    raw["recipient"]["joint"] = joint
    raw["output"] = {"format": "csv", "header": True,
                     "fields": [{"field": f["field"]} for f in raw["output"]["fields"]]}
    return raw


def joint_programme(fixed: bool = False, **joint: Any) -> ProgramSpec:
    """The fixture programme: 連名 on 氏名 (shimei), households by ケース番号; CSV unless ``fixed``."""
    raw = raw_programme(**({"field": "shimei", "max": 2} | joint))
    if fixed:
        path = defaults_dir() / "pipelines" / "seikatsu-hogo.toml"
        raw["output"] = tomllib.loads(path.read_text(encoding="utf-8"))["output"]
    spec = ProgramSpec.model_validate(raw)
    check_programme(spec, Path("joint.toml"))
    return spec


@pytest.fixture(scope="session")
def site() -> SiteConfig:
    return load_site(defaults_dir())


def ctx_with(site: SiteConfig, win: WindowProfile | None = None, capacity: int = 6) -> StageContext:
    profile = VendorProfile(window=win, sheets_per_envelope=capacity,
                            inserter=InserterProfile(feeders=["同封チラシ"]))
    return StageContext(job_id=JOB, site=site, profile=profile, rng=random.Random(1))


def table_of(people: list[tuple[str, str]], address: str = HOME[1]) -> pd.DataFrame:
    """A minimised 生活保護 table: one row per (ケース番号, 氏名), rows numbered from 1, all at ``address``."""
    table = pd.DataFrame({"yubin_bango": [HOME[0]] * len(people), "jusho": [address] * len(people),
                          "shimei": [n for _, n in people], "case_bango": [c for c, _ in people]}).astype("str")
    table[ROW] = list(range(1, len(people) + 1))
    return table


def pieces(spec: ProgramSpec, table: pd.DataFrame, ctx: StageContext) -> tuple[pd.DataFrame, list[Any]]:
    """The piece table after household, sort and barcode, and the household step's findings."""
    held = household.run(table, spec, ctx)
    out = barcode.run(sort.run(held.table, spec, ctx).table, spec, ctx).table
    return out, held.findings


def vendor_records(spec: ProgramSpec, table: pd.DataFrame, ctx: StageContext) -> list[dict[str, str]]:
    """The vendor CSV read back (CP932, every field quoted) as one dict per record, keyed by the header."""
    out, _ = pieces(spec, table, ctx)
    vendor = out.drop(columns=[c for c in out.columns if c.startswith("_") and c != ROW])
    data = b"".join(bytes(c) for c in render_file(vendor, spec, ctx.profile).chunks).decode("cp932")
    lines = [line[1:-1].split('","') for line in data.split("\r\n") if line]
    return [dict(zip(lines[0], record, strict=True)) for record in lines[1:]]


def proof_text(spec: ProgramSpec, table: pd.DataFrame, ctx: StageContext, tmp_path: Path) -> list[str]:
    """The proof sheet's text as ``pdftotext -layout`` reads it, one entry per line (right-stripped)."""
    out, _ = pieces(spec, table, ctx)
    path = proof.write_proof(out, spec, tmp_path / proof.FILE_NAME, n=10, job_id=ctx.job_id,
                             window=ctx.profile.window)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [line.rstrip() for line in text.splitlines()]
