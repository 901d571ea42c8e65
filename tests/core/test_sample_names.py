"""Synthetic names: clean JIS X 0208 characters only, and as varied as a ward's own."""

from __future__ import annotations

import random
import unicodedata

from handoff.config import load_site
from handoff.sample import names


def test_name_kanji_raise_no_finding_of_their_own() -> None:
    """Every name kanji is JIS X 0208 (no vendor extension), its own NFKC form, and no 外字 table's key."""
    gaiji = {key for profile in load_site().vendor_profiles.values() for key in profile.gaiji}
    for pool in (names.SURNAME_KANJI, names.GIVEN_KANJI):
        assert len(set(pool)) == len(pool)
        assert names._clean(pool)
        assert all(unicodedata.normalize("NFKC", ch) == ch for ch in pool)
        assert not set(pool) & gaiji


def test_a_large_sample_holds_mostly_distinct_names() -> None:
    """Of 100,000 people, well over half have a name no one else has (the fixed lists alone gave 1,200)."""
    rng = random.Random(1)
    people = [names.person(rng) for _ in range(100_000)]
    assert len(set(people)) > 60_000
    assert all(p.count("\u3000") == 1 and len(p) <= 7 for p in people)
