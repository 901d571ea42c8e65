"""Delivery inspection: ``handoff run`` lists the expected inserter codes in-house; ``handoff inspect delivery``
reconciles scanned codes with them and records the counts in the ledger — each through the real CLI."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import ValidationError

from handoff.config import InserterLog
from handoff.errors import InputError
from handoff.mail.inserter import check_digit, is_valid
from handoff.pipeline import inspection
from handoff.pipeline.inspection import Expected, LogLines, read_log, reconcile_log
from tests.core.test_check import _leaked, _values


@dataclass(frozen=True)
class Jobs:
    """A site with two sealed jobs of different programmes, and the personal values of the first export."""

    home: Path
    tmp: Path
    job: str
    other: str
    values: set[str]

    def codes(self, job: str) -> dict[str, list[str]]:
        """The job's pieces and their codes, read from the file as a person would (a JSON head, then TSV)."""
        path = self.home / "data" / "jobs" / job / "internal" / "inserter_codes.tsv"
        pieces: dict[str, list[str]] = {}
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            seq, code = line.split("\t")
            pieces.setdefault(seq, []).append(code)
        return pieces


def handoff(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HANDOFF_HOME": str(home), "HANDOFF_STAFF": "S001", "COLUMNS": "2000"}
    return subprocess.run([sys.executable, "-m", "handoff", *args], capture_output=True, text=True, env=env,
                          input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL, timeout=600)


@pytest.fixture(scope="module")
def jobs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Jobs]:
    """Two real runs (kodomo-iryosho and seikatsu-hogo) on one site."""
    root = tmp_path_factory.mktemp("inspection")
    home = root / "site"
    assert handoff(home, "init", "--dir", str(home), "--yes").returncode == 0
    ids = []
    for programme, seed in (("kodomo-iryosho", 3), ("seikatsu-hogo", 4)):
        data = root / f"{programme}.dat"
        assert handoff(home, "sample", programme, "--rows", "80", "--seed", str(seed), "--out",
                       str(data)).returncode == 0
        cycle = {"kodomo-iryosho": "2026-09"}.get(programme, "2026-10")  # a mailing of each calendar
        proc = handoff(home, "run", programme, "--input", str(data), "--cycle", cycle, "--json")
        assert proc.returncode in (0, 1), proc.stderr
        ids.append(json.loads(proc.stdout)["job_id"])
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HANDOFF_HOME", str(home))
        values = _values(root / "kodomo-iryosho.dat", "kodomo-iryosho")
    yield Jobs(home, root, ids[0], ids[1], values)


def last_entry(jobs: Jobs) -> dict[str, object]:
    proc = handoff(jobs.home, "ledger", "show", "--json", "--limit", "1")
    assert proc.returncode == 0, proc.stderr
    entry: dict[str, object] = json.loads(proc.stdout.splitlines()[-1])
    return entry


def test_run_writes_the_codes_in_house_without_personal_data(jobs: Jobs) -> None:
    """internal/inserter_codes.tsv is owner-only, one valid code list per piece, and holds no export value."""
    path = jobs.home / "data" / "jobs" / jobs.job / "internal" / "inserter_codes.tsv"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    doc = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert doc["job"] == jobs.job and doc["format"] == "handoff.inserter-codes/1"
    pieces = jobs.codes(jobs.job)
    prepared = json.loads(handoff(jobs.home, "ledger", "show", "--json", "--job", jobs.job).stdout.splitlines()[0])
    assert len(pieces) == prepared["payload"]["counts"]["pieces"]
    assert all(codes and all(is_valid(c) and len(c) == doc["length"] for c in codes) for codes in pieces.values())
    assert not _leaked(jobs.values, path.read_text(encoding="utf-8"))


