"""The header row of a delimited or xlsx export: every declared column once, nothing else."""

from __future__ import annotations

from handoff.errors import InputError
from handoff.programme import SourceSpec


def check_header(names: list[str], src: SourceSpec) -> dict[str, int]:
    """Each field's column index; a duplicate, missing or unexpected column is an InputError naming it."""
    declared = [c.column for c in src.columns]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputError("input.header_duplicate", columns="、".join(dupes))
    missing = [n for n in declared if n not in names]
    unexpected = [n for n in names if n not in declared]
    if missing or unexpected:
        raise InputError(
            "input.header_mismatch",
            missing="、".join(missing) or "—",
            unexpected="、".join(unexpected) or "—",
        )
    return {c.field: names.index(c.column) for c in src.columns}
