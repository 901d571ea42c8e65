"""SiteConfig: the ward's own settings (``site.toml``) — folders, ledger, vendors, handlers, staff, profiles.

The site directory is chosen by ``--dir`` or ``HANDOFF_HOME``; without either, the built-in example site that
ships inside the package (``handoff/defaults/``: ``site.toml`` and ``pipelines/``) is used. ``handoff init``
copies the same files into a new site. Unknown keys are refused, so a typo never silently changes behaviour.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from handoff.errors import ConfigError

SITE_FILE = "site.toml"
PIPELINES = "pipelines"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# operator: day-to-day custody work; supervisor: also corrections and closing incidents; auditor: reads only;
# batch: the service account of scheduled runs (``handoff run`` only). Which event needs which role:
# handoff.ledger.rules.EVENT_ROLES.
Role = Literal["operator", "supervisor", "auditor", "batch"]


class Staff(_Frozen):
    id: str
    name: str
    role: Role = "operator"


class Handler(_Frozen):
    """A vendor's designated person (取扱責任者 or 取扱者), reported to the ward in advance."""

    id: str
    name: str
    role: Literal["取扱責任者", "取扱者"] = "取扱者"


class InserterLog(_Frozen):
    """The inserting machine's own output log (one line per document it processed), as the vendor hands it
    back: ``handoff inspect delivery --log`` reads it (handoff.pipeline.inspection.read_log). A column is named
    by its heading (``header = true``) or by its 1-based position."""

    format: Literal["csv"] = "csv"
    encoding: Literal["utf-8", "utf-8-sig", "cp932", "shift_jis", "euc-jp"] = "utf-8"
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    header: bool = True
    code_column: str | int
    status_column: str | int
    ok_values: list[str] = Field(min_length=1)  # the status texts meaning "inserted OK" (e.g. "OK", "0")

    @model_validator(mode="after")
    def _columns(self) -> InserterLog:
        for column in (self.code_column, self.status_column):
            if isinstance(column, int) and column < 1:
                raise ValueError("columns are numbered from 1")
            if isinstance(column, str) and not self.header:
                raise ValueError("a column named by its heading needs header = true")
        return self


class InserterProfile(_Frozen):
    """Control code printed on every document for the vendor's inserting line."""

    symbology: Literal["code128", "itf", "code39"] = "code128"
    # 2 digits identifying the run on the machine; "auto": each job of the vendor its own, 01–99 in turn
    # (handoff.pipeline.job_codes), stated in the manifest for the vendor to set on the machine
    job_code: str = "01"
    piece_digits: int = Field(default=6, ge=4, le=9)
    feeders: list[str] = Field(default_factory=list)  # enclosure names in feeder order (お知らせ, てびき …)
    log: InserterLog | None = None  # the machine's output log, when the vendor returns one


MediumType = Literal["CD-R", "DVD-R", "BD-R"]
# What one blank disc of each type holds (2,048-byte sectors): an 80-minute CD-R has 360,000 ("700 MB"), a
# single-layer DVD-R 2,295,104 (reference/vendor-handoff.md), a single-layer BD-R 12,219,392 ("25 GB").
MEDIUM_BYTES: dict[str, int] = {"CD-R": 737_280_000, "DVD-R": 4_700_372_992, "BD-R": 25_025_314_816}


class MediumProfile(_Frozen):
    """The disc the vendor reads: its type, and how many bytes handoff may put on one (the type's capacity
    unless the profile says less, e.g. for a drive that cannot write to the disc's very edge)."""

    type: MediumType = "DVD-R"
    capacity_bytes: int = Field(default=0, ge=0)  # 0: the type's capacity (MEDIUM_BYTES)

    @model_validator(mode="after")
    def _capacity(self) -> MediumProfile:
        if self.capacity_bytes == 0:
            object.__setattr__(self, "capacity_bytes", MEDIUM_BYTES[self.type])
        elif self.capacity_bytes > MEDIUM_BYTES[self.type]:
            raise ValueError(f"capacity_bytes exceeds a {self.type} ({MEDIUM_BYTES[self.type]})")
        return self


