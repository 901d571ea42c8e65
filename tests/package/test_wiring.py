"""``notice print`` wired to the ledger: ``notice.printed`` is recorded after the paper (or the file) exists,
and nothing is printed or deleted when the ledger could not record it.

``init_site`` and ``prepare_job`` are shared with tests/media/test_cli.py (burning needs the same site).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from handoff.config import defaults_dir, load_site
from handoff.ledger.events import Entry
from handoff.ledger.service import Ledger, job_prepared
from handoff.package.notice import NoticeInfo, notice_file, write_notice
from tests.conftest import Runner
from tests.package.helpers import Sealed, seal

STAFF = "S001"


def init_site(home: Path) -> Path:
    """``handoff init --dir home --yes`` (key and ledger), with the dummy contracts kept open: the CLI records
    at the real clock, so a handover must not fall outside the example contract period one day."""
    subprocess.run([sys.executable, "-m", "handoff", "init", "--dir", str(home), "--yes"], check=True,
                   capture_output=True, timeout=120)
    toml = home / "site.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("contract_end = 2027-03-31", "contract_end = 2099-12-31"), encoding="utf-8")
    return home


def prepare_job(home: Path, rows: int = 30, *, record: bool = True) -> Sealed:
    """A sealed job with its notice in the site's data folder; ``job.prepared`` recorded as ``handoff run`` does."""
    s = seal(home / "data", rows=rows)
    info = NoticeInfo(s.job.job_id, tuple(i.medium_id for i in s.images), "test-prog", "試験用事業", "V01",
                      "見本印刷株式会社", "見本区役所", dt.date(2026, 6, 1))
    write_notice(s.job, s.password, info)
    if record:
        job_prepared(load_site(home), STAFF, job=s.job.job_id, programme="test-prog", council_reference="資料0",
                     approved_items=["郵便番号", "住所", "氏名", "交付日"], vendor="V01",
                     quantity=len(s.images), zip_sha256=s.package.sha256, iso_sha256=s.images[0].sha256)
    # Written last, as handoff run does: only a finished job is printed, burned or handed over.
    (s.job.internal / "job.json").write_text(json.dumps({"job_id": s.job.job_id}), encoding="utf-8")
    return s


def entries(home: Path, event: str) -> list[Entry]:
    with Ledger.open(load_site(home)) as ledger:
        return [e for e in ledger.entries() if e.type == event]


