"""``handoff status``, ``media list`` and ``incident list`` on the example site after a real operator flow: the text
written out whole (80 columns, piped), ids never cut at any width, the JSON shapes, English, nothing written."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .flow import Flow, build, env, handoff

pytestmark = pytest.mark.skipif(shutil.which("faketime") is None,
                                reason="faketime is not installed (Debian package faketime; scripts/setup installs it)")

# 2027-01-20: the medium handed over on 2026-12-07 was due back on 2027-01-06 (return_days = 30 in the programme
# file), the notice handed over on 2026-12-08 and the incident recorded that day on 2027-01-07.
LATE = "2027-01-20"

STATUS_80 = """\
作業一覧（2027-01-20 現在）: 7件、うち期限超過 3件
期限: 2027-01-06（14日超過）
内容: 業者 V01 に引渡し中（2026-12-07 から）: 返却待ち
ID: 20261207-091131-kodomo-iryosho-xxxx-M1
次のコマンド: handoff custody return --medium 20261207-091131-kodomo-iryosho-xxxx-M1 --handler V01-H1 --device /dev/sr0 --staff 職員ID

期限: 2027-01-07（13日超過）
内容: 未終結の事故（連番 8、other、2026-12-08 記録）
ID: 20261207-091131-kodomo-iryosho-xxxx
次のコマンド: handoff incident close 8 --outcome 結果・措置 --staff 職員ID

期限: 2027-01-07（13日超過）
内容: 業者 V01 に引渡し中（2026-12-08 から）: 返却待ち
ID: 20261207-091131-kodomo-iryosho-xxxx-N1
次のコマンド: handoff custody return --notice 20261207-091131-kodomo-iryosho-xxxx-N1 --handler V01-H1 --staff 職員ID

期限: 2027-03-31（あと70日）
内容: 業者 V01 の実地検査が2026年度は未記録（引渡し 2026-12-07 から）
ID: V01
次のコマンド: handoff vendor inspect V01 --date 2027-01-20 --by 職員ID,職員ID --result 結果 --staff 職員ID

期限: —
内容: 納品検査が未記録（2026-12-07 引渡し）
ID: 20261207-091131-kodomo-iryosho-xxxx
次のコマンド: handoff inspect delivery 20261207-091131-kodomo-iryosho-xxxx --staff 職員ID

期限: —
内容: 媒体の書込み待ち（1枚: 20261207-091202-kokuho-tokusoku-xxxx-M1）
ID: 20261207-091202-kokuho-tokusoku-xxxx
次のコマンド: handoff media burn 20261207-091202-kokuho-tokusoku-xxxx --staff 職員ID

期限: —
内容: パスワード通知書の印刷待ち
ID: 20261207-091202-kokuho-tokusoku-xxxx-N1
次のコマンド: handoff notice print 20261207-091202-kokuho-tokusoku-xxxx --staff 職員ID
"""

STATUS_EN_HEAD = """\
Work list as of 2027-01-20: 7 tasks, 3 overdue
Due: 2027-01-06 (14 days overdue)
Task: Out with vendor V01 since 2026-12-07: waiting for its return
Id: 20261207-091131-kodomo-iryosho-xxxx-M1
Next command: handoff custody return --medium 20261207-091131-kodomo-iryosho-xxxx-M1 --handler V01-H1 --device /dev/sr0 --staff STAFF_ID
"""

INCIDENTS_80 = """\
連番: 8
種類: other
ジョブ: 20261207-091131-kodomo-iryosho-xxxx
媒体・通知書:
記録日: 2026-12-08
終結期限: 2027-01-07
状態: 未終結
"""

STATUS_KEYS = {"date", "staff", "overdue", "counts", "tasks"}
TASK_KEYS = {"kind", "job", "item", "programme", "vendor", "cabinet", "since", "due", "overdue", "days_left", "command",
             "message", "detail"}


@pytest.fixture(scope="module")
def flow(tmp_path_factory: pytest.TempPathFactory) -> Flow:
    """The flow of tests/status/flow.py, built once for this module."""
    return build(tmp_path_factory.mktemp("status"))


def _ids(flow: Flow, command: str) -> list[str]:
    """The ids a listing shows: status and ledger show both jobs and the first job's items; media list the discs."""
    jobs = [flow.job, flow.waiting]
    return {"status": [*jobs, f"{flow.job}-M1", f"{flow.job}-N1", f"{flow.waiting}-N1"],
            "media": [*jobs, f"{flow.job}-M1", f"{flow.waiting}-M1"],
            "incident": [flow.job],
            "ledger": [*jobs, f"{flow.job}-M1", f"{flow.job}-N1"]}[command]


