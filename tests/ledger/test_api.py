"""The calls the rest of handoff makes: job.prepared, medium.written, notice.printed and the current checkpoint."""

from __future__ import annotations

import pytest

from handoff.config import SiteConfig
from handoff.errors import ExitCode, InputError
from handoff.ledger import service
from handoff.ledger.merkle import root_hash

from .helpers import ISO, ZIP


def test_wiring_calls_record_and_checkpoint_follows(sqlite_site: SiteConfig) -> None:
    """job_prepared, medium_written and notice_printed append in order; current_checkpoint covers them."""
    job = service.job_prepared(
        sqlite_site, "S001", job="J1", programme="keirokai", council_reference="資料20",
        approved_items=["郵便番号", "住所", "氏名"], vendor="V02", quantity=35, zip_sha256=ZIP, iso_sha256=ISO,
        counts={"rows_read": 40, "rows_excepted": 5}, title="敬老会 招待はがき",
    )  # fmt: skip
    medium = service.medium_written(sqlite_site, "S001", job="J1", medium="J1-M1", iso_sha256=ISO, verified=True)
    notice = service.notice_printed(sqlite_site, "S001", job="J1", notice="J1-N1", pages=1)
    current = service.current_checkpoint(sqlite_site)
    assert [job.seq, medium.seq, notice.seq] == [0, 1, 2]
    assert job.actor.staff == "S001" and job.actor.os_user  # the OS login is added
    assert current.size == 3 and current.checkpoint.root == root_hash([job.data, medium.data, notice.data])
    assert current.short == f"3/{current.checkpoint.root.hex()[:16]}"
    assert current.note.startswith(current.checkpoint.body() + "\n— ")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"printer": "lp0", "氏名": "x"}, "氏名"),  # an undeclared key cannot carry a name along
        ({"pages": "1"}, "pages"),  # wrong kind
        ({"printer": "a\nb"}, "printer"),  # no multi-line free text
        ({"pages": 1.5}, "pages"),  # floats are not canonical JSON
    ],
)
def test_undeclared_or_malformed_fields_are_refused(
    sqlite_site: SiteConfig, payload: dict[str, object], field: str
) -> None:
    """Payloads are checked against the event's declared fields; the refusal names the field, never the value."""
    service.job_prepared(
        sqlite_site, "S001", job="J1", programme="p", council_reference="r", approved_items=["氏名"], vendor="V01",
        quantity=1, zip_sha256=ZIP, iso_sha256=ISO,
    )  # fmt: skip
    with pytest.raises(InputError) as exc:
        service.record(sqlite_site, "notice.printed", {"job": "J1", "notice": "J1-N1"}, payload, "S001")
    assert exc.value.exit_code == ExitCode.INPUT and exc.value.params["field"] == field
    assert "lp0" not in exc.value.message() and "a\nb" not in exc.value.message()


def test_subject_ids_must_look_like_ids(sqlite_site: SiteConfig) -> None:
    """A subject value with spaces or Japanese (e.g. a name) is refused."""
    with pytest.raises(InputError) as exc:
        service.record(sqlite_site, "vendor.inspected", {"vendor": "見本 太郎"}, {"performed_on": "2026-06-01",
                       "result": "良"}, "S001")  # fmt: skip
    assert exc.value.params["field"] == "subject.vendor"
