"""Mail pieces: householding, the postal sort, barcodes, the vendor file, the piece manifest and the proof sheet.

The package module holds what they share: which fields form the address block, and a pause of the cycle
collector while they build many small objects.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from handoff.programme import FieldKind, ProgramSpec


@dataclass(frozen=True)
class AddressFields:
    """The fields printed in the address block: 郵便番号, 住所, 氏名 (empty when the programme has none)."""

    postal: str
    address: str
    name: str


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while building ~10^6 small lists/tuples that cannot form cycles.

    Every 700 container allocations CPython runs a collection that walks the young generation, and the
    older generations grow with the million-row table: building a large manifest would spend most of its
    time in the collector. Reference counting still frees everything.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def address_fields(spec: ProgramSpec) -> AddressFields:
    """The recipient's fields: among fields of each kind, one in ``recipient.key`` wins (保護者住所/保護者氏名
    over 児童氏名), else the first declared."""

    def pick(kind: FieldKind) -> str:
        names = [c.field for c in spec.source.columns if c.kind == kind]
        keyed = [n for n in names if n in spec.recipient.key]
        return (keyed or names or [""])[0]

    return AddressFields(pick("postal"), pick("address"), pick("name"))