def test_findings_are_listed_by_piece_and_recorded(jobs: Jobs) -> None:
    """A removed, a doubled, a made-up and another job's code are each listed; the counts go to the ledger."""
    pieces = jobs.codes(jobs.job)
    seqs = sorted(pieces)
    mine = {c for codes in pieces.values() for c in codes}
    other_seq, other_code = next((s, c) for s, codes in jobs.codes(jobs.other).items() for c in codes
                                 if c not in mine)
    body = "99000001010100"  # job code 99, piece 000001, document 1 of 1, feeders 00: no job of this site
    made_up = body + check_digit(body)
    scans = [pieces[s][0] for s in seqs[1:]] + [pieces[seqs[2]][0], f"  {made_up}  ", "", other_code]
    file = jobs.tmp / "scans.txt"
    file.write_text("\n".join(scans) + "\n", encoding="utf-8")
    proc = handoff(jobs.home, "inspect", "delivery", jobs.job, "--scans", str(file), "--json", "--yes")
    assert proc.returncode == 1, proc.stderr
    out = json.loads(proc.stdout)
    assert out["missing"] == [{"piece": seqs[0], "code": pieces[seqs[0]][0]}]
    assert out["duplicated"] == [{"piece": seqs[2], "code": pieces[seqs[2]][0], "times": 2}]
    assert [u["code"] for u in out["unknown"]] == [made_up]
    assert [(o["job"], o["piece"], o["code"]) for o in out["other_job"]] == [(jobs.other, other_seq, other_code)]
    entry = last_entry(jobs)
    assert entry["type"] == "delivery.inspected" and entry["subject"] == {"job": jobs.job}
    payload = entry["payload"]
    assert isinstance(payload, dict)
    n = len(seqs)
    assert (payload["quantity"], payload["inspected"], payload["defects"], payload["passed"]) == (n, n - 1, 1, n - 2)
    assert "missing=1 duplicated=1 unknown=1 other_job=1" in payload["note"]


def test_plain_output_names_pieces_and_codes_never_a_name(jobs: Jobs) -> None:
    """The printed lists carry piece numbers and codes; a line that is no control code shows only its length."""
    pieces = jobs.codes(jobs.job)
    file = jobs.tmp / "odd.txt"
    file.write_text("\n".join([pieces[s][0] for s in sorted(pieces)[1:]] + ["見本　花子"]) + "\n", encoding="utf-8")
    proc = handoff(jobs.home, "inspect", "delivery", jobs.job, "--scans", str(file), "--yes")
    assert proc.returncode == 1, proc.stderr
    first = sorted(pieces)[0]
    assert f"通番 {first}  コード {pieces[first][0]}" in proc.stdout
    assert "コードの形式でない読取り（5 文字）" in proc.stdout and "見本" not in proc.stdout + proc.stderr
    assert not _leaked(jobs.values, proc.stdout + proc.stderr)


def test_a_clean_scan_exits_0_and_is_recorded(jobs: Jobs) -> None:
    """Every piece scanned once (any of its documents' codes): exit 0, all passed."""
    pieces = jobs.codes(jobs.job)
    file = jobs.tmp / "clean.txt"
    file.write_text("\n".join(codes[-1] for codes in pieces.values()) + "\n", encoding="utf-8")
    proc = handoff(jobs.home, "inspect", "delivery", jobs.job, "--scans", str(file), "--yes")
    assert proc.returncode == 0, proc.stderr
    assert "すべて一致しました" in proc.stdout
    payload = last_entry(jobs)["payload"]
    assert isinstance(payload, dict)
    assert payload["inspected"] == payload["passed"] == payload["quantity"] == len(pieces)
    assert payload["defects"] == 0


def test_standard_input_is_read_until_an_empty_line(jobs: Jobs) -> None:
    """``--scans -`` reads as a scanner types, showing running counts, and stops at the first empty line."""
    pieces = jobs.codes(jobs.job)
    codes = [c[0] for c in pieces.values()]
    proc = handoff(jobs.home, "inspect", "delivery", jobs.job, "--scans", "-", "--json", "--yes",
                   stdin="\n".join([*codes[:3], "", *codes[3:]]) + "\n")
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["counts"]["scanned"] == 3
    assert f"読取り 3 件（このジョブ 3/{len(pieces)} 通" in proc.stderr


