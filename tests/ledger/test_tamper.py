"""Tampering with the SQLite file through the ``sqlite3`` command-line tool makes ``ledger verify`` exit 7.

Each case edits the database the way someone with file access would (dropping the append-only triggers first),
then runs the real CLI and checks the exit code and that the message names the first bad entry or checkpoint.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from handoff.config import SiteConfig
from handoff.errors import IntegrityError
from handoff.ledger import checkpoint as cp
from handoff.ledger.keys import Signer
from handoff.ledger.merkle import leaf_hash
from handoff.ledger.paths import LedgerPaths
from handoff.ledger.service import Ledger

from .helpers import STAFF, jst, prepare, run_cli

pytestmark = pytest.mark.skipif(shutil.which("sqlite3") is None, reason="needs the sqlite3 CLI (Debian: sqlite3)")
INTEGRITY = 7
ENTRIES = 10


@pytest.fixture
def ledger_site(sqlite_site: SiteConfig) -> SiteConfig:
    """A site whose ledger holds 10 entries, each appended on its own (one checkpoint per entry)."""
    with Ledger.open(sqlite_site) as ledger:
        prepare(ledger)
        for day in range(2, 7):
            payload = {"performed_on": f"2026-06-0{day}", "result": "良"}
            ledger.record("vendor.inspected", {"vendor": "V01"}, payload, STAFF, at=jst(day))
        assert ledger.store.size() == ENTRIES
    return sqlite_site


def db(site: SiteConfig) -> Path:
    return LedgerPaths.of(site).db


def sqlite(site: SiteConfig, script: str) -> None:
    """Run SQL through the sqlite3 command-line tool (not through Python's sqlite3 module)."""
    proc = subprocess.run(["sqlite3", str(db(site))], input=script, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def data_of(site: SiteConfig, seq: int) -> bytes:
    out = subprocess.run(
        ["sqlite3", str(db(site)), f"SELECT hex(data) FROM entries WHERE seq = {seq}"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    return bytes.fromhex(out)


def verify(site: SiteConfig, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_cli("ledger", "verify", *extra, home=str(site.home))


def assert_integrity(site: SiteConfig, code: str, names: str, *extra: str) -> None:
    """The CLI exits 7 naming ``code``; in-process, the library raises the same code (so mutation testing,
    which sees only this process, sees verify's own checks answer)."""
    proc = verify(site, *extra)
    assert proc.returncode == INTEGRITY, proc.stdout + proc.stderr
    assert f"[{code}]" in proc.stderr and names in proc.stderr, proc.stderr
    witnesses = [Path(extra[i + 1]).read_text(encoding="utf-8") for i, a in enumerate(extra) if a == "--witness"]
    with pytest.raises(IntegrityError) as raised, Ledger.open(site) as ledger:
        ledger.verify(witnesses)
    assert raised.value.code == code


NO_TRIGGERS = "DROP TRIGGER entries_no_update; DROP TRIGGER entries_no_delete;\n"


def rewrite_with_hash(site: SiteConfig, seq: int) -> None:
    """Change a value in entry ``seq`` and store the matching leaf hash, as a careful forger would."""
    new = data_of(site, seq).replace('"result":"良"'.encode(), '"result":"否"'.encode())
    assert new != data_of(site, seq)
    hashes = f"data = X'{new.hex()}', leaf_hash = X'{leaf_hash(new).hex()}'"
    sqlite(site, NO_TRIGGERS + f"UPDATE entries SET {hashes} WHERE seq = {seq};")


def test_untouched_ledger_verifies(ledger_site: SiteConfig) -> None:
    """The baseline: the same ledger untouched verifies with exit 0 and reports its size."""
    proc = verify(ledger_site)
    assert proc.returncode == 0, proc.stderr
    assert "記録 10 件" in proc.stdout


def test_changed_field_names_the_entry(ledger_site: SiteConfig) -> None:
    """Editing a value inside one entry's bytes is reported as that entry altered."""
    sqlite(
        ledger_site,
        NO_TRIGGERS + 'UPDATE entries SET data = CAST(replace(CAST(data AS TEXT), \'"result":"良"\','
        ' \'"result":"否"\') AS BLOB) WHERE seq = 7;',
    )
    assert_integrity(ledger_site, "ledger.entry_altered", "連番 7 ")


def test_changed_field_with_recomputed_hash_breaks_the_checkpoint(ledger_site: SiteConfig) -> None:
    """Recomputing the stored leaf hash does not help: the signed checkpoint after it no longer matches."""
    rewrite_with_hash(ledger_site, 7)
    assert_integrity(ledger_site, "ledger.checkpoint_mismatch", "件数 8 のチェックポイント")
    assert "連番 7〜7" in verify(ledger_site).stderr


@pytest.mark.parametrize("edit", [lambda d: d + b" ", lambda d: b" " + d, lambda d: d + b"{}"])
def test_bytes_around_the_entry_object_name_the_entry(ledger_site: SiteConfig, edit: Any) -> None:
    """Bytes added around an entry's JSON object (its leaf hash recomputed) make that entry altered."""
    new = edit(data_of(ledger_site, 6))
    hashes = f"data = X'{new.hex()}', leaf_hash = X'{leaf_hash(new).hex()}'"
    sqlite(ledger_site, NO_TRIGGERS + f"UPDATE entries SET {hashes} WHERE seq = 6;")
    assert_integrity(ledger_site, "ledger.entry_altered", "連番 6 ")


@pytest.mark.parametrize("column", ["type = 'vendor.inspected2'", "job = 'J-OTHER'", "time = '2026-06-09'"])
def test_index_column_disagreeing_with_the_bytes_names_the_entry(ledger_site: SiteConfig, column: str) -> None:
    """An index column that no longer says what the entry's own bytes say makes that entry altered."""
    sqlite(ledger_site, NO_TRIGGERS + f"UPDATE entries SET {column} WHERE seq = 8;")
    assert_integrity(ledger_site, "ledger.entry_altered", "連番 8 ")


def test_deleted_row_names_the_missing_entry(ledger_site: SiteConfig) -> None:
    """Deleting one row in the middle is reported as that entry missing."""
    sqlite(ledger_site, NO_TRIGGERS + "DELETE FROM entries WHERE seq = 4;")
    assert_integrity(ledger_site, "ledger.entry_missing", "連番 4 ")


def test_deleted_last_rows_with_their_checkpoints(ledger_site: SiteConfig) -> None:
    """Cutting off the tail and its checkpoints is caught by the checkpoint file outside the database."""
    sqlite(
        ledger_site,
        NO_TRIGGERS + "DROP TRIGGER checkpoints_no_delete; DELETE FROM entries WHERE seq >= 7;"
        " DELETE FROM checkpoints WHERE size > 7;",
    )
    assert_integrity(ledger_site, "ledger.external_truncated", "（件数 10）")


def test_deleted_last_rows_only(ledger_site: SiteConfig) -> None:
    """Cutting off the tail but leaving its checkpoints names the checkpoint that now points past the end."""
    sqlite(ledger_site, NO_TRIGGERS + "DELETE FROM entries WHERE seq >= 8;")
    assert_integrity(ledger_site, "ledger.truncated", "件数 9 のチェックポイント")


def test_inserted_row_is_not_covered_by_a_checkpoint(ledger_site: SiteConfig) -> None:
    """A well-formed row appended by hand (right seq, right hash) has no signed checkpoint."""
    obj = json.loads(data_of(ledger_site, 9))
    obj["seq"] = 10
    new = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    sqlite(ledger_site, f"INSERT INTO entries VALUES (10, '{obj['time']}', '{obj['type']}', NULL, 'V01',"
           f" X'{new.hex()}', X'{leaf_hash(new).hex()}');")  # fmt: skip
    assert_integrity(ledger_site, "ledger.unsigned_entries", "連番 10 以降")


def test_swapped_rows_name_the_first_position(ledger_site: SiteConfig) -> None:
    """Swapping two rows' contents (with their hashes) is caught: the sequence is inside the signed bytes."""
    sqlite(
        ledger_site,
        NO_TRIGGERS + "CREATE TEMP TABLE t AS SELECT seq, data, leaf_hash FROM entries WHERE seq IN (2, 5);"
        " UPDATE entries SET data = (SELECT data FROM t WHERE t.seq = 7 - entries.seq),"
        " leaf_hash = (SELECT leaf_hash FROM t WHERE t.seq = 7 - entries.seq) WHERE seq IN (2, 5);",
    )
    assert_integrity(ledger_site, "ledger.entry_misplaced", "2 番目の位置に連番 5")


def test_replaced_public_key_is_detected(ledger_site: SiteConfig) -> None:
    """Replacing the key in the database, even with every checkpoint re-signed by the new key, is caught."""
    forger = Signer.generate(ledger_site.ledger.origin)
    script = "DROP TRIGGER meta_no_update; DROP TRIGGER checkpoints_no_update;\n"
    script += f"UPDATE meta SET value = '{forger.verifier.text()}' WHERE key = 'verifier';\n"
    with Ledger.open(ledger_site) as ledger:
        for stored in ledger.store.checkpoints():
            note = cp.sign(cp.Checkpoint(ledger_site.ledger.origin, stored.size, stored.root), forger)
            script += f"UPDATE checkpoints SET note = '{note}' WHERE size = {stored.size};\n"
    sqlite(ledger_site, script)
    assert_integrity(ledger_site, "ledger.key_mismatch", "公開鍵")


def test_restored_backup_is_detected_by_the_checkpoint_file(ledger_site: SiteConfig, tmp_path: Path) -> None:
    """A database restored from an older backup (a truncation) no longer matches the checkpoint file."""
    backup = tmp_path / "backup.sqlite"
    sqlite(ledger_site, f".backup '{backup}'")
    with Ledger.open(ledger_site) as ledger:
        ledger.record("vendor.inspected", {"vendor": "V01"}, {"performed_on": "2026-06-08", "result": "良"}, STAFF)
    for suffix in ("-wal", "-shm"):
        Path(f"{db(ledger_site)}{suffix}").unlink(missing_ok=True)
    shutil.copy(backup, db(ledger_site))
    assert_integrity(ledger_site, "ledger.external_truncated", "（件数 11）")


def test_no_append_on_a_restored_backup(ledger_site: SiteConfig, tmp_path: Path) -> None:
    """Writers refuse to extend a database that is behind the checkpoint file, so the evidence is kept."""
    from handoff.errors import IntegrityError

    backup = tmp_path / "backup.sqlite"
    sqlite(ledger_site, f".backup '{backup}'")
    with Ledger.open(ledger_site) as ledger:
        ledger.record("vendor.inspected", {"vendor": "V01"}, {"performed_on": "2026-06-08", "result": "良"}, STAFF)
    held = LedgerPaths.of(ledger_site).checkpoint.read_bytes()
    for suffix in ("-wal", "-shm"):
        Path(f"{db(ledger_site)}{suffix}").unlink(missing_ok=True)
    shutil.copy(backup, db(ledger_site))
    with Ledger.open(ledger_site) as ledger, pytest.raises(IntegrityError) as exc:
        ledger.record("vendor.inspected", {"vendor": "V01"}, {"performed_on": "2026-06-09", "result": "良"}, STAFF)
    assert exc.value.code == "ledger.external_truncated"
    assert LedgerPaths.of(ledger_site).checkpoint.read_bytes() == held


def test_whole_data_folder_restored_is_caught_by_a_witness(ledger_site: SiteConfig, tmp_path: Path) -> None:
    """If the checkpoint file is rolled back too, the auditor's saved checkpoint (a witness) catches it."""
    folder = LedgerPaths.of(ledger_site).root
    saved = tmp_path / "saved-ledger"
    sqlite(ledger_site, "PRAGMA wal_checkpoint(TRUNCATE);")
    shutil.copytree(folder, saved)
    with Ledger.open(ledger_site) as ledger:
        ledger.record("vendor.inspected", {"vendor": "V01"}, {"performed_on": "2026-06-08", "result": "良"}, STAFF)
    witness = tmp_path / "auditor.txt"
    assert run_cli("ledger", "checkpoint", "--out", str(witness), home=str(ledger_site.home)).returncode == 0
    shutil.rmtree(folder)
    shutil.copytree(saved, folder)
    assert verify(ledger_site).returncode == 0  # self-consistent: only someone else's copy can tell
    assert_integrity(ledger_site, "ledger.witness_ahead", "11 件", "--witness", str(witness))


def test_forged_witness_is_rejected(ledger_site: SiteConfig, tmp_path: Path) -> None:
    """A checkpoint typed in from paper must carry this ledger's signature."""
    forged = tmp_path / "forged.txt"
    forged.write_text(cp.sign(cp.Checkpoint(ledger_site.ledger.origin, 3, b"\x00" * 32), Signer.generate("x")))
    assert_integrity(ledger_site, "ledger.witness_bad_signature", "1 番目", "--witness", str(forged))


def test_appending_on_top_of_a_tampered_head_is_refused(ledger_site: SiteConfig) -> None:
    """A writer never signs a new checkpoint over a rewritten tree (no laundering), by the file or the database."""
    from handoff.errors import IntegrityError

    rewrite_with_hash(ledger_site, 9)
    payload = {"performed_on": "2026-06-09", "result": "良"}
    with Ledger.open(ledger_site) as ledger, pytest.raises(IntegrityError) as exc:
        ledger.record("vendor.inspected", {"vendor": "V01"}, payload, STAFF)
    assert exc.value.code == "ledger.external_mismatch"
    LedgerPaths.of(ledger_site).checkpoint.unlink()
    with Ledger.open(ledger_site) as ledger, pytest.raises(IntegrityError) as exc:
        ledger.record("vendor.inspected", {"vendor": "V01"}, payload, STAFF)
    assert exc.value.code == "ledger.head_mismatch"
