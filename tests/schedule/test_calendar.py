"""The mailing calendar's date logic, against cycles written out by hand from the council documents."""

from __future__ import annotations

import datetime as dt

import pytest

from handoff.calendar_spec import Calendar, fiscal_year
from handoff.config import defaults_dir, load_site
from handoff.errors import ConfigError, ExitCode, InputError
from handoff.pipeline.due import calendar_warnings
from handoff.programme import load_all, load_programme

PIPELINES = defaults_dir() / "pipelines"


def test_seikatsu_hogo_cycles_are_the_seeds_months() -> None:
    """Seed 004: October, November and March (決定通知書); the June 資産申告書 is its own programme file."""
    cal = load_programme(PIPELINES / "seikatsu-hogo.toml").calendar
    assert cal is not None
    cycles = cal.cycles_of(2026)
    assert [c.id for c in cycles] == ["2026-10", "2026-11", "2027-03"]
    assert [c.mailing for c in cycles] == [dt.date(2026, 10, 20), dt.date(2026, 11, 20), dt.date(2027, 3, 20)]
    assert all(c.label == "保護変更決定通知書" for c in cycles)
    shisan = load_programme(PIPELINES / "seikatsu-hogo-shisan.toml").calendar
    assert shisan is not None
    assert [(c.id, c.mailing, c.label) for c in shisan.cycles_of(2026)] == [
        ("2026-06", dt.date(2026, 6, 20), "資産申告書")]


def test_every_programme_has_a_calendar_with_its_cycle_count() -> None:
    """Monthly 督促状 and 妊婦 (assumed) have 12 cycles; 敬老会, 医療証, 医療費通知 and 資産申告書 one; 生活保護 three."""
    specs = load_all(PIPELINES)
    counts = {pid: len(spec.calendar.cycles_of(2026)) for pid, spec in specs.items() if spec.calendar}
    assert counts == {"keirokai": 1, "kodomo-iryosho": 1, "kokuho-iryohi": 1, "kokuho-tokusoku": 12,
                      "ninpu-kyufu": 12, "seikatsu-hogo": 3, "seikatsu-hogo-shisan": 1}
    assumed = {pid for pid, spec in specs.items() if spec.calendar and all(
        c.assumed for c in spec.calendar.cycles_of(2026))}
    assert assumed == {"keirokai", "kodomo-iryosho", "kokuho-iryohi", "kokuho-tokusoku", "ninpu-kyufu"}


def test_window_opens_before_lead_and_closes_on_mailing() -> None:
    """A cycle is due from lead_days + open_days before its mailing to the mailing day, late after lead_days."""
    cal = Calendar(cycles=[{"month": 10}], mailing_day=20, lead_days=10, open_days=5, inbox="inbox/x/*.csv")
    (c,) = cal.cycles_of(2026)
    assert (c.opens, c.lead, c.mailing) == (dt.date(2026, 10, 5), dt.date(2026, 10, 10), dt.date(2026, 10, 20))
    assert cal.due_on(dt.date(2026, 10, 4)) == []
    assert cal.due_on(dt.date(2026, 10, 5)) == [c] and cal.due_on(dt.date(2026, 10, 20)) == [c]
    assert cal.due_on(dt.date(2026, 10, 21)) == []
    assert not c.late_on(dt.date(2026, 10, 10)) and c.late_on(dt.date(2026, 10, 11))


def test_fiscal_year_turns_in_april() -> None:
    """年度: 2027-03-31 is fiscal year 2026, 2027-04-01 is 2027; a March cycle carries the next calendar year."""
    assert fiscal_year(dt.date(2027, 3, 31)) == 2026 and fiscal_year(dt.date(2027, 4, 1)) == 2027
    cal = Calendar(monthly=True, inbox="inbox/x/*.csv")
    assert [c.id for c in cal.cycles_of(2026)][-1] == "2027-03"
    assert cal.previous(cal.cycles_of(2027)[0]) == cal.cycles_of(2026)[-1]


def test_unknown_cycle_is_refused_listing_the_valid_ones() -> None:
    """--cycle foo or a month without a mailing: InputError (exit 4) listing that fiscal year's cycles."""
    cal = load_programme(PIPELINES / "seikatsu-hogo.toml").calendar
    assert cal is not None
    for bad, fy in (("foo", 2026), ("2026-12", 2026), ("2026-06", 2026), ("2026", 2026)):
        with pytest.raises(InputError) as exc:
            cal.require_cycle("seikatsu-hogo", bad, dt.date(2026, 12, 7))
        assert exc.value.code == "run.cycle_unknown" and exc.value.exit_code == ExitCode.INPUT
        assert exc.value.params["valid"] == "2026-10、2026-11、2027-03" and exc.value.params["fiscal_year"] == fy
    assert cal.require_cycle("seikatsu-hogo", "2026-11", dt.date(2026, 12, 7)).mailing == dt.date(2026, 11, 20)


@pytest.mark.parametrize("bad", [
    {"monthly": True, "cycles": [{"month": 4}]},
    {"cycles": [{"month": 4}, {"month": 4}]},
    {"cycles": [{"month": 4}], "inbox": "/abs/*.csv"},
    {"cycles": [{"month": 4}], "inbox": "../up/*.csv"},
    {"cycles": [{"month": 4}], "inbox": "*.csv"},
    {"cycles": [{"month": 4}, {"month": 5}], "lead_days": 20, "open_days": 20},
    {"cycles": [{"month": 4}], "contract_start": "2026-04-01", "contract_end": "2026-03-01"},
])
def test_calendar_refuses_what_cannot_be_run(bad: dict[str, object], tmp_path: object) -> None:
    """Both monthly and cycles, a month twice, an inbox outside the site, overlapping windows: refused at load."""
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        Calendar.model_validate({"inbox": "inbox/x/*.csv", **bad})


def test_june_is_outside_seikatsu_hogos_contract() -> None:
    """Seed 004's contract runs from late September to 31 March: its June 資産申告書 is warned about, no other."""
    site = load_site(defaults_dir())
    spec = load_all(PIPELINES)["seikatsu-hogo-shisan"]
    warned = calendar_warnings(site, spec, 2026)
    assert [(w.code, w.params["cycle"]) for w in warned] == [("schedule.show_outside_programme", "2026-06")]
    others = [calendar_warnings(site, s, 2026) for pid, s in load_all(PIPELINES).items()
              if pid != "seikatsu-hogo-shisan"]
    assert others == [[]] * 6


def test_programme_file_with_a_bad_calendar_names_the_key(tmp_path: object) -> None:
    """A [calendar] with an unknown key fails the programme's load with the file and key."""
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    text = (PIPELINES / "keirokai.toml").read_text(encoding="utf-8").replace("mailing_day = 25", "mailing_dya = 25")
    path = tmp_path / "keirokai.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        load_programme(path)
    assert exc.value.params["key"] == "calendar.mailing_dya"
