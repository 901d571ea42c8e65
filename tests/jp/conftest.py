"""Each test of tests/jp starts with the jp modules' memo caches empty.

wareki.parse_with_warning, postal.lookup, address.town_pattern, mynumber.nfkc_sources and others keep their
answers for the life of the process. A test that asks for a value an earlier test (or an earlier run in the same
process: scripts/mutation forks its mutants from a process that has run the suite once) already asked for
would read the kept answer and never run the code it names, so it could not fail when that code is wrong.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest


def _clear_jp_caches() -> None:
    """Empty every functools cache held at module level by a handoff.jp module that has been imported."""
    for name, module in list(sys.modules.items()):
        if not name.startswith("handoff.jp.") or module is None:
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", None) == name:
                clear()


@pytest.fixture(autouse=True)
def fresh_jp_caches() -> Iterator[None]:
    """Run the test against empty caches, so it exercises the code rather than an earlier answer."""
    _clear_jp_caches()
    yield
