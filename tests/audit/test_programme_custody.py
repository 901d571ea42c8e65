"""The programme files' [custody] deadlines and the approval dates of an approved item."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from handoff.config import defaults_dir
from handoff.errors import ConfigError
from handoff.programme import Custody, load_all, load_programme

REPO = Path(__file__).resolve().parents[2]
FILES = sorted((defaults_dir() / "pipelines").glob("*.toml"))


def test_programme_copies_are_identical() -> None:
    """pipelines/*.toml and the packaged handoff/defaults/pipelines/*.toml are byte for byte the same."""
    for path in FILES:
        assert (REPO / "pipelines" / path.name).read_bytes() == path.read_bytes()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_custody_table_cites_its_seed(path: Path) -> None:
    """Each programme sets [custody] with a comment naming its seed and marking the days as the ward's own."""
    text = path.read_text(encoding="utf-8")
    table = text[text.index("[custody]") - 400:]
    assert re.search(r"seed 00\d", table) and "区の設定" in table
    spec = load_programme(path)
    assert spec.custody == Custody(return_days=30, certificate_days=14, incident_days=30)


def test_custody_defaults_when_absent(tmp_path: Path) -> None:
    """A programme without [custody] gets the defaults; an unknown key in it is refused."""
    text = FILES[0].read_text(encoding="utf-8")
    bare = text[: text.index("\n# 監査の期限")] + "\n"
    (tmp_path / "a.toml").write_text(bare, encoding="utf-8")
    assert load_programme(tmp_path / "a.toml").custody == Custody()
    (tmp_path / "b.toml").write_text(bare + "\n[custody]\nreturn_day = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_programme(tmp_path / "b.toml")


def test_items_approved_on_a_day(tmp_path: Path) -> None:
    """An item with approved_from/approved_until counts only on the days between (inclusive); a reversed range is refused."""
    spec = load_all(defaults_dir() / "pipelines")["seikatsu-hogo"]
    items = [i.model_copy(update={"approved_from": dt.date(2026, 11, 1), "approved_until": dt.date(2027, 3, 31)})
             if i.item == "ケース番号" else i for i in spec.approved]
    later = spec.model_copy(update={"approved": items})
    assert later.items_approved_on(dt.date(2026, 10, 31)) == ["郵便番号", "住所", "氏名"]
    assert later.items_approved_on(dt.date(2026, 11, 1)) == ["郵便番号", "住所", "氏名", "ケース番号"]
    assert later.items_approved_on(dt.date(2027, 4, 1)) == ["郵便番号", "住所", "氏名"]
    text = (defaults_dir() / "pipelines" / "seikatsu-hogo.toml").read_text(encoding="utf-8")
    text = text.replace('item = "ケース番号"\n', 'item = "ケース番号"\napproved_from = 2026-11-01\napproved_until = 2026-10-01\n')
    (tmp_path / "seikatsu-hogo.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_programme(tmp_path / "seikatsu-hogo.toml")
    assert err.value.params["rule"] == "approval_ends_before_it_starts"