@pytest.mark.parametrize(("args", "code", "exit_code"), [
    (["NO-SUCH-JOB"], "job.not_found", 9),
    (["../../etc"], "job.not_found", 9),
])
def test_an_unknown_job_is_refused(jobs: Jobs, args: list[str], code: str, exit_code: int) -> None:
    """A job id that names no job folder (or leaves the jobs folder) is refused before anything is read."""
    file = jobs.tmp / "one.txt"
    file.write_text("123\n", encoding="utf-8")
    proc = handoff(jobs.home, "inspect", "delivery", *args, "--scans", str(file), "--yes")
    assert proc.returncode == exit_code and f"[{code}]" in proc.stderr


def test_an_empty_scans_file_records_nothing(jobs: Jobs) -> None:
    """A file of blank lines is refused (exit 4) and nothing is recorded."""
    before = last_entry(jobs)["seq"]
    file = jobs.tmp / "blank.txt"
    file.write_text("\n  \n\n", encoding="utf-8")
    proc = handoff(jobs.home, "inspect", "delivery", jobs.job, "--scans", str(file), "--yes")
    assert proc.returncode == 4 and "[inspection.no_scans]" in proc.stderr
    assert last_entry(jobs)["seq"] == before


# --- the inserter's own output log (--log) -------------------------------------------------------------------
LOG_HEAD = "時刻,制御コード,フィーダ,結果"
LOG_SPEC = {"format": "csv", "encoding": "cp932", "code_column": "制御コード", "status_column": "結果",
            "ok_values": ["OK", "0"]}


def _code(body: str) -> str:
    return body + check_digit(body)


def _spec(**changes: object) -> InserterLog:
    return InserterLog.model_validate({**LOG_SPEC, **changes})


def _expected(job: str, first: int, count: int) -> Expected:
    pieces = {f"{n:06d}": [_code(f"01{n:06d}0101")] for n in range(first, first + count)}
    return Expected(job, 11, pieces, {c: seq for seq, codes in pieces.items() for c in codes})


def _log_file(tmp_path: Path, lines: list[str], encoding: str = "cp932") -> Path:
    path = tmp_path / "inserter.csv"
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def test_read_log_splits_ok_from_faulted_by_the_declared_columns(tmp_path: Path) -> None:
    """Named columns (cp932, header): OK and 0 are inserted, anything else is faulted; blank lines are skipped."""
    a, b, c = (_code(f"0100000{n}0101") for n in (1, 2, 3))
    path = _log_file(tmp_path, [LOG_HEAD, f"10:00,{a},1,OK", "", f"10:01, {b} ,1,E12", f"10:02,{c},1,0"])
    found = read_log(path, _spec())
    assert found.ok == [(2, a), (5, c)] and found.faulted == [(4, b)]


def test_read_log_takes_columns_by_position_without_a_header(tmp_path: Path) -> None:
    """code_column = 2 and status_column = 4 (1-based) read a log without a heading line, tab-separated."""
    a = _code("010000010101")
    path = _log_file(tmp_path, [f"10:00\t{a}\t1\tOK"], "utf-8")
    spec = _spec(header=False, code_column=2, status_column=4, encoding="utf-8", delimiter="\t")
    assert read_log(path, spec).ok == [(1, a)]


@pytest.mark.parametrize(("changes", "rule"), [
    ({"header": False}, "value_error"),  # a named column needs a heading line
    ({"code_column": 0}, "value_error"),
    ({"ok_values": []}, "too_short"),
    ({"encoding": "latin-1"}, "literal_error"),
])
def test_a_log_format_that_cannot_be_read_is_refused_at_load(changes: dict[str, object], rule: str) -> None:
    """site.toml's inserter.log is checked when the site loads: named columns need header, columns count from 1."""
    with pytest.raises(ValidationError) as exc:
        _spec(**changes)
    assert exc.value.errors()[0]["type"] == rule