class VendorProfile(_Frozen):
    """How a vendor's print system wants its data file."""

    encoding: Literal["cp932", "utf-8"] = "cp932"
    allow_vendor_extensions: bool = False  # NEC/IBM extension characters such as 髙 﨑 ①
    extension_byte_form: Literal["ibm", "nec"] = "ibm"  # Windows/iconv write IBM (髙 = FBFC)
    line_ending: Literal["crlf", "lf"] = "crlf"
    sheets_per_envelope: int = Field(default=6, ge=1, le=50)
    gaiji: dict[str, str] = Field(default_factory=dict)  # 外字 substitution table agreed with the vendor
    inserter: InserterProfile = Field(default_factory=InserterProfile)
    medium: MediumProfile = Field(default_factory=MediumProfile)  # [vendor_profiles.X.medium]
    window: WindowProfile | None = None  # the envelope window's lines; None: the address stays one field


class WindowProfile(_Frozen):
    """The envelope window the vendor prints the address into (handoff.mail.window lays the lines): the vendor
    file gets the columns 住所1..``lines`` and the proof sheet shows the same lines."""

    lines: int = Field(default=4, ge=1, le=9)
    chars: int = Field(default=20, ge=4, le=60)  # full-width characters per line (a half-width one is half)
    font_pt: float = Field(default=10.5, ge=6.0, le=16.0)  # the vendor's font size, for the proof sheet
    names: bool = False  # the vendor prints the 連名 name lines in the window too, under the address lines


VendorProfile.model_rebuild()  # the window's type is declared after the profile that holds it


class Subcontractor(_Frozen):
    """再委託先 the contract names. The ward must be able to inspect it on site, or the contract does not allow
    it, so a subcontractor without ``inspectable = true`` refuses the whole site configuration."""

    name: str
    inspectable: bool = Field(default=False, validate_default=True)

    @field_validator("inspectable")
    @classmethod
    def _inspectable(cls, value: bool) -> bool:
        if not value:
            raise PydanticCustomError("subcontractor_not_inspectable", "subcontractor not inspectable")
        return value


class Certification(_Frozen):
    """A certification the contract relies on (Pマーク, ISMS); expired on the day of a handover, it blocks it."""

    kind: Literal["Pマーク", "ISMS"]
    number: str
    expires: dt.date


MAX_CONTACTS = 4


class EmergencyContact(_Frozen):
    """Whom to call when something goes wrong with a handed-over item; printed on every handover receipt."""

    name: str
    phone: str


class Vendor(_Frozen):
    id: str
    name: str
    contract_start: dt.date
    contract_end: dt.date
    profile: str
    handlers: list[Handler]
    subcontractors: list[Subcontractor] = Field(default_factory=list)
    certifications: list[Certification] = Field(default_factory=list)
    require_certification: bool = False  # true: a handover needs at least one certification listed
    # The handover receipt has room for four; more would not be printed, so they are refused at load.
    emergency_contacts: list[EmergencyContact] = Field(default_factory=list, max_length=MAX_CONTACTS)

    @model_validator(mode="after")
    def _period(self) -> Vendor:
        if self.contract_end < self.contract_start:
            raise ValueError("contract_end before contract_start")
        return self

    def handler(self, handler_id: str) -> Handler | None:
        return next((h for h in self.handlers if h.id == handler_id), None)


# The name of the shipped example site: the only site whose ``example = true`` confirmations count.
EXAMPLE_SITE_NAME = "見本区役所"


