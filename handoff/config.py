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

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
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
    job_code: str = "01"  # 2 digits identifying the run on the machine
    piece_digits: int = Field(default=6, ge=4, le=9)
    feeders: list[str] = Field(default_factory=list)  # enclosure names in feeder order (お知らせ, てびき …)
    log: InserterLog | None = None  # the machine's output log, when the vendor returns one


class VendorProfile(_Frozen):
    """How a vendor's print system wants its data file."""

    encoding: Literal["cp932", "utf-8"] = "cp932"
    allow_vendor_extensions: bool = False  # NEC/IBM extension characters such as 髙 﨑 ①
    extension_byte_form: Literal["ibm", "nec"] = "ibm"  # Windows/iconv write IBM (髙 = FBFC)
    line_ending: Literal["crlf", "lf"] = "crlf"
    sheets_per_envelope: int = Field(default=6, ge=1, le=50)
    gaiji: dict[str, str] = Field(default_factory=dict)  # 外字 substitution table agreed with the vendor
    inserter: InserterProfile = Field(default_factory=InserterProfile)


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


class SiteConfig(_Frozen):
    name: str
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
    home: Path = Path()  # the site directory this was loaded from (set by load_site)

    @model_validator(mode="after")
    def _profiles_exist(self) -> SiteConfig:
        for v in self.vendors:
            if v.profile not in self.vendor_profiles:
                raise ValueError(f"vendors.{v.id}.profile: unknown profile {v.profile}")
        return self

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
