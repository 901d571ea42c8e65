"""``handoff due`` and ``handoff run --due`` through the real command: exit codes, the inbox, blockers, JSON."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from handoff.contract import TOKYO
from tests.schedule.conftest import Runner, drop, jobs, set_in_site

ITEM_KEYS = {"programme", "cycle", "label", "mailing", "export_due", "opens", "assumed", "status", "job", "inbox",
             "export", "candidates", "blockers", "warnings", "rows_excepted", "error", "exclusions"}


def _at(day: str, hour: int = 8) -> float:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), TOKYO).timestamp()


def test_due_json_shape_is_pinned(home: Path, handoff: Runner) -> None:
    """`due --json`: the date and one item per due cycle with exactly the pinned keys; the export is named, not read."""
    drop(home, "seikatsu-hogo", _at("2026-10-02"))
    proc = handoff("due", "--date", "2026-10-05", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == {"date", "items"} and out["date"] == "2026-10-05"
    by = {(i["programme"], i["cycle"]): i for i in out["items"]}
    assert set(by) == {("kokuho-tokusoku", "2026-10"), ("ninpu-kyufu", "2026-10"), ("seikatsu-hogo", "2026-10")}
    for item in out["items"]:
        assert set(item) == ITEM_KEYS
    sh = by[("seikatsu-hogo", "2026-10")]
    assert (sh["status"], sh["mailing"], sh["export_due"], sh["opens"]) == ("ready", "2026-10-20", "2026-10-10",
                                                                          "2026-09-30")
    assert set(sh["export"]) == {"path", "size", "modified", "age_hours"}
    assert sh["export"]["path"] == "inbox/seikatsu-hogo/export.csv" and sh["export"]["age_hours"] > 24
    assert sh["export"]["size"] == (home / "inbox/seikatsu-hogo/export.csv").stat().st_size
    assert by[("kokuho-tokusoku", "2026-10")]["status"] == "waiting"
    assert by[("kokuho-tokusoku", "2026-10")]["warnings"][0]["code"] == "schedule.cycle_assumed"
    assert jobs(home) == []  # due makes nothing


def test_due_speaks_japanese_by_default_and_english_with_handoff_lang(home: Path, handoff: Runner) -> None:
    """The due table's headings and statuses are Japanese by default and English with HANDOFF_LANG=en."""
    ja = handoff("due", "--date", "2026-10-12")
    en = handoff("due", "--date", "2026-10-12", lang="en")
    assert ja.returncode == en.returncode == 0
    assert "発送予定" in ja.stdout and "期限超過・未着" in ja.stdout and "inbox/seikatsu-hogo/*.csv" in ja.stdout
    assert "Mailings due on 2026-10-12" in en.stdout and "late: export missing" in en.stdout
    assert "発送予定" not in en.stdout


def test_old_export_is_not_taken_for_a_later_cycle(home: Path, handoff: Runner) -> None:
    """A file that arrived before the cycle's window opened (last cycle's, left in the inbox) is not this cycle's."""
    drop(home, "seikatsu-hogo", _at("2026-09-29"))
    out = json.loads(handoff("due", "--date", "2026-10-05", "--json").stdout)
    (sh,) = [i for i in out["items"] if i["programme"] == "seikatsu-hogo"]
    assert sh["status"] == "waiting" and sh["export"] is None