class Confirmation(_Frozen):
    """The site's word that a programme's assumed items (``assumed = true`` in its file: items the seed does not
    list itself) are the ones the council approved, checked against the council document ``reference`` by the
    staff member ``confirmed_by`` on ``date``. ``items`` names the assumed items confirmed; empty = all of them.
    Until every assumed item in force is confirmed, ``handoff run`` refuses the programme."""

    programme: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
    reference: str = Field(min_length=1, max_length=200, pattern=r"^[^\r\n\t]+$")
    date: dt.date
    confirmed_by: str
    items: list[str] = Field(default_factory=list)
    # 見本：架空の確認. The shipped example site carries such confirmations so that its demonstration runs; they
    # are refused in any site not named as the example, so a ward that names its site must remove them.
    example: bool = False


class LedgerConfig(_Frozen):
    backend: Literal["sqlite", "postgresql"] = "sqlite"
    url: str = ""  # PostgreSQL URL when backend = postgresql
    # The URL ``handoff audit`` connects with: a role granted SELECT only, so the audit could not write even if
    # it tried (empty: the ledger's URL, in a read-only session).
    audit_url: str = ""
    origin: str = "handoff.example-ward.invalid/ledger"
    # How many days before the day it is recorded an event may declare it happened (custody --on DATE).
    backdate_days: int = Field(default=7, ge=0)


class InputConfig(_Frozen):
    """How ``--input`` is opened. Only a regular file is read; a symbolic link is refused unless the site allows
    it, so that a link planted in a shared folder cannot make handoff read some other file."""

    follow_symlinks: bool = False


PaymentMethod = Literal["", "料金別納", "料金後納", "料金計器別納", "切手"]


class DiscountConfig(_Frozen):
    """``[discount]``: the conditions of Japan Post's bar-code discount (バーコード割引) the run report checks.

    Defaults are the 郵便番号・バーコードマニュアル's 料金割引 page (https://www.post.japanpost.jp/zipcode/zipmanual/
    p30.html; handoff.mail.discount cites it): 1,000 pieces or more at once (100 for 郵便区内特別郵便物), a
    customer barcode on every piece, paid by 料金別納, 料金後納 or 料金計器別納. ``payment`` is how this ward pays
    ("" = not declared: the report then cannot say the mailing qualifies)."""

    min_pieces: int = Field(default=1000, ge=1)
    kunai_min_pieces: int = Field(default=100, ge=1)  # 郵便区内特別: per 郵便区
    kunai_digits: int = Field(default=3, ge=1, le=7)  # the 郵便区 a piece belongs to: this many leading digits
    max_kinds: int = Field(default=6, ge=1)  # shapes/weights handed in at once with a 内訳票
    payment: PaymentMethod = ""
    payments_allowed: list[PaymentMethod] = ["料金別納", "料金後納", "料金計器別納"]  # pydantic copies the default


class SiteConfig(_Frozen):
    name: str
    discount: DiscountConfig = Field(default_factory=DiscountConfig)  # [discount]
    timezone: str = "Asia/Tokyo"
    data_dir: Path = Path("data")
    pipelines_dir: Path = Path(PIPELINES)
    printer: str = ""  # CUPS queue for password notices; empty = the system default
    cabinets: list[str] = Field(default_factory=lambda: ["媒体用キャビネットA", "通知書用キャビネットB"])
    ledger: LedgerConfig = Field(default_factory=LedgerConfig)
    input: InputConfig = Field(default_factory=InputConfig)
    staff: list[Staff]
    vendors: list[Vendor]
    vendor_profiles: dict[str, VendorProfile]
    confirmations: list[Confirmation] = Field(default_factory=list)
    home: Path = Path()  # the site directory this was loaded from (set by load_site)

    @model_validator(mode="after")
    def _profiles_exist(self) -> SiteConfig:
        for v in self.vendors:
            if v.profile not in self.vendor_profiles:
                raise ValueError(f"vendors.{v.id}.profile: unknown profile {v.profile}")
        return self

    @field_validator("confirmations")
    @classmethod
    def _confirmations(cls, value: list[Confirmation], info: ValidationInfo) -> list[Confirmation]:
        """Confirmed by a registered member of staff who may record (not an auditor, not the batch account); an
        example confirmation only in the example site."""
        staff = {s.id: s.role for s in info.data.get("staff", [])}
        for c in value:
            if staff.get(c.confirmed_by) not in ("operator", "supervisor"):
                raise PydanticCustomError("confirmed_by_not_registered_staff", "confirmed_by not registered")
            if c.example and info.data.get("name") != EXAMPLE_SITE_NAME:
                raise PydanticCustomError("example_confirmation_in_a_real_site", "example confirmation")
        return value

    def confirmations_of(self, programme: str) -> list[Confirmation]:
        return [c for c in self.confirmations if c.programme == programme]

    def vendor(self, vendor_id: str) -> Vendor:
        for v in self.vendors:
            if v.id == vendor_id:
                return v
        raise ConfigError("config.unknown_vendor", vendor=vendor_id)

    def profile_of(self, vendor_id: str) -> VendorProfile:
        return self.vendor_profiles[self.vendor(vendor_id).profile]

    def staff_member(self, staff_id: str) -> Staff | None:
        return next((s for s in self.staff if s.id == staff_id), None)

    @property
    def data_path(self) -> Path:
        return self.data_dir if self.data_dir.is_absolute() else self.home / self.data_dir

    @property
    def pipelines_path(self) -> Path:
        return self.pipelines_dir if self.pipelines_dir.is_absolute() else self.home / self.pipelines_dir