@pytest.fixture
def site_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An initialised site (overrides the conftest one, which has no ledger), selected through HANDOFF_HOME."""
    home = init_site(tmp_path / "site")
    monkeypatch.setenv("HANDOFF_HOME", str(home))
    return home


@pytest.fixture
def sealed(site_dir: Path) -> Sealed:
    return prepare_job(site_dir)


def test_to_file_records_notice_printed(cli: Runner, sealed: Sealed, site_dir: Path, tmp_path: Path) -> None:
    """``notice print --to-file`` records notice.printed (printer "file", no password) and the ledger verifies."""
    dest = tmp_path / "notice.pdf"
    proc = cli("notice", "print", sealed.job.job_id, "--staff", STAFF, "--to-file", str(dest))
    assert proc.returncode == 0, proc.stderr
    (entry,) = entries(site_dir, "notice.printed")
    assert entry.job == sealed.job.job_id and entry.subject["notice"] == f"{sealed.job.job_id}-N1"
    assert entry.payload == {"printer": "file"} and entry.actor.staff == STAFF
    assert sealed.password.typed() not in entry.data.decode()
    with Ledger.open(load_site(site_dir)) as ledger:
        short = ledger.current_checkpoint().short
    assert f"チェックポイント {short}" in proc.stdout
    assert cli("ledger", "verify").returncode == 0


def test_print_missing_from_the_ledger_is_recorded_on_the_next_run(cli: Runner, sealed: Sealed, site_dir: Path,
                                                                   tmp_path: Path) -> None:
    """A print whose ledger write never happened is recorded by the next notice print, which prints nothing."""
    from handoff.package.notice_print import export_notice

    export_notice(sealed.job, tmp_path / "first.pdf")  # as if the process died right after the printout
    assert (sealed.job.notice / "printed.json").is_file() and not notice_file(sealed.job).exists()
    proc = cli("notice", "print", sealed.job.job_id, "--staff", STAFF, "--to-file", str(tmp_path / "again.pdf"))
    assert proc.returncode == 0, proc.stderr
    assert "管理簿に未記録だったため" in proc.stdout and not (tmp_path / "again.pdf").exists()
    (entry,) = entries(site_dir, "notice.printed")
    assert entry.payload == {"printer": "file"}
    assert not (sealed.job.notice / "printed.json").exists()
    assert cli("notice", "print", sealed.job.job_id, "--staff", STAFF).returncode == 9  # nothing left to print


def test_crash_between_print_and_delete_never_prints_twice(cli: Runner, sealed: Sealed, site_dir: Path,
                                                            tmp_path: Path) -> None:
    """With the print marker and the PDF both left behind, notice print records the print and removes the PDF."""
    from handoff.package import notice_print

    notice_print._mark_printed(sealed.job, "file", "")  # lp accepted the job; the process died before the delete
    proc = cli("notice", "print", sealed.job.job_id, "--staff", STAFF, "--to-file", str(tmp_path / "again.pdf"))
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "again.pdf").exists() and not notice_file(sealed.job).exists()
    assert len(entries(site_dir, "notice.printed")) == 1


def test_ledger_failure_after_print_says_how_to_record(cli: Runner, sealed: Sealed, site_dir: Path,
                                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """When the ledger write fails after the printout, the operator is told a re-run records it, and it does."""
    from handoff.cli import main
    from handoff.errors import StateError
    from handoff.ledger import service

    def unavailable(*_args: object, **_kwargs: object) -> None:
        raise StateError("ledger.not_initialised", location="(test)")

    monkeypatch.setattr(service, "notice_printed", unavailable)
    with pytest.raises(SystemExit) as exit_:
        main(["notice", "print", sealed.job.job_id, "--staff", STAFF, "--to-file", str(tmp_path / "n.pdf")])
    assert exit_.value.code == 9 and "noticeprintを再実行" in "".join(capsys.readouterr().err.split())
    assert (tmp_path / "n.pdf").is_file() and not entries(site_dir, "notice.printed")
    monkeypatch.undo()
    proc = cli("notice", "print", sealed.job.job_id, "--staff", STAFF)
    assert proc.returncode == 0, proc.stderr
    assert len(entries(site_dir, "notice.printed")) == 1


def test_lp_print_records_the_printer(cli: Runner, sealed: Sealed, site_dir: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Printing through lp (a stand-in on PATH) records the site's printer; staff may come from HANDOFF_STAFF."""
    toml = site_dir / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('printer = ""', 'printer = "kuyakusho-3F"'),
                    encoding="utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    lp = bin_dir / "lp"
    lp.write_text(f"#!/bin/sh\necho \"$@\" > {tmp_path / 'lp-args'}\necho 'request id is kuyakusho-3F-7'\n",
                  encoding="utf-8")
    lp.chmod(0o700)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("HANDOFF_STAFF", "S002")
    proc = cli("notice", "print", sealed.job.job_id)
    assert proc.returncode == 0, proc.stderr
    assert "-d kuyakusho-3F" in (tmp_path / "lp-args").read_text(encoding="utf-8")
    (entry,) = entries(site_dir, "notice.printed")
    assert entry.payload == {"printer": "kuyakusho-3F"} and entry.actor.staff == "S002"
    assert not notice_file(sealed.job).exists()


def test_uninitialised_site_refuses_and_keeps_the_notice(tmp_path: Path) -> None:
    """Without a ledger, notice print exits 9 naming handoff init, and keeps the notice without copying it."""
    home = tmp_path / "plain"
    home.mkdir()
    shutil.copy(defaults_dir() / "site.toml", home / "site.toml")
    s = prepare_job(home, record=False)
    dest = tmp_path / "notice.pdf"
    env = {**os.environ, "HANDOFF_HOME": str(home), "HANDOFF_LANG": "ja"}
    proc = subprocess.run([sys.executable, "-m", "handoff", "notice", "print", s.job.job_id, "--staff", STAFF,
                           "--to-file", str(dest)], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 9 and "[ledger.not_initialised]" in proc.stderr and "handoff init" in proc.stderr
    assert notice_file(s.job).exists() and not dest.exists()


def test_job_not_in_ledger_or_unknown_staff_prints_nothing(cli: Runner, site_dir: Path, tmp_path: Path) -> None:
    """A job unknown to the ledger, or an unknown staff id, is refused (exit 6) before the notice leaves."""
    s = prepare_job(site_dir, record=False)
    dest = tmp_path / "notice.pdf"
    unprepared = cli("notice", "print", s.job.job_id, "--staff", STAFF, "--to-file", str(dest))
    assert unprepared.returncode == 6 and "[custody.job_not_prepared]" in unprepared.stderr
    stranger = cli("notice", "print", s.job.job_id, "--staff", "X999", "--to-file", str(dest))
    assert stranger.returncode == 6 and "[custody.unknown_staff]" in stranger.stderr
    assert notice_file(s.job).exists() and not dest.exists()
    assert not entries(site_dir, "notice.printed")


def test_staff_is_required(cli: Runner, sealed: Sealed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --staff (or HANDOFF_STAFF) the command is a usage error (exit 2) and the notice stays."""
    monkeypatch.delenv("HANDOFF_STAFF", raising=False)
    proc = cli("notice", "print", sealed.job.job_id, "--to-file", str(tmp_path / "n.pdf"))
    assert proc.returncode == 2 and "--staff" in proc.stderr
    assert notice_file(sealed.job).exists()