def test_an_oversized_log_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file over the size limit is refused before a line is read."""
    monkeypatch.setattr(inspection, "LOG_MAX_BYTES", 10)
    path = _log_file(tmp_path, [LOG_HEAD])
    with pytest.raises(InputError) as exc:
        read_log(path, _spec())
    assert exc.value.code == "inspection.log_too_large"


def test_an_overlong_line_is_refused_by_its_number_never_its_value(tmp_path: Path) -> None:
    """A line over the length limit: InputError naming line 3, without a character of the line."""
    secret = "見本花子" * 2000
    path = _log_file(tmp_path, [LOG_HEAD, f"10:00,{_code('01000001010')},1,OK", secret])
    with pytest.raises(InputError) as exc:
        read_log(path, _spec())
    assert (exc.value.code, exc.value.params["line"]) == ("inspection.log_line_long", 3)
    assert "見本" not in str(exc.value)


def test_a_line_in_another_encoding_is_refused_by_its_number(tmp_path: Path) -> None:
    """A cp932 log read as UTF-8: InputError naming the first line that does not decode, not its bytes."""
    path = tmp_path / "inserter.csv"
    path.write_bytes(b"time,code,feeder,status\r\n10:00,123,1,OK\r\n" + "見本,1,1,OK\r\n".encode("cp932"))
    with pytest.raises(InputError) as exc:
        read_log(path, _spec(encoding="utf-8", code_column="code", status_column="status"))
    assert (exc.value.code, exc.value.params["line"]) == ("inspection.log_encoding", 3)
    assert "見本" not in str(exc.value)


@pytest.mark.parametrize(("lines", "code"), [
    (["時刻,コード,結果", "10:00,1,OK"], "inspection.log_column"),  # no 制御コード heading
    ([LOG_HEAD, "10:00,123"], "inspection.log_short_line"),
    ([LOG_HEAD, '10:00,"123,1,OK'], "inspection.log_malformed"),
])
def test_a_log_without_the_declared_columns_is_refused(tmp_path: Path, lines: list[str], code: str) -> None:
    """A heading without the declared column, a line without it, a broken quote: each refused (exit 4)."""
    with pytest.raises(InputError) as exc:
        read_log(_log_file(tmp_path, lines), _spec())
    assert exc.value.code == code


def test_reconcile_log_lists_faulted_duplicated_and_other_job_codes() -> None:
    """OK codes are reconciled like scans; a faulted line is listed by piece, and marked when fed again OK."""
    mine, other = _expected("J1", 1, 4), _expected("J2", 101, 2)
    codes = [mine.pieces[f"{n:06d}"][0] for n in range(1, 5)]
    foreign = other.pieces["000101"][0]
    log = LogLines(ok=[(2, codes[0]), (3, codes[1]), (4, codes[1]), (6, codes[3]), (7, foreign)],
                   faulted=[(5, codes[2]), (8, codes[3])])
    rec = reconcile_log(mine, [other], log)
    assert rec.source == "log" and not rec.clean
    assert [m["piece"] for m in rec.missing] == ["000003"]
    assert [(d["piece"], d["times"]) for d in rec.duplicated] == [("000002", 2)]
    assert [(o["job"], o["piece"]) for o in rec.other_job] == [("J2", "000101")]
    assert [(f["line"], f["piece"], f["ok_later"]) for f in rec.faulted] == [(5, "000003", False), (8, "000004", True)]
    assert rec.counts()["faulted"] == 2


@contextmanager
def log_declared(jobs: Jobs) -> Iterator[None]:
    """Every vendor profile of the site declares the inserter log (cp932, named columns) while inside."""
    path = jobs.home / "site.toml"
    original = path.read_text(encoding="utf-8")
    sections = "".join(
        f'\n[vendor_profiles.{p}.inserter.log]\nformat = "csv"\nencoding = "cp932"\ncode_column = "制御コード"\n'
        f'status_column = "結果"\nok_values = ["OK", "0"]\n' for p in ("cp932-ibm", "cp932-jis", "utf8"))
    path.write_text(original + sections, encoding="utf-8")
    try:
        yield
    finally:
        path.write_text(original, encoding="utf-8")


def _job_log(jobs: Jobs) -> tuple[Path, str, str]:
    """A log of the job: every piece OK but the first (faulted), the second twice, one code of the other job."""
    pieces = jobs.codes(jobs.job)
    seqs = sorted(pieces)
    mine = {c for codes in pieces.values() for c in codes}
    other_code = next(c for codes in jobs.codes(jobs.other).values() for c in codes if c not in mine)
    lines = [LOG_HEAD, f"09:59,{pieces[seqs[0]][0]},1,E12"]
    lines += [f"10:00,{pieces[s][0]},1,OK" for s in seqs[1:]]
    lines += [f"10:01,{pieces[seqs[1]][0]},1,OK", f"10:02,{other_code},1,0"]
    return _log_file(jobs.tmp, lines), seqs[0], seqs[1]


def test_cli_log_without_a_declared_format_names_the_setting(jobs: Jobs) -> None:
    """--log with no inserter.log in the vendor's profile: exit 3 naming the table to add; nothing recorded."""
    before = last_entry(jobs)["seq"]
    path, _, _ = _job_log(jobs)
    proc = handoff(jobs.home, "inspect", "delivery", jobs.job, "--log", str(path), "--yes")
    assert proc.returncode == 3 and "[inspection.log_not_declared]" in proc.stderr
    assert re.search(r"\[vendor_profiles\.[\w-]+\.inserter\.log\]", proc.stderr)
    assert last_entry(jobs)["seq"] == before


