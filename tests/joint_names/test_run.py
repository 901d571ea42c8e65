"""``handoff run`` of a 生活保護-shaped programme with [recipient.joint], from ``handoff sample`` to the sealed ZIP,
read back with tools handoff did not write: 7-Zip opens the ZIP, pdftotext reads the notice's password."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import tomllib
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import pytest

from tests.joint_names.test_programme import SOURCE, with_joint
from tests.notice import notice_password

HONORIFIC = " 様"


def handoff(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "handoff", *args], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=600,
                          env={**os.environ, "HANDOFF_HOME": str(home), "HANDOFF_STAFF": "S001",
                               "HANDOFF_LANG": "ja", "COLUMNS": "200", "TMPDIR": str(home.parent / "tmp")})


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A site made by ``handoff init`` whose seikatsu-hogo.toml declares 連名 (max 2), fixed width as shipped."""
    home = tmp_path / "site"
    (tmp_path / "tmp").mkdir()
    assert handoff(home, "init", "--dir", str(home), "--yes").returncode == 0
    (home / "pipelines" / "seikatsu-hogo.toml").write_bytes(with_joint(tmp_path, 'field = "shimei"').read_bytes())
    return home


def layout() -> list[tuple[str, int]]:
    """The shipped fixed-width layout, then 氏名1, 氏名2 of 40 + 3 bytes each."""
    raw = tomllib.loads(SOURCE.read_text(encoding="utf-8"))
    return [(f["field"], f["bytes"]) for f in raw["output"]["fields"]] + [("氏名1", 43), ("氏名2", 43)]


def records(raw: bytes) -> list[dict[str, str]]:
    """Each CRLF record cut at the layout's byte widths (CP932, strict), right padding removed."""
    fields, out = layout(), []
    for line in raw.split(b"\r\n")[:-1]:
        assert len(line) == sum(n for _, n in fields)
        at, rec = 0, {}
        for name, n in fields:
            rec[name] = line[at : at + n].decode("cp932").rstrip(" ")
            at += n
        out.append(rec)
    return out


def joint_lines(names: list[str]) -> list[str]:
    """The 連名 lines worked out here: at most 2 names, else the first; a family name (before the first blank) the
    same as the line above's written as blanks of its width."""
    if len(names) > 2:
        return [names[0] + HONORIFIC, ""]
    lines = [names[0] + HONORIFIC]
    for above, name in pairwise(names):
        parts, over = re.split("[ \u3000]", name, maxsplit=1), re.split("[ \u3000]", above, maxsplit=1)
        blank = name[len(parts[0])] if len(parts) == 2 else ""
        same = len(parts) == len(over) == 2 and parts[0] == over[0]
        lines.append(("\u3000" * len(parts[0]) + blank + parts[1] if same else name) + HONORIFIC)
    return [*lines, ""] if len(lines) == 1 else lines


def test_run_seals_the_joint_name_lines(site: Path, tmp_path: Path) -> None:
    """Every record's 氏名1, 氏名2 are its piece's names as worked out from its documents; warnings are counted."""
    data = tmp_path / "hogo.csv"
    assert handoff(site, "sample", "seikatsu-hogo", "--rows", "200", "--seed", "11", "--out", str(data)).returncode == 0
    proc = handoff(site, "run", "seikatsu-hogo", "--input", str(data), "--json")
    assert proc.returncode in (0, 1), proc.stderr
    out = json.loads(proc.stdout)
    dest = tmp_path / "x"
    subprocess.run(["7zz", "x", f"-p{notice_password(out['notice'])}", f"-o{dest}", out["zip"]], check=True,
                   capture_output=True)
    got = records((dest / "data.txt").read_bytes())
    by_piece: dict[str, list[dict[str, str]]] = defaultdict(list)
    for rec in got:
        by_piece[rec["piece_seq"]].append(rec)
    over = 0
    for docs in by_piece.values():
        names = list(dict.fromkeys(d["shimei"] for d in sorted(docs, key=lambda d: int(d["doc_index"]))))
        over += len(names) > 2
        assert all([d["氏名1"], d["氏名2"]] == joint_lines(names) for d in docs)
    assert any(d["氏名2"] for d in got), "the sample holds households of two"
    assert out["report"]["findings"].get("mail.joint_first_only", 0) == over
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    assert [f["label"] for f in manifest["data"]["fields"]][-2:] == ["氏名1", "氏名2"]
    with (Path(out["zip"]).parent.parent / "internal" / "exceptions.csv").open(encoding="utf-8-sig") as fh:
        warned = [r for r in csv.DictReader(fh) if r["コード"] == "mail.joint_first_only"]
    assert len(warned) == over and all(r["重大度"] == "警告" and r["項目"] == "氏名" for r in warned)
