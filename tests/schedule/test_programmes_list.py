"""`handoff programmes list`: ids never cut, and a JSON form with each programme's counts."""

from __future__ import annotations

from pathlib import Path

from tests.schedule.conftest import Runner


def test_programmes_list_never_cuts_an_id_and_has_json(home: Path, handoff: Runner) -> None:
    """`programmes list` at 40 columns shows every id whole; `--json` gives every programme with its counts."""
    import json

    narrow = handoff("programmes", "list", COLUMNS="40")
    assert narrow.returncode == 0, narrow.stderr
    listed = json.loads(handoff("programmes", "list", "--json").stdout)["programmes"]
    assert len(listed) == 7 and all(p["id"] in narrow.stdout for p in listed)
    assert {p["id"]: p["assumed_items"] for p in listed}["kokuho-iryohi"] == 9
