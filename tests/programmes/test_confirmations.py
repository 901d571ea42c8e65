"""Approved items that are only assumed (``assumed = true``) block ``handoff run`` until site.toml confirms them."""

from __future__ import annotations

import json
from pathlib import Path

from handoff.config import load_site
from handoff.ledger.service import Ledger
from tests.programmes.conftest import confirm, handoff, sample

IRYOHI_ITEMS = ["郵便番号", "住所", "世帯主氏名", "被保険者証記号番号", "受診者氏名", "診療期間", "受診日数",
                "医療費の総額", "自己負担相当額"]


def _prepared(home: Path) -> list[dict[str, object]]:
    with Ledger.open(load_site(home)) as ledger:
        return [dict(e.payload) for e in ledger.entries() if e.type == "job.prepared"]


def test_run_refuses_assumed_items_then_passes_once_confirmed(site: Path, tmp_path: Path) -> None:
    """Unconfirmed assumed items: exit 5 naming programme and items, no job; confirmed: the job.prepared records it."""
    data = sample(site, tmp_path, "kokuho-iryohi", rows=300)
    refused = handoff(site, "run", "kokuho-iryohi", "--input", str(data), "--json", lang="en")
    assert refused.returncode == 5, refused.stderr
    assert "run.approval_unconfirmed" in refused.stderr and "kokuho-iryohi" in refused.stderr
    assert all(item in refused.stderr for item in IRYOHI_ITEMS)
    assert not (site / "data" / "jobs").exists() or not any((site / "data" / "jobs").iterdir())
    assert _prepared(site) == []

    confirm(site, "kokuho-iryohi", reference="資料15-1（対象帳票・項目）", date="2026-04-01")
    done = handoff(site, "run", "kokuho-iryohi", "--input", str(data), "--json")
    assert done.returncode in (0, 1), done.stderr
    (payload,) = _prepared(site)
    assert payload["assumed_items"] == IRYOHI_ITEMS
    assert payload["confirmation_references"] == ["資料15-1（対象帳票・項目）"]
    assert payload["confirmation_dates"] == ["2026-04-01"]
    assert payload["confirmed_by"] == ["S002"]
    assert "confirmation_example" not in payload
    assert handoff(site, "ledger", "verify").returncode == 0


def test_a_confirmation_of_some_items_still_refuses_the_rest(site: Path, tmp_path: Path) -> None:
    """``items`` confirms only the items named: the run is refused naming exactly the others."""
    data = sample(site, tmp_path, "kokuho-iryohi", rows=200)
    confirm(site, "kokuho-iryohi", items=["郵便番号", "住所"])
    refused = handoff(site, "run", "kokuho-iryohi", "--input", str(data))
    assert refused.returncode == 5
    text = refused.stderr.replace("\n", "")
    assert "「世帯主氏名、被保険者証記号番号、受診者氏名、診療期間、受診日数、医療費の総額、自己負担相当額」" in text


def test_a_confirmation_dated_after_the_run_does_not_count(site: Path, tmp_path: Path) -> None:
    """A confirmation counts from its date: one dated in the future leaves the run refused."""
    data = sample(site, tmp_path, "seikatsu-hogo-shisan", rows=100)
    confirm(site, "seikatsu-hogo-shisan", date="2099-01-01")
    assert handoff(site, "run", "seikatsu-hogo-shisan", "--input", str(data)).returncode == 5


def test_the_example_site_confirms_the_existing_programmes_as_examples(site: Path, tmp_path: Path) -> None:
    """The shipped example's confirmations (見本：架空の確認) let its demo run, and the ledger marks them as examples."""
    data = sample(site, tmp_path, "seikatsu-hogo", rows=200)
    done = handoff(site, "run", "seikatsu-hogo", "--input", str(data), "--json")
    assert done.returncode in (0, 1), done.stderr
    (payload,) = _prepared(site)
    assert payload["assumed_items"] == ["ケース番号"] and payload["confirmation_example"] is True
    assert str(payload["confirmation_references"][0]).startswith("見本：架空の確認")  # type: ignore[index]


def test_a_programme_without_assumed_items_records_no_confirmation(site: Path, tmp_path: Path) -> None:
    """A programme whose items the seed lists itself needs no confirmation and records none."""
    data = sample(site, tmp_path, "keirokai", rows=200)
    assert handoff(site, "run", "keirokai", "--input", str(data)).returncode in (0, 1)
    (payload,) = _prepared(site)
    assert not {"assumed_items", "confirmation_references", "confirmed_by"} & set(payload)


