"""ProgramSpec: one council-approved programme, loaded from ``pipelines/<id>.toml`` into frozen models.

Fail closed at load time: an unknown key, a column mapped to an undeclared field, an output field that is not
approved, or an approved item that nothing produces is a ConfigError naming file, key and rule — the programme
does not start. The models and their cross-field checks are one unit: a check reads several tables of the same
file at once (the export's fields against the approvals, the output, the recipient key and the exclusion file).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from handoff.calendar_spec import Calendar
from handoff.config import config_error_from
from handoff.errors import ConfigError

FieldKind = Literal["text", "name", "address", "postal", "date", "number", "kouhi", "jukyusha", "amount", "code"]
DateFormat = Literal["wareki_digit", "wareki_letter", "wareki_dotted", "wareki_kanji", "yyyymmdd", "iso", "any"]

# Columns handoff itself adds for the vendor's machines; they carry no personal data.
SYSTEM_FIELDS: dict[str, str] = {
    "piece_seq": "封入連番",
    "piece_part": "分割番号",
    "doc_index": "封入内順",
    "docs_in_piece": "封入枚数",
    "control_code": "封入制御コード",
    "feeder_flags": "同封物フラグ",
    "cb_symbols": "カスタマバーコード",
    "cb_bars": "カスタマバーコード（バー）",
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Council(_Frozen):
    body: str
    reference: str
    date: str = ""  # as far as the seed says; empty when the seed gives none
    note: str = ""


class ApprovedItem(_Frozen):
    """An item exactly as the council document names it, and the field(s) that carry it."""

    item: str
    fields: list[str]
    assumed: bool = False  # True where the seed does not list the item itself (say why in ``note``)
    note: str = ""
    # The days the council's approval covers (both inclusive; None = open-ended): a job is judged against the
    # items approved on the day it was prepared, so an item approved later or withdrawn does not blur the past.
    approved_from: dt.date | None = None
    approved_until: dt.date | None = None

    def approved_on(self, day: dt.date) -> bool:
        return (self.approved_from is None or self.approved_from <= day) and (
            self.approved_until is None or day <= self.approved_until)


class FieldSpec(_Frozen):
    """A field read from the source: where it is, how it parses, what is required."""

    field: str
    label: str  # Japanese name for reports and prompts
    column: str = ""  # header name (csv/tsv/xlsx with header)
    position: int = Field(default=0, ge=0)  # 1-based column number when the source has no header
    start: int = Field(default=0, ge=0)  # fixed width: 1-based CP932 byte offset
    length: int = Field(default=0, ge=0)  # fixed width: bytes
    kind: FieldKind = "text"
    required: bool = False
    date_format: DateFormat = "any"
    sentinels: list[str] = Field(default_factory=list)  # declared "no value" markers (e.g. 9999999)
    personal: bool = True  # every field is personal unless declared otherwise


class SourceSpec(_Frozen):
    format: Literal["csv", "tsv", "fixed", "xlsx"]
    encoding: Literal["cp932", "utf-8", "utf-8-sig"] = "cp932"
    header: bool = True
    sheet: str = ""  # xlsx: sheet name, empty = the first
    record_bytes: int = Field(default=0, ge=0)  # fixed width: bytes per record (without line ending)
    columns: list[FieldSpec]


class SelectSpec(_Frozen):
    """Who receives this mailing. ``reference_date`` empty means the run date."""

    rule: Literal["all", "age_at_least", "child_medical", "field_equals"] = "all"
    birth_field: str = ""
    min_age: int = 0
    reference_date: dt.date | None = None
    field: str = ""
    values: list[str] = Field(default_factory=list)


class RecipientSpec(_Frozen):
    """``row_key`` must be unique per row; ``key`` groups rows into one mail piece (名寄せ)."""

    class Joint(_Frozen):
        """連名 (handoff.mail.joint): a piece holding documents of several people is addressed to them all, one
        name a line, in the order of the documents. In the programme file::

            [recipient.joint]
            field = "shimei"     # the name field (an approved item); each distinct name of the piece is one line
            max = 2              # the most names on one piece (2–5)
            family_once = true   # a family name the same as the line above's is written once (given names
                                 # aligned under it: 「山田 太郎 様」「　　　花子 様」); false: every full name

        A piece with more names than ``max``, or whose name lines do not fit the window, is addressed to its
        first name only (a warning finding, ``mail.joint_first_only``): nothing is cut.
        """

        field: str
        max: int = Field(default=2, ge=2, le=5)
        family_once: bool = True

    row_key: list[str]
    key: list[str]
    katagaki: str = ""  # 方書 (building and room) of the address, laid into the window on its own line
    # 送付先 (handoff.mail.recipient): role → field, roles postal, address, katagaki, name, care (様方/気付)
    send_to: dict[Literal["postal", "address", "katagaki", "name", "care"], str] = Field(default_factory=dict)
    joint: Joint | None = None  # 連名 ([recipient.joint]); None: a piece carries one name, as the 氏名 field has it

    def check_joint(self, spec: ProgramSpec, fail: Callable[[str, str], ConfigError]) -> None:
        """``check_programme``'s rules for 連名: the name is a declared, approved item (names are read after
        minimisation), not a key item (a piece per name never holds two), and the pieces are envelopes."""
        joint = self.joint
        if joint is None:
            return
        if joint.field not in spec.approved_fields:
            known = any(c.field == joint.field for c in spec.source.columns)
            raise fail("recipient.joint.field", "not_approved" if known else "unknown_field")
        if joint.field in self.key:
            raise fail("recipient.joint.field", "joint_name_in_key")
        if spec.postcard:  # a postcard is one row, so one name
            raise fail("recipient.joint", "joint_needs_envelopes")


class OutputField(_Frozen):
    field: str
    bytes: int = Field(default=0, ge=0)  # fixed width: exact bytes; CSV: maximum bytes (0 = no limit)
    style: Literal["text", "date_iso", "date_wareki", "digits"] = "text"
    align: Literal["left", "right"] = "left"


class OutputSpec(_Frozen):
    format: Literal["csv", "fixed"]
    header: bool = True  # CSV: write a header line of Japanese labels
    fields: list[OutputField]


class Limits(_Frozen):
    """How large an export the programme accepts. Past a limit the input is refused before it is read in full:
    a wrong or hostile file must not take minutes and gigabytes first. Raise a limit in the programme file
    (``[limits]``) when a real export outgrows it."""

    max_columns: int = Field(default=1_000, ge=1)  # columns of a CSV/TSV line or of an xlsx row
    max_rows: int = Field(default=2_000_000, ge=1)  # data rows (records) of any format
    # xlsx: cells of the sheet's used range (its last row × its widest row). openpyxl parses each cell in
    # Python, some tens of thousands a second: this bounds the time (a few minutes at most) and the memory.
    max_cells: int = Field(default=10_000_000, ge=1)


class Custody(_Frozen):
    """How long custody steps may take (days, counted from the event date of the step before): the auditor's
    deadlines. Set per programme in ``[custody]``; the defaults are the ward's own where a council document
    names no period."""

    return_days: int = Field(default=30, ge=0)  # a handed-over medium, notice or paper is back (or destroyed)
    certificate_days: int = Field(default=14, ge=0)  # the deletion certificate, after the last medium came back
    incident_days: int = Field(default=30, ge=0)  # an incident is closed, after it was recorded
    # Data the vendor sent back (handoff intake): read within these days of its receipt, and its disc and notice
    # handed back or destroyed within these days of the read.
    inbound_days: int = Field(default=14, ge=0)


class InboundOutput(_Frozen):
    """The file handed to the host system's import, written into the job's ``internal/`` folder."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")  # a plain file name, never a path
    format: Literal["csv", "fixed"] = "csv"
    encoding: Literal["cp932", "utf-8"] = "cp932"
    header: bool = False  # CSV: a first line of Japanese labels
    line_ending: Literal["crlf", "lf"] = "crlf"
    allow_vendor_extensions: bool = True  # NEC/IBM extension characters (髙 﨑) as Windows writes them in CP932
    fields: list[OutputField]