def test_run_due_twice_on_one_day_makes_one_job(home: Path, handoff: Runner) -> None:
    """run --due runs the arrived export once; a second call that day does nothing and says the cycle is done."""
    drop(home, "seikatsu-hogo", _at("2026-10-02"))
    first = handoff("run", "--due", "--date", "2026-10-05", "--json")
    assert first.returncode in (0, 1), first.stderr
    made = json.loads(first.stdout)
    (ran,) = [i for i in made["items"] if i["status"] == "ran"]
    assert (ran["programme"], ran["cycle"], made["staff"]) == ("seikatsu-hogo", "2026-10", "B001")
    assert made["exit_code"] == first.returncode == (1 if ran["rows_excepted"] else 0)
    second = handoff("run", "--due", "--date", "2026-10-05")
    assert second.returncode == 0, second.stderr
    assert "作成済み" in second.stdout and ran["job"] in second.stdout and "新しく作成した回はありません" in second.stdout
    assert jobs(home) == [ran["job"]]
    summary = json.loads((home / "data/logs/due-20261005.json").read_text(encoding="utf-8"))
    assert [[i["status"] for i in call["items"] if i["programme"] == "seikatsu-hogo"] for call in summary] == [
        ["ran"], ["done"]]
    job = json.loads((home / "data/jobs" / ran["job"] / "internal/job.json").read_text(encoding="utf-8"))
    assert job["job_id"] == ran["job"]
    log = (home / "data/logs/handoff.jsonl").read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in log]
    assert any(e["event"] == "due.cycle" and e.get("status") == "ran" and e.get("job") == ran["job"] for e in events)
    assert any(e["event"] == "due.done" for e in events)
    export = (home / "inbox/seikatsu-hogo/export.csv").read_bytes().decode("cp932")
    values = {f for line in export.splitlines() for f in line.split(",") if len(f) >= 4 and not f.isascii()}
    written = (home / "data/logs/due-20261005.json").read_text(encoding="utf-8") + "\n".join(log) + first.stdout
    assert values and not [v for v in values if v in written]  # names and addresses stay out of summary and log


