"""The site's ledger read without writing anything: every entry (each row checked against its leaf hash, as every
custody decision reads it) and the day the ledger began — what the work list and ``handoff due`` look at."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from handoff.config import SiteConfig
    from handoff.ledger.events import Entry
    from handoff.ledger.store import Store


def read_entries(site: SiteConfig) -> list[Entry]:
    """Every entry of the site's ledger, read from a store opened read-only (each row checked against its leaf
    hash, as every custody decision reads it)."""
    from handoff.ledger.drafts import entry_of

    with read_only(site) as store:
        return [entry_of(row) for row in store.iter_rows()]


def ledger_began(site: SiteConfig) -> dt.date:
    """The Japan date the site's ledger was created: a site owes no mailing cycle that opened before it existed."""
    with read_only(site) as store:
        return began(store)


def began(store: Store) -> dt.date:
    """The Japan date ``store`` was created (its ``created``)."""
    from handoff.contract import TOKYO
    from handoff.ledger.events import parse_time

    return parse_time(store.meta()["created"]).astimezone(TOKYO).date()


@contextlib.contextmanager
def read_only(site: SiteConfig) -> Iterator[Store]:
    """The site's ledger store opened read-only. A SQLite ledger is opened here directly: the audit's opener
    (``audit.integrity.read_only_store``) brings the signing keys' library with it, which a look at the work list
    does not need."""
    if site.ledger.backend == "postgresql":
        from handoff.audit.integrity import read_only_store

        with read_only_store(site) as store:
            yield store
        return
    from handoff.ledger.backends import open_store

    store = open_store("sqlite", str(sqlite_file(site)), read_only=True)
    try:
        yield store
    finally:
        store.close()


def sqlite_file(site: SiteConfig) -> Path:
    """``LedgerPaths.of(site).db``, named without importing the module that also loads the keys."""
    return site.data_path / "ledger" / "ledger.sqlite"
