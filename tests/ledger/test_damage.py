"""Damaged stored data is an IntegrityError (exit 7) at the store boundary, never a driver error or "not
initialised"; and the checkpoint file outside the database is required on both backends."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from handoff.config import SiteConfig
from handoff.errors import ExitCode, IntegrityError, StateError
from handoff.ledger.paths import LedgerPaths
from handoff.ledger.service import Ledger

from .conftest import PG_URL, write_site
from .helpers import STAFF, jst, prepare

MEDIUM_CABINET = "媒体用キャビネットA"


def filled(site: SiteConfig) -> SiteConfig:
    with Ledger.open(site) as ledger:
        prepare(ledger)
    return site


def sql(site: SiteConfig, *statements: str) -> None:
    """Run statements on the site's store as someone with direct access would (append-only triggers dropped)."""
    if site.ledger.backend == "postgresql":
        import psycopg

        from handoff.ledger.store_pg import split_url

        dsn, schema = split_url(site.ledger.url)
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"DROP TRIGGER entries_no_change ON {schema}.entries")
            for stmt in statements:
                conn.execute(stmt.format(s=schema + "."))
        return
    lite = sqlite3.connect(LedgerPaths.of(site).db)
    lite.execute("DROP TRIGGER entries_no_update")
    for stmt in statements:
        lite.execute(stmt.format(s=""))
    lite.commit()
    lite.close()


def integrity(action: Callable[[], object]) -> IntegrityError:
    with pytest.raises(IntegrityError) as exc:
        action()
    assert int(exc.value.exit_code) == int(ExitCode.INTEGRITY) == 7
    return exc.value


def _entries(site: SiteConfig) -> object:
    with Ledger.open(site) as ledger:
        return list(ledger.entries())


def _verify(site: SiteConfig) -> object:
    with Ledger.open(site) as ledger:
        return ledger.verify()


def _store_medium(site: SiteConfig) -> object:
    with Ledger.open(site) as ledger:
        return ledger.record("medium.stored", {"medium": "J1-M1"}, {"cabinet": MEDIUM_CABINET}, STAFF, at=jst(2))


READERS_AND_WRITER = [_entries, _verify, _store_medium]


@pytest.mark.parametrize("action", READERS_AND_WRITER, ids=["entries", "verify", "record"])
def test_entry_bytes_stored_as_text_are_an_altered_entry(site: SiteConfig, action: Callable[..., object]) -> None:
    """The job's first entry retyped to TEXT (same characters): reading, verifying and recording all refuse it."""
    filled(site)
    retype = ("UPDATE {s}entries SET data = CAST(data AS TEXT) WHERE seq = 0" if site.ledger.backend == "sqlite"
              else "ALTER TABLE {s}entries ALTER COLUMN data TYPE text USING encode(data, 'escape')")
    sql(site, retype)
    err = integrity(lambda: action(site))
    assert err.code == "ledger.entry_altered"
    assert err.params == {"seq": 0} or site.ledger.backend == "postgresql"  # there every row was retyped


def test_a_job_entry_edited_without_its_hash_stops_a_custody_record(site: SiteConfig) -> None:
    """A custody rule never judges an edited row: the job's quantity changed in place is refused as altered."""
    filled(site)
    sql(site, "UPDATE {s}entries SET data = CAST(replace(data, '\"quantity\":100', '\"quantity\":999') AS BLOB)"
        " WHERE seq = 0"
        if site.ledger.backend == "sqlite" else
        "UPDATE {s}entries SET data = convert_to(replace(convert_from(data, 'UTF8'), '\"quantity\":100',"
        " '\"quantity\":999'), 'UTF8') WHERE seq = 0")
    err = integrity(lambda: _store_medium(site))
    assert (err.code, err.params) == ("ledger.entry_altered", {"seq": 0})