def test_a_renamed_site_refuses_the_example_confirmations(site: Path) -> None:
    """Once the ward names its site, the example confirmations are a config error (exit 3), never a silent yes."""
    path = site / "site.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('name = "見本区役所"', 'name = "架空区役所"', 1),
                    encoding="utf-8")
    proc = handoff(site, "programmes", "list", lang="en")
    assert proc.returncode == 3 and "confirmations" in proc.stderr
    assert "example_confirmation_in_a_real_site" in proc.stderr


def test_a_confirmation_by_unknown_or_auditor_staff_is_a_config_error(site: Path) -> None:
    """``confirmed_by`` must be registered staff who may record: an unknown id or an auditor is exit 3."""
    original = (site / "site.toml").read_text(encoding="utf-8")
    for staff in ("S999", "A001"):
        (site / "site.toml").write_text(original, encoding="utf-8")
        confirm(site, "kokuho-iryohi", staff=staff)
        proc = handoff(site, "programmes", "list", lang="en")
        assert proc.returncode == 3 and "confirmed_by_not_registered_staff" in proc.stderr


def test_a_confirmation_of_an_unknown_programme_or_item_is_a_config_error(site: Path, tmp_path: Path) -> None:
    """A confirmation naming no programme of the site, or an item the programme does not assume, is exit 3."""
    data = sample(site, tmp_path, "seikatsu-hogo-shisan", rows=100)
    original = (site / "site.toml").read_text(encoding="utf-8")
    confirm(site, "no-such-programme")
    proc = handoff(site, "run", "seikatsu-hogo-shisan", "--input", str(data), lang="en")
    assert proc.returncode == 3 and "unknown_programme" in proc.stderr
    (site / "site.toml").write_text(original, encoding="utf-8")
    confirm(site, "seikatsu-hogo-shisan", items=["氏名"])  # approved, but stated by the seed: nothing to confirm
    proc = handoff(site, "run", "seikatsu-hogo-shisan", "--input", str(data), lang="en")
    assert proc.returncode == 3 and "item_not_assumed_by_programme" in proc.stderr


def test_check_and_proof_work_and_say_the_programme_is_unconfirmed(site: Path, tmp_path: Path) -> None:
    """check and proof still run on an unconfirmed programme; the JSON report and the summary say so."""
    data = sample(site, tmp_path, "kokuho-iryohi", rows=300)
    checked = handoff(site, "check", "kokuho-iryohi", "--input", str(data), "--json")
    assert checked.returncode in (0, 1), checked.stderr
    report = json.loads(checked.stdout)
    assert report["approval"]["confirmed"] is False
    assert report["approval"]["unconfirmed_items"] == IRYOHI_ITEMS
    assert report["findings"]["approval.unconfirmed"] == len(IRYOHI_ITEMS)
    assert report["severities"]["approval.unconfirmed"] == "warning"
    summary = handoff(site, "check", "kokuho-iryohi", "--input", str(data))
    assert "approval.unconfirmed" in summary.stdout and "警告" in summary.stdout
    assert handoff(site, "proof", "kokuho-iryohi", "--input", str(data)).returncode in (0, 1)
    confirm(site, "kokuho-iryohi")
    report = json.loads(handoff(site, "check", "kokuho-iryohi", "--input", str(data), "--json").stdout)
    assert report["approval"]["confirmed"] is True and "approval.unconfirmed" not in report["findings"]


def test_programmes_show_names_the_unconfirmed_items(tmp_path: Path) -> None:
    """`programmes show` of a programme with assumed items the site has not confirmed says so, naming them."""
    import os
    import subprocess
    import sys

    from handoff.pipeline.site import init_site

    home = tmp_path / "site"
    init_site(home)
    env = {**os.environ, "HANDOFF_HOME": str(home), "HANDOFF_LANG": "ja", "COLUMNS": "200"}
    shown = subprocess.run([sys.executable, "-m", "handoff", "programmes", "show", "kokuho-iryohi"], env=env,
                           capture_output=True, text=True, timeout=120, check=False)
    assert shown.returncode == 0 and "未確認の仮定の承認項目" in shown.stdout
    plain = subprocess.run([sys.executable, "-m", "handoff", "programmes", "show", "kodomo-iryosho"], env=env,
                           capture_output=True, text=True, timeout=120, check=False)
    assert plain.returncode == 0 and "未確認" not in plain.stdout