class Inbound(_Frozen):
    """Data the vendor sends back (``handoff intake``): what the AES ZIP on the disc must hold, the layout of the
    rows, and the file made for the host system's import. Limits bound what an archive may inflate to."""

    title: str  # what the data is (支給予定データ), for messages and the ledger
    archive: str = "*.zip"  # the ZIP on the disc (a name pattern: * and ? as in file names)
    data_member: str  # the member holding the rows (a name pattern); exactly one member must match
    other_members: list[str] = Field(default_factory=list)  # members allowed besides (never read or written)
    source: SourceSpec  # the rows' layout, read and validated as an export is
    row_key: list[str]  # unique per row
    output: InboundOutput
    max_archive_bytes: int = Field(default=1 << 30, ge=1)  # the ZIP itself
    max_bytes: int = Field(default=256 << 20, ge=1)  # all members, inflated, counted while inflating
    max_ratio: int = Field(default=100, ge=1)  # inflated bytes per compressed byte, past the first MiB


class Exclusions(_Frozen):
    """異動: a second export naming rows that must not be mailed after all — a resident who died or moved out, a
    premium paid since the export — each with the day of the change and its reason code. ``handoff run
    --exclusions`` counts such rows as not selected with the reason; ``handoff pull`` makes the vendor's pull list
    (引抜きリスト) for a job already prepared. Which codes exclude is the ward's decision, so a code the programme
    does not list is refused rather than guessed."""

    title: str  # what the file is (異動者一覧), for messages and the ledger
    source: SourceSpec  # the file's layout, read and validated as an export is
    match: list[str] = Field(min_length=1)  # fields declared in both sources that name the same row (宛名番号)
    date: str  # the field (kind date) holding the day of the change
    reason: str  # the field holding the reason code
    reasons: dict[str, str] = Field(min_length=1)  # code → label of a change that excludes (死亡, 転出)
    ignore: dict[str, str] = Field(default_factory=dict)  # codes read and not excluded (転居 within the ward)
    inbox: str = ""  # run --due: where the newest such file is found (relative to the site folder)


