"""Running the reconciliation on a test ledger, and checking what it found."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from handoff.audit.checks import Reconciled, reconcile
from handoff.audit.model import Scope
from handoff.config import SiteConfig
from handoff.ledger.service import Ledger
from handoff.messages import CATALOGUE, render
from handoff.programme import ProgramSpec


def audit(ledger: Ledger, site: SiteConfig, programmes: Mapping[str, ProgramSpec], as_of: dt.date,
          **scope: object) -> Reconciled:
    """Every entry of ``ledger`` reconciled as of ``as_of`` (``scope``: fiscal_year, programme, vendor)."""
    return reconcile(list(ledger.entries()), site, programmes, Scope(as_of, **scope))  # type: ignore[arg-type]


def codes(result: Reconciled) -> list[str]:
    """The finding codes, after checking that each renders in both languages with the parameters it carries."""
    for f in result.findings:
        ja, en = CATALOGUE[f.code]
        named = set(re.findall(r"{(\w+)}", ja + en))
        assert named <= set(f.params), (f.code, named - set(f.params))
        for lang in ("ja", "en"):
            text = render(f.code, lang, **f.params)
            assert "{" not in text
            assert f.job is None or f.job in text
    return [f.code for f in result.findings]


def only(result: Reconciled, code: str) -> None:
    """Exactly one finding, of ``code``."""
    assert codes(result) == [code]


def seqs_of(result: Reconciled) -> Sequence[tuple[int, ...]]:
    return [f.seqs for f in result.findings]