def test_status_piped_at_80_columns_is_the_work_list_written_out(flow: Flow) -> None:
    """Piped with COLUMNS=80 and without COLUMNS (80 by default), status prints exactly the expected records."""
    for extra in ({"COLUMNS": "80"}, {}):
        proc = handoff(flow.home, "status", "--date", LATE, HANDOFF_STAFF="", **extra)
        assert proc.returncode == 0, proc.stderr
        assert flow.mask(proc.stdout) == STATUS_80
        assert proc.stderr == ""


def test_status_lists_the_overdue_return_first_with_its_command(flow: Flow) -> None:
    """The JSON's first task is the overdue medium's return, with the exact command and the staff of --staff."""
    proc = handoff(flow.home, "status", "--date", LATE, "--staff", "S001", "--json")
    doc = json.loads(proc.stdout)
    assert set(doc) == STATUS_KEYS and doc["date"] == LATE and doc["staff"] == "S001" and doc["overdue"] == 3
    first = doc["tasks"][0]
    assert set(first) == TASK_KEYS
    assert (first["kind"], first["item"], first["due"], first["overdue"], first["days_left"]) == (
        "return", f"{flow.job}-M1", "2027-01-06", True, -14)
    assert first["command"] == (f"handoff custody return --medium {flow.job}-M1 --handler V01-H1 --device /dev/sr0"
                                " --staff S001")
    assert [t["overdue"] for t in doc["tasks"]] == [True, True, True, False, False, False, False]
    assert doc["counts"] == {"missed": 0, "incident": 1, "return": 2, "certificate": 0, "delivery": 1,
                             "vendor_inspection": 1, "inbound_read": 0, "inbound_return": 0, "burn": 1, "print": 1,
                             "store": 0, "handover": 0, "destroy": 0}


def test_status_names_the_job_waiting_to_be_burned_and_the_open_incident(flow: Flow) -> None:
    """The prepared job waits with `media burn <job>`; the open incident with `incident close <seq>` and its date."""
    doc = json.loads(handoff(flow.home, "status", "--date", "2026-12-08", "--json").stdout)
    by_kind = {t["kind"]: t for t in doc["tasks"]}
    assert by_kind["burn"]["command"] == f"handoff media burn {flow.waiting} --staff S001"
    assert by_kind["burn"]["job"] == flow.waiting and by_kind["burn"]["detail"]["media"] == f"{flow.waiting}-M1"
    assert by_kind["print"]["command"] == f"handoff notice print {flow.waiting} --staff S001"
    incident = by_kind["incident"]
    assert (incident["job"], incident["since"], incident["due"], incident["overdue"]) == (
        flow.job, "2026-12-08", "2027-01-07", False)
    assert incident["command"] == f"handoff incident close {incident['detail']['entry']} --outcome 結果・措置 --staff S001"


def test_status_speaks_english_with_handoff_lang_en(flow: Flow) -> None:
    """HANDOFF_LANG=en: the title, fields, messages and placeholders are English; the ids and commands the same."""
    proc = handoff(flow.home, "status", "--date", LATE, HANDOFF_STAFF="", HANDOFF_LANG="en")
    assert flow.mask(proc.stdout).startswith(STATUS_EN_HEAD)
    assert "期限" not in proc.stdout and "職員ID" not in proc.stdout


@pytest.mark.parametrize("columns", ["40", "80", "200", "250"])
def test_no_listing_cuts_an_id_at_any_width(flow: Flow, columns: str) -> None:
    """status, media list, incident list and ledger show keep every id whole on one line, at 40 to 250 columns."""
    for args in (("status", "--date", LATE), ("media", "list"), ("incident", "list"), ("ledger", "show")):
        proc = handoff(flow.home, *args, COLUMNS=columns)
        assert proc.returncode == 0, proc.stderr
        assert "…" not in proc.stdout, args
        lines = proc.stdout.splitlines()
        for wanted in _ids(flow, args[0]):
            assert any(wanted in line for line in lines), (args, columns, wanted)
        if args[0] == "status":  # every command on one line, whole
            for task in json.loads(handoff(flow.home, *args, "--json").stdout)["tasks"]:
                assert any(task["command"] in line for line in lines), (columns, task["command"])


def test_a_wide_terminal_gets_a_table(flow: Flow) -> None:
    """At 250 columns status is a table: one row per task, the command whole in its cell."""
    proc = handoff(flow.home, "status", "--date", LATE, COLUMNS="250")
    lines = proc.stdout.splitlines()
    assert lines[0] == "作業一覧（2027-01-20 現在）: 7件、うち期限超過 3件"
    assert lines[1].startswith("┏") and lines[-1].startswith("└")
    row = next(line for line in lines if f"{flow.job}-M1 " in line)
    assert row.startswith("│ 2027-01-06（14日超過） │ 業者 V01 に引渡し中（2026-12-07 から）: 返却待ち")
    assert f"handoff custody return --medium {flow.job}-M1 --handler V01-H1 --device /dev/sr0 --staff S001" in row


