"""handoff intake end to end: a 7-Zip AES-256 archive on an xorriso disc is received, its notice received on
another day, read into the host-import file, recorded by counts and hashes, and handed back like any medium."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import pytest

from handoff.config import load_site
from handoff.ledger.events import TOKYO, Entry
from handoff.ledger.service import Ledger
from tests.intake import helpers as h

YESTERDAY = (dt.datetime.now(TOKYO).date() - dt.timedelta(days=1)).isoformat()
# The import's declared fields, in their order, as columns of helpers.rows() (the oracle for its content).
IMPORT_COLUMNS = list(range(12))


def entries(home: Path) -> list[Entry]:
    with Ledger.open(load_site(home)) as ledger:
        return list(ledger.entries())


def receive(home: Path, image: Path, quantity: int, *extra: str) -> dict[str, str]:
    proc = h.run(home, "intake", "ninpu-kyufu", "--staff", "S001", "--image", str(image), "--handler", "V01-H1",
                 "--quantity", str(quantity), "--bag", "BAG-7", "--yes", "--json", *extra)
    assert proc.returncode == 0, proc.stderr
    out: dict[str, str] = json.loads(proc.stdout)
    return out


def notice(home: Path, job: str) -> None:
    proc = h.run(home, "intake", "ninpu-kyufu", "--staff", "S001", "--notice", "--job", job, "--handler", "V01-H2",
                 "--yes")
    assert proc.returncode == 0, proc.stderr


@pytest.fixture
def disc(tmp_path: Path) -> tuple[Path, Path, list[list[str]]]:
    """A vendor disc (xorriso ISO) holding a 7-Zip AES-256 ZIP of six rows, the fourth lacking its 氏名."""
    table = h.rows(6)
    table[3][1] = ""
    archive = h.seven_zip(tmp_path / "vendor", "shikyu_yotei.zip", {h.DATA_NAME: h.csv_bytes(table)})
    return h.iso_with(tmp_path / "vendor", archive), archive, table


def test_disc_received_noticed_and_read(home: Path, disc: tuple[Path, Path, list[list[str]]]) -> None:
    """The ISO's ZIP is read with the notice's password; the import holds exactly the valid rows, in cp932."""
    image, archive, table = disc
    got = receive(home, image, 6, "--on", YESTERDAY)
    job, medium = got["job"], got["medium"]
    notice(home, job)
    proc = h.run(home, "intake", "ninpu-kyufu", "--staff", "S001", "--image", str(image), "--json",
                 password=h.PASSWORD)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert (result["rows_read"], result["rows_imported"], result["rows_excepted"]) == (6, 5, 1)
    internal = home / "data" / "inbound" / job / "internal"
    target = internal / "shikyu_yotei_torikomi.csv"
    assert Path(result["import_file"]) == target
    # Oracle: the rows as made, the one without 氏名 left out, read back with the csv module from CP932.
    expected = [[r[c] for c in IMPORT_COLUMNS] for i, r in enumerate(table) if i != 3]
    body = target.read_bytes()
    assert list(csv.reader(io.StringIO(body.decode("cp932"), newline=""))) == expected
    assert body.endswith(b"\r\n") and body.count(b"\r\n") == 5
    assert target.stat().st_mode & 0o777 == 0o600 and internal.stat().st_mode & 0o777 == 0o700
    exceptions = (internal / "exceptions.csv").read_text(encoding="utf-8-sig")
    assert "5,氏名,required.missing" in exceptions  # source line 5 (header is line 1), field, code — no value
    assert "見本" not in exceptions
    read = [e for e in entries(home) if e.type == "inbound.read"]
    assert len(read) == 1 and read[0].subject == {"job": job, "medium": medium}
    pay = read[0].payload
    assert pay["sha256"] == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert pay["member_sha256"] == hashlib.sha256(h.csv_bytes(table)).hexdigest()
    assert pay["import_sha256"] == hashlib.sha256(body).hexdigest() and pay["import_bytes"] == len(body)
    assert pay["rows_read"] == pay["rows_imported"] + pay["rows_excepted"]
    assert pay["counts"] == {"required.missing": 1}
    ledger_bytes = b"".join(e.data for e in entries(home))
    assert "見本".encode() not in ledger_bytes and h.PASSWORD.encode() not in ledger_bytes


def test_zip_given_directly(home: Path, tmp_path: Path) -> None:
    """``--image`` also takes the vendor's ZIP itself; a second read of it is refused (exit 6)."""
    archive = h.seven_zip(tmp_path, "v.zip", {h.DATA_NAME: h.csv_bytes(h.rows(3))})
    got = receive(home, archive, 3, "--on", YESTERDAY)
    notice(home, got["job"])
    first = h.run(home, "intake", "ninpu-kyufu", "--staff", "S001", "--image", str(archive), password=h.PASSWORD)
    assert first.returncode == 0, first.stderr
    assert "読取り: 3 行 → 取込み 3 行 + 除外 0 行" in first.stdout
    again = h.run(home, "intake", "ninpu-kyufu", "--staff", "S001", "--image", str(archive), password=h.PASSWORD)
    assert again.returncode == 6 and "[intake.already_read]" in again.stderr


