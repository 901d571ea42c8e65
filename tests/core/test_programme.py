"""Programme files: the five seeds load; unapproved or unknown items are refused with file, key and rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from handoff.config import defaults_dir
from handoff.errors import ConfigError, ExitCode
from handoff.programme import load_all, load_programme

PIPELINES = defaults_dir() / "pipelines"


def test_the_seed_programmes_load() -> None:
    """Every seed programme (and document type) has a file and it passes all cross-field rules."""
    specs = load_all(PIPELINES)
    assert set(specs) == {"kodomo-iryosho", "kokuho-tokusoku", "kokuho-iryohi", "ninpu-kyufu", "keirokai",
                          "seikatsu-hogo", "seikatsu-hogo-shisan"}


def test_kodomo_approved_items_are_the_seed_list_in_order() -> None:
    """子ども医療証 carries exactly the eight items of 資料15, in the council's order."""
    spec = load_programme(PIPELINES / "kodomo-iryosho.toml")
    assert [i.item for i in spec.approved] == [
        "負担者番号", "受給者番号", "児童氏名", "児童生年月日", "保護者住所", "保護者氏名", "有効期間", "郵便番号"]


def test_kokuho_items_are_marked_as_assumed() -> None:
    """001's items come from 資料15-1, which the seed lacks, so every one is marked assumed."""
    spec = load_programme(PIPELINES / "kokuho-tokusoku.toml")
    assert spec.approved and all(i.assumed for i in spec.approved)


def test_keirokai_birth_date_does_not_leave() -> None:
    """敬老会 selects by 生年月日 but only 郵便番号・住所・氏名 are approved for the vendor."""
    spec = load_programme(PIPELINES / "keirokai.toml")
    assert "seinengappi" not in spec.output_fields
    assert [i.item for i in spec.approved] == ["郵便番号", "住所", "氏名"]


def test_my_number_column_is_never_output() -> None:
    """002's export holds a 個人番号 column; the programme reads it but never outputs it."""
    spec = load_programme(PIPELINES / "ninpu-kyufu.toml")
    assert "kojin_bango" not in spec.approved_fields and "kojin_bango" not in spec.output_fields


def _edit(tmp_path: Path, old: str, new: str) -> Path:
    text = (PIPELINES / "keirokai.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "keirokai.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_unapproved_output_item_is_refused(tmp_path: Path) -> None:
    """Adding 生年月日 to the vendor output refuses the programme naming file, key and rule."""
    path = _edit(tmp_path, '{ field = "shimei", bytes = 40 },', '{ field = "shimei", bytes = 40 },\n  { field = "seinengappi" },')
    with pytest.raises(ConfigError) as err:
        load_programme(path)
    assert err.value.exit_code == ExitCode.CONFIG
    assert err.value.params == {"path": str(path), "key": "output.fields.4.field", "rule": "not_approved"}
    assert str(path) in err.value.message("ja") and "not_approved" in err.value.message("en")


def test_mapping_to_unknown_field_is_refused(tmp_path: Path) -> None:
    """An approved item naming a field no column produces is refused."""
    path = _edit(tmp_path, 'fields = ["shimei"]', 'fields = ["shimei_kana"]')
    with pytest.raises(ConfigError) as err:
        load_programme(path)
    assert err.value.params["rule"] == "approved_item_not_produced"
    assert err.value.params["key"] == "approved.2.fields"


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    """A typo in a key is not silently ignored."""
    path = _edit(tmp_path, 'documents = "招待はがき"', 'documents = "招待はがき"\ndocumnets = "x"')
    with pytest.raises(ConfigError) as err:
        load_programme(path)
    assert err.value.params["key"] == "documnets" and err.value.params["rule"] == "unknown_key"


def test_household_key_must_be_approved(tmp_path: Path) -> None:
    """Householding runs after minimisation, so a key field outside the approved items is refused."""
    path = _edit(tmp_path, 'key = ["yubin_bango", "jusho", "shimei"]', 'key = ["atena_bango"]')
    with pytest.raises(ConfigError) as err:
        load_programme(path)
    assert err.value.params["rule"] == "key_not_approved"


def test_cli_refuses_unapproved_item_with_config_exit_code(cli, site_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """`handoff programmes show` on a tampered file exits 3 and names the rule, without a traceback."""
    path = site_dir / "pipelines" / "keirokai.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('{ field = "shimei", bytes = 40 },',
                                 '{ field = "shimei", bytes = 40 },\n  { field = "seinengappi" },'), encoding="utf-8")
    proc = cli("programmes", "show", "keirokai")
    assert proc.returncode == 3
    assert "not_approved" in proc.stderr and "Traceback" not in proc.stderr