def test_media_list_without_a_job_lists_every_job_s_media(flow: Flow) -> None:
    """media list with no job id shows both jobs' discs; --json gives job, medium, state, size and the whole hash."""
    doc = json.loads(handoff(flow.home, "media", "list", "--json").stdout)
    assert [(m["job"], m["medium"], m["state"]) for m in doc["media"]] == [
        (flow.job, f"{flow.job}-M1", "verified"), (flow.waiting, f"{flow.waiting}-M1", "written")]
    assert all(len(m["image_sha256"]) == 64 and m["image_size"] > 0 for m in doc["media"])
    one = json.loads(handoff(flow.home, "media", "list", flow.waiting, "--json").stdout)
    assert [m["medium"] for m in one["media"]] == [f"{flow.waiting}-M1"]
    text = flow.mask(handoff(flow.home, "media", "list", COLUMNS="80").stdout)
    assert text.startswith("ジョブ: 20261207-091131-kodomo-iryosho-xxxx\n"
                           "媒体ID: 20261207-091131-kodomo-iryosho-xxxx-M1\n状態: 検証済み（受渡し可）\n")


def test_incident_list_shows_the_open_incident(flow: Flow) -> None:
    """incident list at 80 columns is the record written out; --json has the documented keys."""
    assert flow.mask(handoff(flow.home, "incident", "list", COLUMNS="80").stdout) == INCIDENTS_80
    (one,) = json.loads(handoff(flow.home, "incident", "list", "--json").stdout)["incidents"]
    assert one == {"seq": 8, "kind": "other", "job": flow.job, "item": None, "recorded": "2026-12-08",
                   "due": "2027-01-07", "open": True, "closed_by": None}


def test_status_writes_nothing(flow: Flow) -> None:
    """Every file of the site is the same, bytes and times, after status (SQLite's reader index -shm aside)."""
    def snapshot() -> dict[str, tuple[int, bytes]]:
        return {str(p.relative_to(flow.home)): (p.stat().st_mtime_ns, p.read_bytes())
                for p in sorted(flow.home.rglob("*")) if p.is_file() and p.name != "ledger.sqlite-shm"}

    before = snapshot()
    for args in (("status",), ("status", "--json"), ("status", "--date", LATE)):
        assert handoff(flow.home, *args).returncode == 0
    assert snapshot() == before


def test_status_imports_no_heavy_library(flow: Flow) -> None:
    """`python -X importtime -m handoff status` loads neither pandas, pyarrow, numpy nor reportlab."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "handoff", "status"], capture_output=True,
                          text=True, env=env(flow.home), stdin=subprocess.DEVNULL, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    loaded = {line.split("|")[-1].strip().split(".")[0] for line in proc.stderr.splitlines()
              if line.startswith("import time:")}
    assert "handoff" in loaded
    assert not loaded & {"pandas", "pyarrow", "numpy", "reportlab"}


def test_the_ledger_file_status_reads_is_the_ledger_s(tmp_path: Path) -> None:
    """The SQLite file status opens read-only is the one handoff.ledger.paths names for the site."""
    from handoff.config import defaults_dir, load_site
    from handoff.ledger.paths import LedgerPaths
    from handoff.pipeline.ledger_view import sqlite_file

    shutil.copy(defaults_dir() / "site.toml", tmp_path / "site.toml")
    site = load_site(tmp_path)
    assert sqlite_file(site) == LedgerPaths.of(site).db


def test_commands_name_the_site_given_with_dir(flow: Flow) -> None:
    """With the site chosen by --dir (no HANDOFF_HOME), every printed command carries the same --dir."""
    environment = {k: v for k, v in env(flow.home).items() if k not in ("HANDOFF_HOME", "HANDOFF_STAFF")}
    proc = subprocess.run([sys.executable, "-m", "handoff", "--dir", str(flow.home), "status", "--json"],
                          capture_output=True, text=True, env=environment, stdin=subprocess.DEVNULL, timeout=120)
    tasks = json.loads(proc.stdout)["tasks"]
    assert tasks and all(t["command"].startswith(f"handoff --dir {flow.home} ") for t in tasks)
    assert all(t["command"].endswith(" --staff 職員ID") for t in tasks)


def test_a_new_site_has_nothing_waiting(tmp_path: Path) -> None:
    """Right after init, status says nothing waits, and its JSON has no task."""
    home = tmp_path / "site"
    handoff(home, "init", "--dir", str(home), "--yes")
    assert handoff(home, "status", "--date", "2026-12-07").stdout == "2026-12-07 現在、待っている作業はありません。\n"
    doc = json.loads(handoff(home, "status", "--json", "--date", "2026-12-07").stdout)
    assert doc == {"date": "2026-12-07", "staff": "S001", "overdue": 0, "counts": {k: 0 for k in doc["counts"]},
                   "tasks": []}