def test_notice_on_the_medium_day_refused(home: Path, tmp_path: Path) -> None:
    """The notice cannot be received on the day its medium was (exit 6); nothing is recorded."""
    archive = h.seven_zip(tmp_path, "v.zip", {h.DATA_NAME: h.csv_bytes(h.rows(2))})
    got = receive(home, archive, 2)
    proc = h.run(home, "intake", "ninpu-kyufu", "--staff", "S001", "--notice", "--handler", "V01-H2", "--yes")
    assert proc.returncode == 6 and "[intake.same_day]" in proc.stderr, proc.stderr
    assert "別の機会" in proc.stderr
    assert [e.type for e in entries(home)] == ["inbound.received"]
    assert got["medium"].endswith("-M1")


def test_read_before_notice_refused_without_asking(home: Path, tmp_path: Path) -> None:
    """Reading before the notice is recorded is refused (exit 6) before any password is asked for."""
    archive = h.seven_zip(tmp_path, "v.zip", {h.DATA_NAME: h.csv_bytes(h.rows(2))})
    receive(home, archive, 2, "--on", YESTERDAY)
    proc = h.run(home, "intake", "ninpu-kyufu", "--staff", "S001", "--image", str(archive))
    assert proc.returncode == 6 and "[intake.notice_missing]" in proc.stderr


def test_password_only_from_a_terminal_or_descriptor(home: Path, tmp_path: Path) -> None:
    """Without a terminal and without --password-fd the read is refused (exit 4): no password from elsewhere."""
    archive = h.seven_zip(tmp_path, "v.zip", {h.DATA_NAME: h.csv_bytes(h.rows(2))})
    got = receive(home, archive, 2, "--on", YESTERDAY)
    notice(home, got["job"])
    proc = h.run(home, "intake", "ninpu-kyufu", "--staff", "S001", "--image", str(archive))
    assert proc.returncode == 4 and "[intake.no_tty]" in proc.stderr


def test_count_differs_from_the_vendor_slip(home: Path, tmp_path: Path) -> None:
    """Rows read must equal the count declared at receipt: otherwise exit 7 and no file is written."""
    archive = h.seven_zip(tmp_path, "v.zip", {h.DATA_NAME: h.csv_bytes(h.rows(3))})
    got = receive(home, archive, 4, "--on", YESTERDAY)
    notice(home, got["job"])
    proc = h.run(home, "intake", "ninpu-kyufu", "--staff", "S001", "--image", str(archive), password=h.PASSWORD)
    assert proc.returncode == 7 and "[intake.count_mismatch]" in proc.stderr
    assert not (home / "data" / "inbound" / got["job"]).exists()


def test_inbound_medium_handed_back_and_notice_destroyed(home: Path, tmp_path: Path) -> None:
    """The received medium goes back by custody handover; its notice not the same day (exit 6), destroyed instead."""
    archive = h.seven_zip(tmp_path, "v.zip", {h.DATA_NAME: h.csv_bytes(h.rows(2))})
    got = receive(home, archive, 2, "--on", YESTERDAY)
    notice(home, got["job"])
    medium, notice_id = got["medium"], got["job"] + "-N1"
    out = h.run(home, "custody", "handover", "--medium", medium, "--handler", "V01-H1", "--quantity", "2",
                "--bag", "BAG-7", "--staff", "S001", "--yes")
    assert out.returncode == 0, out.stderr
    assert "V01" in out.stdout and list((home / "data" / "ledger" / "receipts").glob(f"*{medium}.pdf"))
    same = h.run(home, "custody", "handover", "--notice", notice_id, "--handler", "V01-H1", "--quantity", "2",
                 "--bag", "BAG-8", "--staff", "S001", "--yes")
    assert same.returncode == 6 and "[custody.same_day]" in same.stderr
    gone = h.run(home, "custody", "destroy", "--notice", notice_id, "--witness", "S002", "--staff", "S001", "--yes")
    assert gone.returncode == 0, gone.stderr
    kinds = [e.type for e in entries(home)]
    assert kinds == ["inbound.received", "inbound.notice_received", "medium.handed_over", "notice.destroyed"]


def test_read_from_a_drive(home: Path, disc: tuple[Path, Path, list[list[str]]]) -> None:
    """``--device`` reads the disc from a drive (here xorriso's stdio: pseudo-drive, a file) like an image."""
    image, _archive, _table = disc
    got = receive(home, image, 6, "--on", YESTERDAY)
    notice(home, got["job"])
    proc = h.run(home, "intake", "ninpu-kyufu", "--staff", "S001", "--device", f"stdio:{image}", "--json",
                 password=h.PASSWORD, lang="en")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["rows_imported"] == 5