class ProgramSpec(_Frozen):
    id: str
    title: str
    department: str
    vendor: str
    cycle: str = ""
    volume: str = ""
    council: Council
    approved: list[ApprovedItem]
    source: SourceSpec
    select: SelectSpec = Field(default_factory=SelectSpec)
    recipient: RecipientSpec
    output: OutputSpec
    enclosures: list[str] = Field(default_factory=list)  # feeder names enclosed with every piece
    documents: str = "通知"  # what one row prints as (医療証, 招待はがき …)
    postcard: bool = False  # True: no enclosing (postcards); one row is one piece
    limits: Limits = Field(default_factory=Limits)
    custody: Custody = Field(default_factory=Custody)
    calendar: Calendar | None = None  # the mailing calendar (handoff due, run --due); None: runs by hand only
    inbound: Inbound | None = None  # data the vendor sends back (handoff intake); None: the programme has none
    exclusions: Exclusions | None = None  # 異動 (handoff run --exclusions, handoff pull); None: none declared

    def field_spec(self, name: str) -> FieldSpec:
        return next(c for c in self.source.columns if c.field == name)

    @property
    def approved_fields(self) -> list[str]:
        """Approved fields in the approved order (the order of items, then of fields within an item)."""
        return [f for item in self.approved for f in item.fields]

    def approved_fields_on(self, day: dt.date) -> list[str]:
        """The approved fields of the items in force on ``day``, in the approved order: what a run that day sends."""
        return [f for item in self.approved if item.approved_on(day) for f in item.fields]

    def items_approved_on(self, day: dt.date) -> list[str]:
        """The approved item names in force on ``day`` (the council's approval dates), in the approved order."""
        return [i.item for i in self.approved if i.approved_on(day)]

    @property
    def output_fields(self) -> list[str]:
        return [o.field for o in self.output.fields]

    def label(self, name: str) -> str:
        if name in SYSTEM_FIELDS:
            return SYSTEM_FIELDS[name]
        return self.field_spec(name).label


