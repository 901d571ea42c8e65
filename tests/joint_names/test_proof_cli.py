"""``handoff proof`` on a sampled 生活保護 export with [recipient.joint]: the households' names as joint lines."""

from __future__ import annotations

import csv
import re
import subprocess
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

from tests.conftest import Runner
from tests.joint_names.test_programme import with_joint


def excepted(folder: Path) -> set[int]:
    """The rows ``handoff check`` set aside (除外), from its exceptions list."""
    (path,) = folder.glob("check-*/internal/exceptions.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {int(r["行番号"]) for r in csv.DictReader(fh) if r["重大度"] == "除外"}


def expected_lines(data: Path, skip: set[int]) -> dict[str, list[str]]:
    """Per ケース番号 to be notified (通知区分 1), its members' names as 連名 lines with max 2, worked out here from
    the export itself (rows in ``skip`` left out): the family name is the text before the first blank, written
    once for the same one."""
    members: dict[str, list[str]] = defaultdict(list)
    with data.open(encoding="cp932", newline="") as fh:
        for n, (case, _member, _postal, _address, name, _birth, notify) in enumerate(csv.reader(fh), start=1):
            if notify == "1" and n not in skip and name not in members[case]:
                members[case].append(name)
    out: dict[str, list[str]] = {}
    for case, names in members.items():
        if len(names) > 2:
            out[case] = [names[0] + " 様"]
            continue
        lines = [names[0] + " 様"]
        for above, name in pairwise(names):
            parts, over = re.split("[ \u3000]", name, maxsplit=1), re.split("[ \u3000]", above, maxsplit=1)
            same = len(parts) == len(over) == 2 and parts[0] == over[0]
            lines.append(("\u3000" * (len(parts[0]) + 1) + parts[1] if same else name) + " 様")
        out[case] = lines
    return out


def test_proof_of_a_sampled_export(cli: Runner, site_dir: Path, tmp_path: Path) -> None:
    """Every household's name lines (worked out from the export) are on the proof, given names under the first."""
    programme = site_dir / "pipelines" / "seikatsu-hogo.toml"
    joint = with_joint(tmp_path, 'field = "shimei"\nmax = 2')
    programme.write_bytes(joint.read_bytes())
    data = tmp_path / "hogo.csv"
    cli("sample", "seikatsu-hogo", "--rows", "80", "--seed", "3", "--out", str(data), check=True)
    cli("check", "seikatsu-hogo", "--input", str(data))  # exit 1: the sample plants rows to set aside
    cli("proof", "seikatsu-hogo", "--input", str(data), "--pieces", "80", check=True)
    (path,) = (site_dir / "data" / "checks").glob("proof-*/internal/proof.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    # pdftotext -layout spaces words by their positions: the lines are compared without their blanks
    shown = [re.sub(r"[ \u3000]+", "", line) for line in text.splitlines()]
    expected = expected_lines(data, excepted(site_dir / "data" / "checks"))
    joint_cases = [lines for lines in expected.values() if len(lines) == 2]
    assert joint_cases, "the sample holds households of two"
    for lines in expected.values():
        for line in lines:
            written = re.sub(r"[ \u3000]+", "", line)
            assert any(s.startswith(written) for s in shown), written
    # a second member of the same family is never shown with the family name repeated
    for names in joint_cases:
        if names[1].startswith("\u3000"):
            family = re.split("[ \u3000]", names[0])[0]
            given = re.sub(r"[ \u3000]+", "", names[1])
            assert not any(s.startswith(family + given) for s in shown)
