"""``handoff init``: a new site folder with its configuration, data folder, key and ledger.

Refuses any folder that already holds a site or a ledger: an existing key or ledger is never replaced, because
the paper already printed with its checkpoints would stop matching.

The shipped ``site.toml`` is the template. Its example contracts and certifications carry fixed dates; the copy
``init`` writes has them moved to the fiscal year (1 April to 31 March) of the day it runs, so a new site can run
a job and hand it over on any date, whatever year the template was written in.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from handoff.errors import StateError
from handoff.ledger.paths import LedgerPaths, SignedCheckpoint

_DATE = r"\d{4}-\d{2}-\d{2}"
# The keys whose dates init rewrites; the rest of the template is copied as it is.
_CONTRACT_START = re.compile(rf"^(contract_start\s*=\s*){_DATE}", re.MULTILINE)
_CONTRACT_END = re.compile(rf"^(contract_end\s*=\s*){_DATE}", re.MULTILINE)
_EXPIRES = re.compile(rf"(\bexpires\s*=\s*)({_DATE})")


def init_site(target: Path, today: dt.date | None = None) -> tuple[Path, SignedCheckpoint]:
    """Create the site in ``target``; return the key file path and the first (empty-tree) checkpoint.
    ``today``: the day whose fiscal year the example contracts cover (default: today in Japan)."""
    from handoff.config import PIPELINES, SITE_FILE, builtin_site_files, load_site
    from handoff.contract import TOKYO
    from handoff.fs import make_dir, write_atomic
    from handoff.ledger.service import Ledger

    site_file = target / SITE_FILE
    if site_file.exists():
        raise StateError("ledger.site_exists", path=str(target))
    make_dir(target)
    make_dir(target / PIPELINES)
    builtin = builtin_site_files()
    for name, content in builtin.items():
        # A programme file already in the folder is the ward's own: it is kept, not replaced by the example.
        if name != SITE_FILE and not (target / name).exists():
            write_atomic(target / name, content)
    day = today or dt.datetime.now(TOKYO).date()
    write_atomic(site_file, dated_template(builtin[SITE_FILE].decode("utf-8"), day).encode("utf-8"))
    try:
        site = load_site(target)
        paths = LedgerPaths.of(site)
        if paths.root.exists() and any(paths.root.iterdir()):
            raise StateError("ledger.site_exists", path=str(paths.root))
        make_dir(site.data_path)
        with Ledger.create(site) as ledger:
            checkpoint = ledger.current_checkpoint()
    except BaseException:
        # Without site.toml the folder is not a site, so an interrupted init can be run again.
        site_file.unlink()
        raise
    return paths.signer, checkpoint


def fiscal_year(day: dt.date) -> int:
    """The fiscal year (年度) ``day`` falls in: 2026 runs from 2026-04-01 to 2027-03-31."""
    return day.year if day.month >= 4 else day.year - 1


def example_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The example contract: from the start of today's fiscal year to the end of tomorrow's. On any day but
    31 March that is the current fiscal year; on 31 March it runs on a year, so a site made that day can still
    hand a password notice over on the next day, as the rules require of a medium's notice."""
    start = dt.date(fiscal_year(today), 4, 1)
    end = dt.date(fiscal_year(today + dt.timedelta(days=1)) + 1, 3, 31)
    return start, end


def dated_template(text: str, today: dt.date) -> str:
    """The template ``site.toml`` with the example contracts set to :func:`example_period`; an example
    certification that would lapse before a year after the contract's end is moved to that day (so neither a
    handover nor the expiry warning of ``handoff due`` falls inside the contract)."""
    start, end = example_period(today)
    least = dt.date(end.year + 1, 3, 31)

    def expiry(m: re.Match[str]) -> str:
        return m.group(1) + max(dt.date.fromisoformat(m.group(2)), least).isoformat()

    text = _CONTRACT_START.sub(lambda m: m.group(1) + start.isoformat(), text)
    text = _CONTRACT_END.sub(lambda m: m.group(1) + end.isoformat(), text)
    return _EXPIRES.sub(expiry, text)