def test_run_due_twice_at_once_makes_one_job(home: Path) -> None:
    """Two run --due processes started together: one job; the other waits for nothing and exits cleanly."""
    drop(home, "seikatsu-hogo", _at("2026-10-02"))
    env = {**os.environ, "HANDOFF_HOME": str(home), "HANDOFF_LANG": "ja"}
    env.pop("HANDOFF_STAFF", None)
    procs = [subprocess.Popen([sys.executable, "-m", "handoff", "run", "--due", "--date", "2026-10-05", "--json"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                              stdin=subprocess.DEVNULL) for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert all(p.returncode in (0, 1) for p in procs), outs
    made = [json.loads(out) for out, _ in outs]
    ran = [i for m in made for i in m["items"] if i["status"] == "ran"]
    assert len(ran) == 1 and len(jobs(home)) == 1
    other = next(m for m in made if not any(i["status"] == "ran" for i in m["items"]))
    assert other["busy"] or [i["status"] for i in other["items"] if i["programme"] == "seikatsu-hogo"] == ["done"]


def test_missing_export_past_lead_exits_12_naming_the_inbox(home: Path, handoff: Runner) -> None:
    """No export by the lead day: exit 12, and the message names the inbox folder and glob relative to the site."""
    before = handoff("run", "--due", "--date", "2026-10-10")
    assert before.returncode == 0, before.stderr  # still within the lead time: waiting
    late = handoff("run", "--due", "--date", "2026-10-11")
    assert late.returncode == 12, late.stderr
    assert "[schedule.export_missing]" in late.stderr and "inbox/seikatsu-hogo/*.csv" in late.stderr
    assert "終了コード 12" in late.stderr
    en = handoff("run", "--due", "--date", "2026-10-11", "--json", lang="en")
    assert en.returncode == 12 and "has not arrived" in en.stderr
    assert json.loads(en.stdout)["exit_code"] == 12
    assert jobs(home) == []


def test_expired_certification_blocks_before_any_file(home: Path, handoff: Runner) -> None:
    """A vendor certification expired before the day: exit 6, no job folder, the reason in due and the message."""
    drop(home, "seikatsu-hogo", _at("2026-10-02"))
    set_in_site(home, r"expires = 2099-12-31", "expires = 2026-10-01")
    proc = handoff("run", "--due", "--date", "2026-10-05")
    assert proc.returncode == 6, proc.stderr
    assert "[schedule.blocked]" in proc.stderr and "有効期限が切れています" in proc.stderr
    assert jobs(home) == []
    out = json.loads(handoff("due", "--date", "2026-10-05", "--json").stdout)
    (sh,) = [i for i in out["items"] if i["programme"] == "seikatsu-hogo"]
    assert sh["status"] == "blocked" and sh["blockers"][0]["code"] == "schedule.certification_expired"


def test_expired_vendor_contract_blocks_before_any_file(home: Path, handoff: Runner) -> None:
    """The vendor's contract ended before the day: exit 6 and the jobs folder stays empty."""
    drop(home, "seikatsu-hogo", _at("2026-10-02"))
    set_in_site(home, r"contract_end = 2027-03-31", "contract_end = 2026-10-01")
    proc = handoff("run", "--due", "--date", "2026-10-05", "--json")
    assert proc.returncode == 6, proc.stderr
    (sh,) = [i for i in json.loads(proc.stdout)["items"] if i["programme"] == "seikatsu-hogo"]
    assert sh["status"] == "blocked" and "schedule.vendor_contract_expired" in [b["code"] for b in sh["blockers"]]
    assert jobs(home) == []


def test_contract_ending_soon_is_a_warning_not_a_blocker(home: Path, handoff: Runner) -> None:
    """The vendor's contract ending within warn_days is shown, and the cycle still runs."""
    drop(home, "seikatsu-hogo", _at("2026-10-02"))
    set_in_site(home, r"contract_end = 2027-03-31", "contract_end = 2026-10-25")
    out = json.loads(handoff("due", "--date", "2026-10-05", "--json").stdout)
    (sh,) = [i for i in out["items"] if i["programme"] == "seikatsu-hogo"]
    assert sh["status"] == "ready" and sh["blockers"] == []
    assert [w["code"] for w in sh["warnings"]] == ["schedule.vendor_contract_ending"]
    assert sh["warnings"][0]["days"] == "20"


def test_june_cycle_outside_the_programme_contract_is_blocked(home: Path, handoff: Runner) -> None:
    """Seed 004's June 資産申告書 (before its contract starts in late September) is blocked; programmes show warns."""
    drop(home, "seikatsu-hogo-shisan", _at("2026-06-01"))
    proc = handoff("run", "--due", "--date", "2026-06-02", "--json")
    assert proc.returncode == 6
    (sh,) = [i for i in json.loads(proc.stdout)["items"] if i["programme"] == "seikatsu-hogo-shisan"]
    assert sh["blockers"][0]["code"] == "schedule.programme_contract_not_started" and jobs(home) == []
    show = handoff("programmes", "show", "seikatsu-hogo-shisan", "--fiscal-year", "2026")
    assert show.returncode == 0 and "2026-06" in show.stdout and "委託期間（2026-09-21〜2027-03-31）の外" in show.stdout
    skip = handoff("schedule", "skip", "seikatsu-hogo-shisan", "--cycle", "2026-06", "--reason", "契約期間外",
                   "--staff", "S002", "--yes")
    assert skip.returncode == 0, skip.stderr
    after = handoff("run", "--due", "--date", "2026-06-02", "--json")  # the decision recorded: no longer a blocker
    (sh,) = [i for i in json.loads(after.stdout)["items"] if i["programme"] == "seikatsu-hogo-shisan"]
    assert after.returncode == 0 and sh["status"] == "skipped" and jobs(home) == []


def test_unknown_cycle_is_refused_listing_valid_cycles(home: Path, handoff: Runner) -> None:
    """`run --cycle foo` for a programme with a calendar: exit 4, the message lists the fiscal year's cycles."""
    from handoff.calendar_spec import fiscal_year

    export = drop(home, "seikatsu-hogo", _at("2026-10-02"))
    proc = handoff("run", "seikatsu-hogo", "--input", str(export), "--cycle", "foo", "--staff", "S001")
    assert proc.returncode == 4, proc.stderr
    fy = fiscal_year(dt.datetime.now(TOKYO).date())
    valid = f"{fy}-10、{fy}-11、{fy + 1}-03"
    assert "[run.cycle_unknown]" in proc.stderr and valid in proc.stderr and jobs(home) == []


def test_batch_account_must_be_exactly_one(home: Path, handoff: Runner) -> None:
    """Without --staff, run --due runs as the one batch account; none in site.toml is a config error (exit 3)."""
    set_in_site(home, r'role = "batch"', 'role = "operator"')
    proc = handoff("run", "--due", "--date", "2026-10-05")
    assert proc.returncode == 3 and "[schedule.batch_staff]" in proc.stderr
    auditor = handoff("run", "--due", "--date", "2026-10-05", "--staff", "A001")
    assert auditor.returncode == 6 and jobs(home) == []  # an auditor records nothing, as run refuses it


def test_due_and_run_due_refuse_a_programme_argument(handoff: Runner) -> None:
    """`run --due` takes no programme id or --input: a usage error (exit 2)."""
    proc = handoff("run", "seikatsu-hogo", "--due")
    assert proc.returncode == 2 and "--due" in proc.stderr


def test_previous_cycles_disc_still_out_blocks_the_next(home: Path, handoff: Runner) -> None:
    """A disc of the previous cycle handed over and not returned blocks the next cycle, naming job and disc."""
    from handoff.config import load_site
    from handoff.ledger.service import Ledger
    from tests.audit.year import run_cycle

    # Recorded times must not go back behind the ledger's last entry, so the scripted year lies ahead of today.
    set_in_site(home, r"contract_end = 2027-03-31", "contract_end = 2031-03-31")
    with Ledger.open(load_site(home)) as ledger:
        run_cycle(ledger, "SH-2030-10", dt.date(2030, 10, 1), cycle="2030-10",
                  offsets={"notice_handed": None, "delivery": None, "medium_returned": None, "notice_returned": None,
                           "certificate": None, "destroyed": None})
    out = json.loads(handoff("due", "--date", "2030-11-05", "--json").stdout)
    (sh,) = [i for i in out["items"] if i["programme"] == "seikatsu-hogo"]
    assert sh["cycle"] == "2030-11" and sh["status"] == "blocked"
    (held,) = [b for b in sh["blockers"] if b["code"] == "schedule.previous_out"]
    assert (held["job"], held["cycle"], held["items"]) == ("SH-2030-10", "2030-10", "SH-2030-10-M1")


def _paid_list(home: Path, name: str, arrived: float) -> Path:
    """A 納付済一覧 (kokuho-tokusoku's [exclusions]) in its inbox, as if it arrived at ``arrived``."""
    path = home / "inbox" / "kokuho-nofu" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes("記号番号,年度,期別,納付日,事由コード\r\n00000001,2026,01,20261001,1\r\n".encode("cp932"))
    os.utime(path, (arrived, arrived))
    return path


def test_run_due_applies_the_exclusion_file_of_the_cycle(home: Path, handoff: Runner) -> None:
    """run --due takes the one 異動 file that arrived in the cycle's window; two of them refuse that cycle (exit 9)."""
    drop(home, "kokuho-tokusoku", _at("2026-10-12"), name="export")
    _paid_list(home, "old.csv", _at("2026-09-01"))  # an earlier cycle's list is not this cycle's
    _paid_list(home, "paid.csv", _at("2026-10-12"))
    first = handoff("run", "--due", "--date", "2026-10-13", "--json")
    (ran,) = [i for i in json.loads(first.stdout)["items"] if i["programme"] == "kokuho-tokusoku"]
    assert ran["status"] == "ran" and ran["exclusions"] == "inbox/kokuho-nofu/paid.csv", first.stderr
    report = json.loads((home / "data/jobs" / ran["job"] / "internal/report.json").read_text(encoding="utf-8"))
    assert report["exclusions"]["rows_read"] == 1 and "rows_excluded" in report
    _paid_list(home, "again.csv", _at("2026-11-12"))
    _paid_list(home, "twice.csv", _at("2026-11-12"))
    drop(home, "kokuho-tokusoku", _at("2026-11-12"), name="export")
    second = handoff("run", "--due", "--date", "2026-11-13", "--json")
    (refused,) = [i for i in json.loads(second.stdout)["items"] if i["programme"] == "kokuho-tokusoku"]
    assert refused["status"] == "failed" and refused["error"]["code"] == "exclusions.ambiguous"
    assert second.returncode == 9, second.stderr


@pytest.fixture
def early(tmp_path: Path) -> tuple[Path, Runner]:
    """A site whose ledger began on 2026-10-01 (made under faketime), and a runner for it."""
    site = tmp_path / "early"
    subprocess.run(["faketime", "-f", "@2026-10-01 09:00:00", sys.executable, "-m", "handoff", "init", "--dir",
                    str(site), "--yes"], check=True, capture_output=True)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        """The command as run on 2026-11-26 (faketime), so what it records has a fixed day."""
        env = {**os.environ, "HANDOFF_HOME": str(site), "HANDOFF_LANG": "ja", "COLUMNS": "250"}
        env.pop("HANDOFF_STAFF", None)
        return subprocess.run(["faketime", "-f", "@2026-11-26 09:00:00", sys.executable, "-m", "handoff", *args],
                              capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=600)

    return site, run


def _missed(run: Runner, day: str) -> set[tuple[str, str]]:
    proc = run("due", "--date", day, "--json")
    assert proc.returncode == 0, proc.stderr
    return {(i["programme"], i["cycle"]) for i in json.loads(proc.stdout)["items"] if i["status"] == "missed"}


def test_a_missed_cycle_is_listed_until_a_supervisor_records_the_skip(early: tuple[Path, Runner]) -> None:
    """Mailing days passed with no job are missed; schedule skip (supervisor, reason) takes one off, once only."""
    _site, run = early
    missed = _missed(run, "2026-11-25")
    assert {("kokuho-tokusoku", "2026-10"), ("kokuho-tokusoku", "2026-11"), ("ninpu-kyufu", "2026-11")} <= missed
    assert ("kokuho-tokusoku", "2026-12") not in missed  # not yet mailed
    shown = run("due", "--date", "2026-11-25")
    assert "発送日を過ぎて未作成" in shown.stdout and "handoff run kokuho-tokusoku --cycle 2026-11" in shown.stdout
    skip = ("schedule", "skip", "kokuho-tokusoku", "--cycle", "2026-11", "--reason", "督促対象なし", "--yes")
    operator = run(*skip, "--staff", "S001")
    assert operator.returncode == 6, operator.stderr  # a supervisor's decision
    done = run(*skip, "--staff", "S002")
    assert done.returncode == 0 and "回の作成中止" in done.stdout, done.stderr
    assert "回の作成中止（kokuho-tokusoku 回 2026-11）: 督促対象なし" in run("ledger", "show").stdout
    assert ("kokuho-tokusoku", "2026-11") not in _missed(run, "2026-11-25")
    assert ("kokuho-tokusoku", "2026-10") in _missed(run, "2026-11-25")
    again = run(*skip, "--staff", "S002")
    assert again.returncode == 9 and "[schedule.skip_twice]" in again.stderr
    unknown = run("schedule", "skip", "seikatsu-hogo", "--cycle", "2026-12", "--reason", "x", "--staff", "S002",
                  "--yes")
    assert unknown.returncode == 4 and "[run.cycle_unknown]" in unknown.stderr
    status = json.loads(run("status", "--date", "2026-11-26", "--json").stdout)  # the day the skip was recorded
    listed = {(t["programme"], t["detail"]["cycle"]) for t in status["tasks"] if t["kind"] == "missed"}
    assert ("kokuho-tokusoku", "2026-11") not in listed and ("kokuho-tokusoku", "2026-10") in listed