def test_cli_log_is_reconciled_and_recorded_with_its_source(jobs: Jobs) -> None:
    """--log alone lists the faulted, missing, doubled and other-job codes, exits 1, records source log and faulted."""
    path, faulted, doubled = _job_log(jobs)
    with log_declared(jobs):
        proc = handoff(jobs.home, "inspect", "delivery", jobs.job, "--log", str(path), "--json", "--yes")
    assert proc.returncode == 1, proc.stderr
    out = json.loads(proc.stdout)
    assert out["source"] == "log"
    assert [(f["piece"], f["line"], f["ok_later"]) for f in out["faulted"]] == [(faulted, 2, False)]
    assert [m["piece"] for m in out["missing"]] == [faulted]
    assert [d["piece"] for d in out["duplicated"]] == [doubled]
    assert [o["job"] for o in out["other_job"]] == [jobs.other]
    payload = last_entry(jobs)["payload"]
    assert isinstance(payload, dict)
    assert (payload["source"], payload["faulted"], payload["defects"]) == ("log", 1, 1)
    assert "faulted=1" in payload["note"]


def test_cli_log_and_scans_record_one_entry_each(jobs: Jobs) -> None:
    """--log with --scans: both reconciliations are shown and each recorded under its own source."""
    path, _, _ = _job_log(jobs)
    pieces = jobs.codes(jobs.job)
    scans = jobs.tmp / "all.txt"
    scans.write_text("\n".join(codes[0] for codes in pieces.values()) + "\n", encoding="utf-8")
    with log_declared(jobs):
        proc = handoff(jobs.home, "inspect", "delivery", jobs.job, "--log", str(path), "--scans", str(scans),
                       "--yes")
    assert proc.returncode == 1, proc.stderr  # the log's findings
    assert "封入機ログとの照合" in proc.stdout and "読み取ったコードとの照合" in proc.stdout
    assert "封入機が異常と報告" in proc.stdout
    shown = handoff(jobs.home, "ledger", "show", "--json", "--limit", "2")
    sources = [json.loads(line)["payload"]["source"] for line in shown.stdout.splitlines()]
    assert sources == ["log", "scans"]
