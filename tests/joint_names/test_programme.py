"""[recipient.joint] in a programme file: its TOML shape, its defaults, and the refusals at load time."""

from __future__ import annotations

from pathlib import Path

import pytest

from handoff.config import defaults_dir
from handoff.errors import ConfigError
from handoff.programme import RecipientSpec, load_programme

SOURCE = defaults_dir() / "pipelines" / "seikatsu-hogo.toml"
ANCHOR = 'key = ["case_bango"]\n'


def with_joint(tmp_path: Path, table: str, text: str = "") -> Path:
    """seikatsu-hogo.toml with ``table`` (TOML lines) as ``[recipient.joint]``, written to a temporary file."""
    text = text or SOURCE.read_text(encoding="utf-8")
    assert ANCHOR in text
    path = tmp_path / "joint.toml"
    path.write_text(text.replace(ANCHOR, ANCHOR + "\n[recipient.joint]\n" + table + "\n", 1), encoding="utf-8")
    return path


def test_the_toml_shape(tmp_path: Path) -> None:
    """field, max and family_once under [recipient.joint] load as written."""
    spec = load_programme(with_joint(tmp_path, 'field = "shimei"\nmax = 3\nfamily_once = false'))
    assert spec.recipient.joint == RecipientSpec.Joint(field="shimei", max=3, family_once=False)


def test_defaults_and_absence(tmp_path: Path) -> None:
    """Only the field is required (max 2, family name once); a programme without the table has no 連名."""
    spec = load_programme(with_joint(tmp_path, 'field = "shimei"'))
    assert spec.recipient.joint == RecipientSpec.Joint(field="shimei", max=2, family_once=True)
    assert load_programme(SOURCE).recipient.joint is None


@pytest.mark.parametrize(("table", "key", "rule"), [
    ('field = "nai"', "recipient.joint.field", "unknown_field"),
    ('field = "setaiin_bango"', "recipient.joint.field", "not_approved"),  # declared, never leaves the office
    ('field = "case_bango"', "recipient.joint.field", "joint_name_in_key"),  # a piece per value: never two
])
def test_cross_field_refusals(tmp_path: Path, table: str, key: str, rule: str) -> None:
    """A name that is not an approved item, or is the householding key, stops the programme naming key and rule."""
    with pytest.raises(ConfigError) as err:
        load_programme(with_joint(tmp_path, table))
    assert err.value.code == "config.invalid"
    assert (err.value.params["key"], err.value.params["rule"]) == (key, rule)


def test_postcards_cannot_be_joint(tmp_path: Path) -> None:
    """A postcard programme (one row, one piece) with [recipient.joint] is refused."""
    text = SOURCE.read_text(encoding="utf-8").replace('documents = "保護変更決定通知書"\n',
                                                      'documents = "保護変更決定通知書"\npostcard = true\n', 1)
    with pytest.raises(ConfigError) as err:
        load_programme(with_joint(tmp_path, 'field = "shimei"', text))
    assert err.value.params["rule"] == "joint_needs_envelopes"


@pytest.mark.parametrize("table", ['field = "shimei"\nmax = 1', 'field = "shimei"\nmax = 6', "max = 2",
                                   'field = "shimei"\nshared = true'])
def test_shape_refusals(tmp_path: Path, table: str) -> None:
    """max outside 2–5, a missing field or an unknown key in [recipient.joint] is a ConfigError, never ignored."""
    with pytest.raises(ConfigError):
        load_programme(with_joint(tmp_path, table))
