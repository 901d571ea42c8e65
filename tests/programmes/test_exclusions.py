"""異動 (``[exclusions]``): rows an exclusion file names are not selected, counted by reason; a job already prepared
gets a pull list (引抜きリスト) sealed like a job. Checked with 7-Zip, xorriso and pdftotext, and against the
sample export itself (the people left out are read from it, not from handoff's output)."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from handoff.errors import ConfigError
from handoff.programme import load_programme
from tests.notice import notice_password
from tests.programmes.conftest import confirm, handoff, sample

HEADER = "宛名番号,異動日,異動事由コード\n"


def _unzip(zip_path: Path, notice: Path, dest: Path) -> Path:
    """7-Zip extracts the ZIP with the password printed on its notice."""
    subprocess.run(["7zz", "x", f"-p{notice_password(notice)}", f"-o{dest}", str(zip_path)], check=True,
                   capture_output=True)
    return dest


def _member(data: Path, name: str) -> str:
    """A member as text, in the encoding its manifest declares (the vendor profile's)."""
    manifest = json.loads((data / "manifest.json").read_text(encoding="utf-8"))
    return (data / name).read_text(encoding=manifest["data"]["encoding"])


def _index(job_dir: Path) -> list[list[str]]:
    """The job's in-house pull index: piece, part, place, code, key per document."""
    return [line.split("\t") for line in (job_dir / "internal" / "pull_index.tsv").read_text().splitlines()[1:]]


def _people(export: Path) -> dict[str, tuple[str, str]]:
    """宛名番号 → (氏名, 住所), read from the sample export itself."""
    with export.open(encoding="utf-8", newline="") as fh:
        return {r["宛名番号"]: (r["氏名"], r["住所"]) for r in csv.DictReader(fh)}


def _run(site: Path, export: Path, *extra: str) -> dict[str, object]:
    proc = handoff(site, "run", "keirokai", "--input", str(export), "--cycle", "2026-09", "--json", *extra)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def _entries(site: Path) -> list[dict[str, Any]]:
    """The ledger's entries as ``ledger show --json`` prints them."""
    proc = handoff(site, "ledger", "show", "--json")
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def _prepared(site: Path) -> list[dict[str, Any]]:
    return [e for e in _entries(site) if e["type"] == "job.prepared"]


def _tokusoku_job(site: Path, tmp_path: Path, rows: int) -> Path:
    """A 国保督促状 job (its assumed items confirmed) made from a sample of ``rows``: its folder."""
    confirm(site, "kokuho-tokusoku")
    export = sample(site, tmp_path, "kokuho-tokusoku", rows=rows)
    proc = handoff(site, "run", "kokuho-tokusoku", "--input", str(export), "--json")
    assert proc.returncode in (0, 1), proc.stderr
    return Path(json.loads(proc.stdout)["zip"]).parents[1]


@pytest.fixture
def keirokai(site: Path, tmp_path: Path) -> tuple[Path, dict[str, object], list[str]]:
    """A keirokai export, its first job (no exclusions), and the keys of the people that job mails."""
    export = sample(site, tmp_path, "keirokai", rows=400)
    first = _run(site, export)
    keys = [row[4] for row in _index(Path(str(first["zip"])).parents[1])]
    return export, first, keys


def test_run_leaves_out_the_rows_an_exclusion_file_names(site: Path, tmp_path: Path,
                                                         keirokai: tuple[Path, dict[str, object], list[str]]) -> None:
    """Three mailed people in the 異動 list are not selected (死亡 2, 転出 1); ignored and later changes are not applied."""
    export, first, keys = keirokai
    gone = keys[:3]
    ido = tmp_path / "ido.csv"
    ido.write_text(HEADER + f"{gone[0]},20260801,11\n{gone[1]},20260802,11\n{gone[2]},20260803,12\n"
                   f"{keys[3]},20260804,21\n{keys[4]},20991231,12\n", encoding="utf-8")
    out = _run(site, export, "--exclusions", str(ido), "--reason", "異動を反映して再作成")
    before, after = first["report"], out["report"]  # type: ignore[index]
    assert after["counts"]["rows_selected"] == before["counts"]["rows_selected"] - 3  # type: ignore[index]
    assert after["counts"]["rows_not_selected"] == before["counts"]["rows_not_selected"] + 3  # type: ignore[index]
    assert after["rows_excluded"] == {"死亡": 2, "転出": 1}  # type: ignore[index]
    summary = after["exclusions"]  # type: ignore[index]
    assert (summary["rows_read"], summary["excluding"], summary["later"], summary["ignored"]) == (5, 3, 1, 1)
    data = _unzip(Path(str(out["zip"])), Path(str(out["notice"])), tmp_path / "x")
    text = _member(data, "data.csv")
    people = _people(export)
    for key in gone:
        assert people[key][0] not in text  # the names of the people left out are not sent
    assert people[keys[3]][0] in text  # 区内転居 does not exclude
    entry = _prepared(site)[-1]["payload"]
    assert entry["rows_excluded"] == 3 and entry["exclusions_sha256"] == hashlib.sha256(ido.read_bytes()).hexdigest()


def test_check_applies_an_exclusion_file_as_run_does(site: Path, tmp_path: Path,
                                                      keirokai: tuple[Path, dict[str, object], list[str]]) -> None:
    """check --exclusions counts the named rows as not selected and prints the file's counts and the reasons."""
    export, first, keys = keirokai
    ido = tmp_path / "ido.csv"
    ido.write_text(HEADER + f"{keys[0]},20260801,11\n{keys[1]},20260802,12\n", encoding="utf-8")
    proc = handoff(site, "check", "keirokai", "--input", str(export), "--exclusions", str(ido))
    assert proc.returncode in (0, 1), proc.stderr
    assert "異動者一覧: 2 行読取り" in proc.stdout and "異動により対象外: 2 行（死亡 1、転出 1）" in proc.stdout
    out = json.loads(handoff(site, "check", "keirokai", "--input", str(export), "--exclusions", str(ido),
                             "--json").stdout)
    assert out["counts"]["rows_selected"] == first["report"]["counts"]["rows_selected"] - 2  # type: ignore[index]


def test_exclusion_row_in_error_refuses_the_run_by_row_and_field(site: Path, tmp_path: Path) -> None:
    """A bad 異動日 on row 3 refuses the whole file: exit 4, the row and field named, never the value; no job."""
    export = sample(site, tmp_path, "keirokai", rows=200)
    ido = tmp_path / "ido.csv"
    ido.write_text(HEADER + "0000000001,20260801,11\n0000000077,2026-13-45,11\n", encoding="utf-8")
    proc = handoff(site, "run", "keirokai", "--input", str(export), "--cycle", "2026-09", "--exclusions", str(ido))
    assert proc.returncode == 4, proc.stderr
    assert "[exclusions.bad_row]" in proc.stderr and "3 行目" in proc.stderr and "異動日" in proc.stderr
    assert "2026-13-45" not in proc.stderr and "0000000077" not in proc.stderr
    assert not (site / "data" / "jobs").exists() or not any((site / "data" / "jobs").iterdir())


def test_reason_code_the_programme_does_not_list_is_refused(site: Path, tmp_path: Path) -> None:
    """A reason code neither in reasons nor in ignore is not guessed: exit 4 naming row 2 and the field."""
    export = sample(site, tmp_path, "keirokai", rows=200)
    ido = tmp_path / "ido.csv"
    ido.write_text(HEADER + "0000000001,20260801,99\n", encoding="utf-8")
    proc = handoff(site, "run", "keirokai", "--input", str(export), "--cycle", "2026-09", "--exclusions", str(ido),
                   lang="en")
    assert proc.returncode == 4, proc.stderr
    assert "[exclusions.unknown_reason]" in proc.stderr and "Row 2" in proc.stderr and "異動事由" in proc.stderr


def test_programme_without_exclusions_refuses_an_exclusion_file(site: Path, tmp_path: Path) -> None:
    """A programme that declares no [exclusions] says so (exit 3) instead of ignoring the file."""
    export = sample(site, tmp_path, "kodomo-iryosho", rows=100)
    ido = tmp_path / "ido.csv"
    ido.write_text(HEADER, encoding="utf-8")
    proc = handoff(site, "run", "kodomo-iryosho", "--input", str(export), "--exclusions", str(ido))
    assert proc.returncode == 3 and "[exclusions.not_declared]" in proc.stderr, proc.stderr


def test_pull_list_for_a_prepared_job_goes_sealed_with_numbers_only(
        site: Path, tmp_path: Path, keirokai: tuple[Path, dict[str, object], list[str]]) -> None:
    """A pull list is a new sealed job (7-Zip, xorriso, its own notice, pull_of) with piece numbers only."""
    export, first, keys = keirokai
    job = Path(str(first["zip"])).parents[1].name
    index = {row[4]: row for row in _index(Path(str(first["zip"])).parents[1])}
    ido = tmp_path / "ido.csv"
    ido.write_text(HEADER + f"{keys[5]},20260901,11\n{keys[9]},20260902,12\n", encoding="utf-8")
    proc = handoff(site, "pull", job, "--exclusions", str(ido), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert (out["pull_of"], out["documents"], out["pieces"], out["whole"]) == (job, 2, 2, 2)
    data = _unzip(Path(out["zip"]), Path(out["notice"]), tmp_path / "p")
    rows = list(csv.reader(_member(data, "pull_list.csv").splitlines()))
    assert rows[0] == ["封入連番", "分割番号", "封入内順", "封入制御コード", "引抜き対象ジョブ", "引抜き区分"]
    assert sorted(r[0] for r in rows[1:]) == sorted([index[keys[5]][0], index[keys[9]][0]])
    assert all(r[4] == job and r[5] == "郵便物ごと" for r in rows[1:])
    sent = "".join(p.read_text(encoding="utf-8", errors="replace") for p in data.iterdir())
    people = _people(export)
    for key in (keys[5], keys[9]):
        assert key not in sent and people[key][0] not in sent and people[key][1] not in sent
    listing = subprocess.run(["xorriso", "-indev", out["iso"][0], "-find", "/", "-type", "f"], capture_output=True,
                             text=True, check=True).stdout
    assert Path(out["zip"]).name in listing
    internal = (Path(out["zip"]).parents[1] / "internal" / "pull_list.csv").read_text(encoding="utf-8-sig")
    assert "死亡" in internal and "転出" in internal
    pulled = _prepared(site)[-1]["payload"]
    assert pulled["pull_of"] == job and pulled["approved_items"] == [] and "cycle" not in pulled
    burn = handoff(site, "media", "burn", out["job_id"], "--device", f"stdio:{tmp_path / 'd.iso'}", "--yes")
    assert burn.returncode == 0, burn.stderr  # the pull job's disc is burned and verified like any job's


def test_a_second_pull_list_names_only_what_the_first_did_not(
        site: Path, tmp_path: Path, keirokai: tuple[Path, dict[str, object], list[str]]) -> None:
    """A later 異動 list repeating one person: the new pull list holds only the new person; all repeated: none."""
    _export, first, keys = keirokai
    job = Path(str(first["zip"])).parents[1].name
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    one.write_text(HEADER + f"{keys[5]},20260901,11\n", encoding="utf-8")
    two.write_text(HEADER + f"{keys[5]},20260901,11\n{keys[6]},20260905,12\n", encoding="utf-8")
    made = json.loads(handoff(site, "pull", job, "--exclusions", str(one), "--json").stdout)
    again = handoff(site, "pull", job, "--exclusions", str(two), "--json")
    assert again.returncode == 0, again.stderr
    out = json.loads(again.stdout)
    assert (out["documents"], out["already_listed"], out["earlier"]) == (1, 1, [made["job_id"]])
    data = _unzip(Path(out["zip"]), Path(out["notice"]), tmp_path / "second")
    index = {row[4]: row for row in _index(Path(str(first["zip"])).parents[1])}
    rows = list(csv.reader(_member(data, "pull_list.csv").splitlines()))[1:]
    assert [r[0] for r in rows] == [index[keys[6]][0]]
    third = handoff(site, "pull", job, "--exclusions", str(two))
    assert third.returncode == 0 and "すでに引抜きリスト" in third.stdout and "作っていません" in third.stdout


def test_pull_that_names_no_prepared_piece_makes_nothing(
        site: Path, tmp_path: Path, keirokai: tuple[Path, dict[str, object], list[str]]) -> None:
    """An exclusion file naming nobody the job mails: exit 0, said so, no new job and no ledger entry."""
    _export, first, _keys = keirokai
    job = Path(str(first["zip"])).parents[1].name
    ido = tmp_path / "ido.csv"
    ido.write_text(HEADER + "9999999999,20260901,11\n", encoding="utf-8")
    before = len(list((site / "data" / "jobs").iterdir()))
    proc = handoff(site, "pull", job, "--exclusions", str(ido))
    assert proc.returncode == 0 and "作っていません" in proc.stdout, proc.stderr
    assert len(list((site / "data" / "jobs").iterdir())) == before and len(_prepared(site)) == 1
    again = handoff(site, "pull", "20990101-000000-keirokai-0000", "--exclusions", str(ido))
    assert again.returncode == 9 and "[job.not_found]" in again.stderr


def test_a_partly_paid_household_pulls_documents_not_the_envelope(site: Path, tmp_path: Path) -> None:
    """督促状: one paid 期別 of a household with several is pulled as 文書のみ; all of them paid, 郵便物ごと."""
    job_dir = _tokusoku_job(site, tmp_path, 600)
    docs: dict[tuple[str, str], list[list[str]]] = {}
    for row in _index(job_dir):
        docs.setdefault((row[0], row[1]), []).append(row)
    several = [d for d in docs.values() if len(d) >= 2]
    assert len(several) >= 2
    part_of, whole_of = several[0], several[1]
    lines = ["記号番号,年度,期別,納付日,事由コード"]
    for row in [part_of[0], *whole_of]:
        kigo, nendo, kibetsu = row[4].split("\x1f")
        lines.append(f"{kigo},{nendo},{kibetsu.zfill(2)},20261101,1")  # the list writes 期別 with a zero
    paid = tmp_path / "paid.csv"
    paid.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
    pulled = handoff(site, "pull", job_dir.name, "--exclusions", str(paid), "--json")
    assert pulled.returncode == 0, pulled.stderr
    out = json.loads(pulled.stdout)
    data = _unzip(Path(out["zip"]), Path(out["notice"]), tmp_path / "t")
    rows = list(csv.reader(_member(data, "pull_list.csv").splitlines()))[1:]
    kinds = {(r[0], r[2]): r[5] for r in rows}
    assert kinds[(part_of[0][0], part_of[0][2])] == "文書のみ"
    assert all(kinds[(r[0], r[2])] == "郵便物ごと" for r in whole_of)
    assert len(rows) == 1 + len(whole_of) and all(re.fullmatch(r"\d+", r[0]) for r in rows)


def test_a_delivered_job_is_pulled_at_the_ward_not_by_the_vendor(site: Path, tmp_path: Path) -> None:
    """Delivery inspected (envelopes at the ward): no sealed job; an in-house list and mail.pulled; not twice."""
    job_dir = _tokusoku_job(site, tmp_path, 300)
    codes = [line.split("\t")[1] for line in (job_dir / "internal/inserter_codes.tsv").read_text().splitlines()[1:]]
    scans = tmp_path / "scans.txt"
    scans.write_text("\n".join(codes) + "\n", encoding="utf-8")
    inspected = handoff(site, "inspect", "delivery", job_dir.name, "--scans", str(scans), "--yes")
    assert inspected.returncode == 0, inspected.stderr
    kigo, nendo, kibetsu = _index(job_dir)[0][4].split("\x1f")
    paid = tmp_path / "paid.csv"
    paid.write_bytes(f"記号番号,年度,期別,納付日,事由コード\r\n{kigo},{nendo},{kibetsu},20261101,1\r\n".encode("cp932"))
    jobs_before = sorted(p.name for p in (site / "data/jobs").iterdir())
    pulled = handoff(site, "pull", job_dir.name, "--exclusions", str(paid), "--json")
    assert pulled.returncode == 0, pulled.stderr
    out = json.loads(pulled.stdout)
    assert out["in_house"] is True and out["job_id"] is None and out["documents"] == 1 and out["zip"] is None
    assert sorted(p.name for p in (site / "data/jobs").iterdir()) == jobs_before  # nothing sealed for the vendor
    (listed,) = (job_dir / "internal/pulled").glob("*.csv")
    assert "納付済" in listed.read_text(encoding="utf-8-sig")
    entry = [e for e in _entries(site) if e["type"] == "mail.pulled"][-1]
    assert entry["subject"]["job"] == job_dir.name and entry["payload"]["documents"] == 1
    assert entry["payload"]["list_sha256"] == hashlib.sha256(listed.read_bytes()).hexdigest()
    again = handoff(site, "pull", job_dir.name, "--exclusions", str(paid))
    assert again.returncode == 0 and "作っていません" in again.stdout and len(list(listed.parent.iterdir())) == 1


@pytest.mark.parametrize(("change", "rule"), [
    ('match = ["atena_bango"]', None),
    ('match = ["shimei"]', "unknown_field"),
    ('date = "ido_jiyu"', "needs_date_field"),
    ('ignore = { "11" = "死亡" }', "code_both_excludes_and_ignored"),
])
def test_programme_file_exclusions_are_checked_when_loaded(tmp_path: Path, change: str, rule: str | None) -> None:
    """[exclusions] names match fields declared in both layouts, a date field, and no code both ways."""
    from handoff.config import defaults_dir

    text = (defaults_dir() / "pipelines" / "keirokai.toml").read_text(encoding="utf-8")
    head, tail = text.split("\n[exclusions]\n", 1)  # the change is made inside [exclusions] only
    key = change.split(" =", 1)[0]
    tail = re.sub(rf"^{key} = .*$", change, tail, count=1, flags=re.M)
    path = tmp_path / "keirokai.toml"
    path.write_text(f"{head}\n[exclusions]\n{tail}", encoding="utf-8")
    if rule is None:
        assert load_programme(path).exclusions is not None
        return
    with pytest.raises(ConfigError) as err:
        load_programme(path)
    assert err.value.params["rule"] == rule
