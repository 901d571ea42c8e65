"""One storage contract, one suite: every test runs on SQLite and on PostgreSQL (HANDOFF_TEST_PG_URL)."""

from __future__ import annotations

import datetime as dt

import pytest

from handoff.config import SiteConfig
from handoff.errors import StateError
from handoff.ledger.backends import open_store
from handoff.ledger.events import Draft
from handoff.ledger.merkle import leaf_hash, root_hash
from handoff.ledger.paths import LedgerPaths
from handoff.ledger.service import Ledger, store_target
from handoff.ledger.store import Row, Store, StoredCheckpoint

from .helpers import STAFF, jst, prepare


def _open(site: SiteConfig) -> Store:
    return open_store(site.ledger.backend, store_target(site, LedgerPaths.of(site)))


def _row(seq: int, job: str | None = "J9", item: str | None = None) -> Row:
    data = f'{{"seq":{seq}}}'.encode()
    return Row(seq, "2026-06-01T00:00:00.000000Z", "vendor.inspected", job, item, data, leaf_hash(data))


def _inspect(day: int) -> Draft:
    return Draft("vendor.inspected", {"vendor": "V01"}, {"performed_on": "2026-06-01", "result": "良"}, STAFF, jst(day))


def test_created_store_has_meta_and_the_empty_checkpoint(site: SiteConfig) -> None:
    """After create: meta holds origin and verifier key; one checkpoint of the empty tree; size 0."""
    with _open(site) as store:
        meta = store.meta()
        assert meta["origin"] == site.ledger.origin
        assert meta["verifier"].startswith(site.ledger.origin + "+")
        assert store.size() == 0 and store.count() == 0
        [first] = store.checkpoints()
        assert (first.size, first.root) == (0, root_hash([]))


def test_creating_twice_and_opening_a_missing_ledger_are_refused(site: SiteConfig) -> None:
    """create on an existing ledger is a StateError; so is opening where no ledger exists."""
    with pytest.raises(StateError) as exc:
        open_store(site.ledger.backend, store_target(site, LedgerPaths.of(site)), create=True)
    assert exc.value.code == "ledger.exists"
    if site.ledger.backend == "sqlite":
        with pytest.raises(StateError) as missing:
            open_store("sqlite", str(site.home / "nowhere.sqlite"))
        assert missing.value.code == "ledger.not_initialised"
        assert not (site.home / "nowhere.sqlite").exists()


def test_rows_read_back_in_sequence_with_indexes(site: SiteConfig) -> None:
    """Inserted rows come back byte for byte, by range, by job, by item, and in pages."""
    rows = [_row(i, job="J9" if i % 2 else "J8", item=f"M{i % 3}") for i in range(25)]
    with _open(site) as store:
        with store.write() as tx:
            tx.insert(rows)
            tx.add_checkpoint(StoredCheckpoint(25, root_hash([r.data for r in rows]), "note"))
        assert store.size() == 25
        assert list(store.iter_rows(batch=4)) == rows
        assert list(store.iter_rows(start=20, batch=3)) == rows[20:]
        assert store.rows_for(job="J8") == [r for r in rows if r.job == "J8"]
        assert store.rows_for(item="M1") == [r for r in rows if r.item == "M1"]
        assert store.row(7) == rows[7] and store.row(99) is None
        assert store.leaf_hashes(5, 9) == [r.leaf_hash for r in rows[5:9]]
        assert store.latest_checkpoint() == StoredCheckpoint(25, root_hash([r.data for r in rows]), "note")


@pytest.mark.parametrize("batch", [1, 4, 5, 30])
def test_raw_pages_give_every_entry_once_in_order(site: SiteConfig, batch: int) -> None:
    """raw_pages (verify's reader, fetching ahead where it can) gives every entry once, in order, as stored."""
    rows = [_row(i, job="J9", item=f"M{i % 3}") for i in range(20)]
    with _open(site) as store:
        with store.write() as tx:
            tx.insert(rows)
        with store.snapshot():
            pages = list(store.raw_pages(batch=batch, fetch_ahead=True))
    assert all(0 < len(p) <= batch for p in pages)
    got = [entry for page in pages for entry in page]
    assert [int(e[0]) for e in got] == list(range(20))
    assert [(bytes(e[5]), bytes(e[6])) for e in got] == [(r.data, r.leaf_hash) for r in rows]


