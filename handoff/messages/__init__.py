"""The ja/en message catalogue. Japanese is the default; ``HANDOFF_LANG=en`` selects English.

Each area keeps its entries in its own module (``core``, ``jp``, ``mail``, ``package``, ``media``, ``ledger``,
``system``, ``help``);
this module merges them and refuses duplicate codes at import time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from handoff.messages import (
    audit,
    audit_cli,
    audit_report,
    certificate,
    core,
    custody,
    exclusions,
    inspection,
    intake,
    jp,
    ledger,
    mail,
    media,
    package,
    schedule,
    status,
    system,
)
from handoff.messages import help as cli_help

Catalogue = Mapping[str, tuple[str, str]]


def _merge(*parts: Catalogue) -> dict[str, tuple[str, str]]:
    merged: dict[str, tuple[str, str]] = {}
    for part in parts:
        for code, pair in part.items():
            if code in merged:
                raise RuntimeError(f"duplicate message code {code}")
            merged[code] = pair
    return merged


CATALOGUE: dict[str, tuple[str, str]] = _merge(
    core.MESSAGES, jp.MESSAGES, mail.MESSAGES, package.MESSAGES, media.MESSAGES, ledger.MESSAGES, system.MESSAGES,
    custody.MESSAGES, certificate.MESSAGES, inspection.MESSAGES, audit.MESSAGES, audit_cli.MESSAGES,
    audit_report.MESSAGES, schedule.MESSAGES, intake.MESSAGES, status.MESSAGES, exclusions.MESSAGES,
    cli_help.MESSAGES,
)


def current_lang() -> str:
    """``en`` when HANDOFF_LANG starts with en, otherwise ``ja``."""
    return "en" if os.environ.get("HANDOFF_LANG", "ja").lower().startswith("en") else "ja"


def render(code: str, lang: str | None = None, **params: object) -> str:
    """Text for ``code`` in ``lang``; an unknown code still yields a usable line (never raises)."""
    lang = lang or current_lang()
    pair = CATALOGUE.get(code)
    if pair is None:
        detail = ", ".join(f"{k}={v}" for k, v in sorted(params.items()))
        return f"{code} ({detail})" if detail else code
    template = pair[1] if lang == "en" else pair[0]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def t(code: str, **params: object) -> str:
    """Shorthand for :func:`render` in the current language."""
    return render(code, None, **params)