def load_programme(path: Path) -> ProgramSpec:
    """Parse and check one programme file."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError("config.toml_syntax", path=str(path), detail=str(exc)) from None
    try:
        spec = ProgramSpec.model_validate(raw)
    except ValidationError as exc:
        raise config_error_from(path, exc) from None
    check_programme(spec, path)
    return spec


def check_programme(spec: ProgramSpec, path: Path) -> None:
    """Cross-field rules pydantic cannot express. Each failure names file, key and rule."""

    def fail(key: str, rule: str) -> ConfigError:
        return ConfigError("config.invalid", path=str(path), key=key, rule=rule)

    known = _check_source(spec.source, fail)
    approved: set[str] = set()
    for i, item in enumerate(spec.approved):
        if item.approved_from and item.approved_until and item.approved_until < item.approved_from:
            raise fail(f"approved.{i}.approved_until", "approval_ends_before_it_starts")
        for f in item.fields:
            if f not in known:
                raise fail(f"approved.{i}.fields", "approved_item_not_produced")
            approved.add(f)
    for i, out in enumerate(spec.output.fields):
        if out.field in SYSTEM_FIELDS:
            continue
        if out.field not in known:
            raise fail(f"output.fields.{i}.field", "unknown_field")
        if out.field not in approved:
            raise fail(f"output.fields.{i}.field", "not_approved")
    produced = {o.field for o in spec.output.fields}
    for i, item in enumerate(spec.approved):
        if not all(f in produced for f in item.fields):
            raise fail(f"approved.{i}", "approved_item_not_in_output")
    if spec.output.format == "fixed":
        for i, out in enumerate(spec.output.fields):
            if out.bytes < 1:
                raise fail(f"output.fields.{i}.bytes", "fixed_width_needs_bytes")
    for name in (*spec.recipient.row_key, *spec.recipient.key):
        if name not in known:
            raise fail("recipient", "unknown_field")
    # Householding runs after minimisation, so its key must be among the approved items.
    if not set(spec.recipient.key) <= approved:
        raise fail("recipient.key", "key_not_approved")
    spec.recipient.check_joint(spec, fail)
    sel = spec.select
    for name in (sel.birth_field, sel.field):
        if name and name not in known:
            raise fail("select", "unknown_field")
    if sel.rule in ("age_at_least", "child_medical") and not sel.birth_field:
        raise fail("select.birth_field", "missing_key")
    if sel.rule == "field_equals" and not (sel.field and sel.values):
        raise fail("select", "field_equals_needs_field_and_values")
    _check_styles_and_limits(spec, fail)
    if spec.inbound is not None:
        _check_inbound(spec.inbound, fail)
    if spec.exclusions is not None:
        _check_exclusions(spec, spec.exclusions, fail)


def _check_source(source: SourceSpec, fail: Callable[[str, str], ConfigError], at: str = "source") -> set[str]:
    """A layout (the export's, or the one at ``at``: inbound data, an exclusion file) declares each field once and
    locates it the way its format locates fields; returns the declared fields."""
    declared = [c.field for c in source.columns]
    if len(set(declared)) != len(declared):
        raise fail(f"{at}.columns", "duplicate_field")
    for i, col in enumerate(source.columns):
        key = f"{at}.columns.{i}"
        if source.format == "fixed" and (col.start < 1 or col.length < 1):
            raise fail(key, "fixed_width_needs_start_and_length")
        if source.format != "fixed" and not source.header and col.position < 1:
            raise fail(key, "positional_needs_position")
        if source.format != "fixed" and source.header and not col.column:
            raise fail(key, "header_needs_column_name")
    if source.format == "fixed" and source.record_bytes < 1:
        raise fail(f"{at}.record_bytes", "fixed_width_needs_record_bytes")
    return set(declared)


def _check_exclusions(spec: ProgramSpec, ex: Exclusions, fail: Callable[[str, str], ConfigError]) -> None:
    """The exclusion file declares its match fields as the export does (same kind: the same normalisation makes
    the same key), a date field and a reason field; no code both excludes and is ignored."""
    _check_source(ex.source, fail, "exclusions.source")
    own = {c.field: c for c in ex.source.columns}
    known = {c.field: c for c in spec.source.columns}
    for name in ex.match:
        if name not in own or name not in known:
            raise fail("exclusions.match", "unknown_field")
        if own[name].kind != known[name].kind:
            raise fail("exclusions.match", "match_kind_differs")
    if ex.date not in own or own[ex.date].kind != "date":
        raise fail("exclusions.date", "needs_date_field")
    if ex.reason not in own:
        raise fail("exclusions.reason", "unknown_field")
    if set(ex.reasons) & set(ex.ignore):
        raise fail("exclusions.ignore", "code_both_excludes_and_ignored")


def _check_inbound(inbound: Inbound, fail: Callable[[str, str], ConfigError]) -> None:
    """The inbound layout names each field once, its key and output fields are declared, a fixed-width output
    gives every field its bytes, and a date style is only for a date field."""
    src = inbound.source
    declared = _check_source(src, fail, "inbound.source")
    if src.format == "xlsx":
        raise fail("inbound.source.format", "inbound_text_only")
    if not inbound.row_key or not set(inbound.row_key) <= set(declared):
        raise fail("inbound.row_key", "unknown_field")
    kinds = {c.field: c.kind for c in src.columns}
    for i, out in enumerate(inbound.output.fields):
        key = f"inbound.output.fields.{i}"
        if out.field not in kinds:
            raise fail(f"{key}.field", "unknown_field")
        if inbound.output.format == "fixed" and out.bytes < 1:
            raise fail(f"{key}.bytes", "fixed_width_needs_bytes")
        if out.style.startswith("date_") and kinds[out.field] != "date":
            raise fail(f"{key}.style", "date_style_needs_date_field")


def _check_styles_and_limits(spec: ProgramSpec, fail: Callable[[str, str], ConfigError]) -> None:
    """A date style is only for a date field (validate makes its values ISO dates, which the style writes);
    the declared columns fit within ``limits.max_columns``."""
    kinds = {c.field: c.kind for c in spec.source.columns}
    for i, out in enumerate(spec.output.fields):
        if out.style.startswith("date_") and kinds.get(out.field) != "date":
            raise fail(f"output.fields.{i}.style", "date_style_needs_date_field")
    widest = max([len(spec.source.columns), *(c.position for c in spec.source.columns)])
    if spec.source.format != "fixed" and widest > spec.limits.max_columns:
        raise fail("limits.max_columns", "below_declared_columns")


def programme_paths(pipelines_dir: Path) -> list[Path]:
    return sorted(pipelines_dir.glob("*.toml"))


def load_all(pipelines_dir: Path) -> dict[str, ProgramSpec]:
    specs: dict[str, ProgramSpec] = {}
    for path in programme_paths(pipelines_dir):
        spec = load_programme(path)
        if spec.id in specs:
            raise ConfigError("config.invalid", path=str(path), key="id", rule="duplicate_programme_id")
        specs[spec.id] = spec
    return specs


def find_programme(pipelines_dir: Path, programme_id: str) -> ProgramSpec:
    for path in programme_paths(pipelines_dir):
        spec = load_programme(path)
        if spec.id == programme_id:
            return spec
    raise ConfigError("config.unknown_programme", programme=programme_id, path=str(pipelines_dir))