def test_failed_write_rolls_back_everything(site: SiteConfig) -> None:
    """An exception inside write() leaves neither rows nor checkpoints behind."""
    with _open(site) as store:
        with pytest.raises(RuntimeError), store.write() as tx:
            tx.insert([_row(0), _row(1)])
            tx.add_checkpoint(StoredCheckpoint(2, b"\0" * 32, "n"))
            raise RuntimeError("abort")
        assert store.size() == 0 and len(store.checkpoints()) == 1


def test_duplicate_sequence_is_refused(site: SiteConfig) -> None:
    """The sequence number is a primary key: a second row 0 cannot be inserted."""
    with _open(site) as store:
        with store.write() as tx:
            tx.insert([_row(0)])
        with pytest.raises(Exception, match=r"(?i)unique|duplicate"), store.write() as tx:
            tx.insert([_row(0)])


TAMPERING = ["UPDATE {e} SET type = 'x'", "DELETE FROM {e}", "UPDATE {m} SET value = 'x'", "DELETE FROM {c}"]


@pytest.mark.parametrize("statement", [*TAMPERING, "UPDATE {c} SET note = 'x'"])
def test_update_and_delete_are_refused_by_triggers(site: SiteConfig, statement: str) -> None:
    """The database itself refuses UPDATE and DELETE on entries, checkpoints and meta."""
    with _open(site) as store:
        with store.write() as tx:
            tx.insert([_row(0)])
        with pytest.raises(Exception, match="append-only"), store.write():
            store._exec(statement)
        assert store.count() == 1 and len(store.checkpoints()) == 1


def test_truncate_is_refused_on_postgresql(site: SiteConfig) -> None:
    """TRUNCATE bypasses row triggers, so PostgreSQL has a statement trigger for it too."""
    if site.ledger.backend != "postgresql":
        pytest.skip("SQLite has no TRUNCATE statement")
    with _open(site) as store, pytest.raises(Exception, match="append-only"), store.write():
        store._exec("TRUNCATE {e}")


def test_snapshot_does_not_see_later_appends(site: SiteConfig) -> None:
    """A verify reading inside snapshot() sees one consistent state, even while another writer appends."""
    with _open(site) as reader, _open(site) as writer:
        with reader.snapshot():
            before = reader.count()
            with writer.write() as tx:
                tx.insert([_row(0)])
            assert reader.count() == before == 0
        assert reader.count() == 1


def test_ledger_appends_verify_and_roots_are_backend_independent(site: SiteConfig) -> None:
    """Through the service: entries verify, and the root depends only on the entries, not on the backend."""
    with Ledger.open(site) as ledger:
        prepare(ledger)
        entries = ledger.record_many([_inspect(2), _inspect(3)])
        report = ledger.verify()
        data = [e.data for e in ledger.entries()]
    assert [e.seq for e in entries] == [5, 6]
    assert report.entries == 7 and report.root == root_hash(data)
    assert report.latest is not None and report.latest.root == report.root


def test_batch_is_all_or_nothing(site: SiteConfig) -> None:
    """record_many with one refused draft writes none of the batch."""
    from handoff.errors import CustodyError

    bad = Draft("vendor.inspected", {"vendor": "V99"}, {"performed_on": "2026-06-01", "result": "x"}, STAFF, jst(2))
    with Ledger.open(site) as ledger:
        with pytest.raises(CustodyError):
            ledger.record_many([_inspect(2), bad])
        assert ledger.store.size() == 0
        assert ledger.current_checkpoint().size == 0


def test_times_are_stored_utc_and_shown_jst(site: SiteConfig) -> None:
    """The entry keeps UTC (Z); Entry.time_jst gives the Tokyo wall clock."""
    with Ledger.open(site) as ledger:
        e = ledger.record_many([_inspect(2)])[0]
    assert b'"time":"2026-06-02T01:00:00.000000Z"' in e.data
    assert e.time_jst.hour == 10 and e.time_jst.utcoffset() == dt.timedelta(hours=9)