@pytest.mark.parametrize("damage", ["garbage", "half"])
@pytest.mark.parametrize("action", READERS_AND_WRITER, ids=["entries", "verify", "record"])
def test_a_damaged_sqlite_file_is_store_damaged(sqlite_site: SiteConfig, damage: str,
                                                action: Callable[..., object]) -> None:
    """Garbage over the file or the file cut in half: ledger.store_damaged naming the file and what to do."""
    with Ledger.open(sqlite_site) as ledger:
        for day in range(1, 29):
            payload = {"performed_on": "2026-06-01", "result": "良" * 60}
            ledger.record("vendor.inspected", {"vendor": "V01"}, payload, STAFF, at=jst(day))
    db = LedgerPaths.of(sqlite_site).db
    size = db.stat().st_size
    if damage == "garbage":
        db.write_bytes(os.urandom(size))
    else:
        os.truncate(db, size // 2)
    before = db.read_bytes()
    err = integrity(lambda: action(sqlite_site))
    assert (err.code, err.params) == ("ledger.store_damaged", {"location": str(db)})
    assert "バックアップ" in err.message("ja") and "keep the damaged file" in err.message("en").lower()
    assert db.read_bytes() == before  # the damaged file is kept as it was, for the auditor


def test_a_deleted_sqlite_file_with_the_checkpoint_file_present_is_store_missing(sqlite_site: SiteConfig) -> None:
    """The checkpoint file says entries existed: the missing database is exit 7, not "run handoff init"."""
    filled(sqlite_site)
    paths = LedgerPaths.of(sqlite_site)
    paths.db.unlink()
    err = integrity(lambda: Ledger.open(sqlite_site))
    assert (err.code, err.params) == ("ledger.store_missing", {"location": str(paths.db), "size": 5})
    assert not paths.db.exists()
    paths.checkpoint.unlink()  # no trace of a ledger ever created here: the site is only not initialised
    with pytest.raises(StateError) as exc:
        Ledger.open(sqlite_site)
    assert exc.value.code == "ledger.not_initialised"


@pytest.mark.skipif(not PG_URL, reason="HANDOFF_TEST_PG_URL is not set")
def test_a_dropped_postgresql_table_is_store_damaged_without_the_password(tmp_path: Path) -> None:
    """A table gone from the schema is ledger.store_damaged; the message names the URL without its password."""
    import secrets

    from .conftest import drop_schema

    schema = f"t_{secrets.token_hex(6)}"
    scheme, rest = PG_URL.split("://", 1)
    url = f"{scheme}://postgres:hunter2secret@{rest.split('@', 1)[-1]}"
    site = write_site(tmp_path / "site", "postgresql", f"{url}{'&' if '?' in url else '?'}schema={schema}")
    try:
        Ledger.create(site).close()
        filled(site)
        sql(site, "DROP TABLE {s}checkpoints")
        err = integrity(lambda: _store_medium(site))
    finally:
        drop_schema(schema)
    assert err.code == "ledger.store_damaged"
    assert "hunter2secret" not in err.message("ja") and "***" in str(err.params["location"])


def test_verify_and_append_need_the_checkpoint_file_on_both_backends(site: SiteConfig) -> None:
    """Without checkpoint.txt, verify and a record are exit 7 external_missing, and no new file is written."""
    filled(site)
    paths = LedgerPaths.of(site)
    paths.checkpoint.unlink()
    assert integrity(lambda: _verify(site)).code == "ledger.external_missing"
    assert integrity(lambda: _store_medium(site)).code == "ledger.external_missing"
    assert not paths.checkpoint.exists()
    with Ledger.open(site) as ledger:
        assert ledger.store.count() == 5


def test_an_unreadable_checkpoint_file_stops_an_append(sqlite_site: SiteConfig) -> None:
    """A checkpoint file written over with garbage is not replaced by the next record: exit 7, file kept."""
    filled(sqlite_site)
    paths = LedgerPaths.of(sqlite_site)
    paths.checkpoint.write_text("not a checkpoint\n", encoding="utf-8")
    assert integrity(lambda: _store_medium(sqlite_site)).code == "ledger.external_bad_signature"
    assert paths.checkpoint.read_text(encoding="utf-8") == "not a checkpoint\n"