def _defaults() -> Traversable:
    """The package's ``defaults`` folder as importlib.resources finds it (files on disk for any installed wheel)."""
    return resources.files("handoff") / "defaults"


def defaults_dir() -> Path:
    """The built-in example site inside the installed package: ``site.toml`` and ``pipelines/*.toml``."""
    root = _defaults()
    if not isinstance(root, Path):
        # A site and its programmes are read as files; a package imported from a zip has no such folder.
        raise ConfigError("config.site_missing", path=str(root / SITE_FILE))
    return root


def builtin_site_files() -> dict[str, bytes]:
    """The built-in site's files by their path in a site folder: ``site.toml`` and ``pipelines/<id>.toml``."""
    root = _defaults()
    files = {SITE_FILE: (root / SITE_FILE).read_bytes()}
    for entry in sorted((root / PIPELINES).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml") and entry.is_file():
            files[f"{PIPELINES}/{entry.name}"] = entry.read_bytes()
    return files


def site_home(explicit: Path | None = None) -> Path:
    """``--dir`` beats ``HANDOFF_HOME``; without either, the built-in example site (:func:`defaults_dir`)."""
    if explicit is not None:
        return explicit
    env = os.environ.get("HANDOFF_HOME")
    if env:
        return Path(env)
    return defaults_dir()


def load_site(home: Path | None = None) -> SiteConfig:
    """Load and validate ``site.toml``; every problem becomes a ConfigError naming file and key."""
    home = site_home(home)
    path = home / SITE_FILE
    if not path.is_file():
        raise ConfigError("config.site_missing", path=str(path))
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError("config.toml_syntax", path=str(path), detail=str(exc)) from None
    try:
        site = SiteConfig.model_validate({**raw, "home": home.resolve()})
    except ValidationError as exc:
        raise config_error_from(path, exc) from None
    builtin = _defaults()
    if isinstance(builtin, Path) and site.home == builtin.resolve():
        # The built-in site lives inside the installed package, which is no place for jobs and a ledger.
        xdg = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
        site = site.model_copy(update={"data_dir": xdg / "handoff"})
    return site


def config_error_from(path: Path, exc: ValidationError) -> ConfigError:
    """First pydantic error as a ConfigError: file, dotted key and the rule that failed."""
    err = exc.errors()[0]
    key = ".".join(str(p) for p in err["loc"]) or "(top)"
    rule = {"extra_forbidden": "unknown_key", "missing": "missing_key"}.get(err["type"], err["type"])
    return ConfigError("config.invalid", path=str(path), key=key, rule=rule)
