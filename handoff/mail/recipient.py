"""送付先: where a piece goes when it is not the 住民票 address (a guardian's, a care home's, 「○○様方」).

A programme declares the 送付先 fields in ``[recipient] send_to`` (roles ``postal``, ``address``, ``katagaki``,
``name``, ``care``) and the 方書 of the 住民票 address in ``[recipient] katagaki``. A row whose 送付先住所 is
not blank goes to its 送付先: its 郵便番号, 住所, 方書 and 様方 (a blank 送付先氏名 keeps the row's own name, as
a piece to 「○○様方」 is still addressed to the recipient). A row without one stays at its own address.

Householding, the postal sort, the window lines and the proof read the destination; the programme's own
fields keep their values (a 医療証 still prints the 住民票 address). Householding stores the destination in
the ``_to_*`` columns, which never reach the vendor file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from handoff.errors import ConfigError
from handoff.mail import address_fields

if TYPE_CHECKING:
    import pandas as pd

    from handoff.programme import ProgramSpec

Role = Literal["postal", "address", "katagaki", "name", "care"]
ROLES: tuple[Role, ...] = ("postal", "address", "katagaki", "name", "care")
TO = {role: f"_to_{role}" for role in ROLES}  # householding's destination columns
HONORIFIC = " 様"  # written after a name where handoff writes the name line (the proof, 連名's 氏名1..N)


def declares(spec: ProgramSpec) -> bool:
    """Whether the programme has 送付先 fields."""
    return bool(spec.recipient.send_to)


@dataclass(frozen=True)
class Fields:
    """The fields a destination's parts come from (for findings): its own, or the 送付先 ones."""

    postal: str
    address: str
    katagaki: str
    name: str
    care: str


@dataclass(frozen=True)
class Destination:
    """Each row's 郵便番号, 住所, 方書, 氏名 and 様方 as the piece is addressed; whether it goes to its 送付先; and
    the fields behind them, its own (``own``) and the 送付先 ones (``away``)."""

    postal_values: list[str]
    address_values: list[str]
    katagaki_values: list[str]
    name_values: list[str]
    care_values: list[str]
    going: list[bool]
    own: Fields
    away: Fields

    def fields(self, going: bool) -> Fields:
        """The fields a row's destination comes from."""
        return self.away if going else self.own


def check(spec: ProgramSpec, table: pd.DataFrame) -> None:
    """The 方書 and 送付先 fields are declared and reached this table (approved items only); else the programme
    does not run."""
    declared = {c.field for c in spec.source.columns}
    named = [spec.recipient.katagaki, *spec.recipient.send_to.values()]
    for name in named:
        if name and (name not in declared or name not in table.columns):
            raise ConfigError("mail.send_to_field", programme=spec.id, field=name)
    if spec.recipient.send_to and not spec.recipient.send_to.get("address"):
        raise ConfigError("mail.send_to_field", programme=spec.id, field="send_to.address")


def _values(table: pd.DataFrame, name: str) -> list[str]:
    if not name:
        return [""] * len(table)
    return [str(v) for v in table[name].fillna("").astype("str").tolist()]


def destination(table: pd.DataFrame, spec: ProgramSpec) -> Destination:
    """Each row's destination: its 送付先 when its 送付先住所 is not blank, else its own address."""
    check(spec, table)
    own = address_fields(spec)
    home = [_values(table, n) for n in (own.postal, own.address, spec.recipient.katagaki, own.name)]
    send = spec.recipient.send_to
    mine = Fields(own.postal, own.address, spec.recipient.katagaki, own.name, "")
    if not send:
        return Destination(home[0], home[1], home[2], home[3], [""] * len(table), [False] * len(table), mine, mine)
    to = {role: _values(table, send.get(role, "")) for role in ROLES}
    going = [bool(a.strip()) for a in to["address"]]

    def pick(role: Role, mine: list[str], keep_own_when_blank: bool = False) -> list[str]:
        return [t if g and not (keep_own_when_blank and not t.strip()) else m
                for g, t, m in zip(going, to[role], mine, strict=True)]

    care = [c if g else "" for g, c in zip(going, to["care"], strict=True)]
    return Destination(
        pick("postal", home[0]), pick("address", home[1]), pick("katagaki", home[2]),
        pick("name", home[3], keep_own_when_blank=True), care, going, mine,
        Fields(send.get("postal", own.postal), send["address"], send.get("katagaki", spec.recipient.katagaki),
               send.get("name", own.name), send.get("care", "")),
    )


def addressed_names(table: pd.DataFrame, spec: ProgramSpec, name: str) -> list[str]:
    """Each row's name field ``name`` as its piece is addressed: the 送付先氏名 of a row going to its 送付先 when
    ``name`` is the address block's name (as the proof addresses it), else the field as it is."""
    if declares(spec) and name == address_fields(spec).name:
        return destination(table, spec).name_values
    return _values(table, name)


def with_destination(table: pd.DataFrame, spec: ProgramSpec) -> pd.DataFrame:
    """``table`` with the ``_to_*`` columns when the programme declares 送付先 (else ``table`` itself)."""
    if not declares(spec):
        return table
    dest = destination(table, spec)
    out = table.copy(deep=False)
    for role, values in zip(ROLES, (dest.postal_values, dest.address_values, dest.katagaki_values,
                                    dest.name_values, dest.care_values), strict=True):
        out[TO[role]] = values
    return out


def column(table: pd.DataFrame, role: Role, own: str) -> str:
    """The column holding ``role`` of each piece's destination: ``_to_<role>`` when householding made it, else
    the programme's own field ``own``."""
    return TO[role] if TO[role] in table.columns else own


def barcode_columns(table: pd.DataFrame, spec: ProgramSpec) -> tuple[pd.Series, pd.Series]:
    """(郵便番号, 住所) of each row's destination for the customer barcode. The 住所表示番号 takes a building's
    room number too (manual p17), so a declared 方書 follows the address after a blank. Without 送付先 and 方書,
    the programme's own columns as they are."""
    own = address_fields(spec)
    postal = table[column(table, "postal", own.postal)]
    address = table[column(table, "address", own.address)]
    katagaki = column(table, "katagaki", spec.recipient.katagaki) if spec.recipient.katagaki or declares(spec) else ""
    if not katagaki:
        return postal, address
    joined = address.fillna("").astype("str") + "\u3000" + table[katagaki].fillna("").astype("str")
    return postal, joined.str.rstrip("\u3000")
