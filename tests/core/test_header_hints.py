"""A wrong file or a wrong encoding is named as such: another programme's export, or the encoding it is probably in."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest

from handoff.config import defaults_dir, load_site
from handoff.contract import StageContext
from handoff.errors import ExitCode, InputError
from handoff.programme import load_programme
from handoff.sample import generator, writers
from handoff.stages import extract
from handoff.stages.extract.hints import _oddness, _probable_encoding, _readings
from tests.conftest import Runner

TODAY = dt.date(2026, 11, 1)
# What the file's encodings are called in messages (the oracle: the names a ward's staff see in their tools).
CP932, UTF8, EUCJP = "CP932 (Shift_JIS)", "UTF-8", "EUC-JP"


def _export(folder: Path, programme: str, encoding: str | None = None, rows: int = 40) -> Path:
    """A synthetic export of ``programme`` (handoff sample's generator), re-encoded to ``encoding`` if given."""
    site = load_site(defaults_dir())
    spec = load_programme(defaults_dir() / "pipelines" / f"{programme}.toml")
    made = generator.generate(spec, site.profile_of(spec.vendor), rows, 3, TODAY)
    path = folder / f"{programme}-{encoding or 'own'}.dat"
    writers.write(spec, made.rows, path)
    if encoding is not None:
        text = path.read_bytes().decode(spec.source.encoding)
        path.write_bytes(text.encode(encoding, errors="replace"))
    return path


def _cells(path: Path) -> set[str]:
    """Every cell of the file (header and records), read with the encoding it really has."""
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        cells = {str(v) for row in load_workbook(path).active.iter_rows(values_only=True) for v in row}
    else:
        cells = {c for row in csv.reader(io.StringIO(_decoded(path.read_bytes()))) for c in row}
    # A short number could be part of any message ("1 行目"); what a reader would recognise is longer.
    return {c for c in cells if len(c) >= 2 and not (c.isascii() and len(c) < 5)}


def _decoded(raw: bytes) -> str:
    """``raw`` in the first of the encodings tried that decodes it (UTF-8 with stray bytes replaced if none does)."""
    for encoding in ("utf-8-sig", "cp932", "euc-jp"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")  # a file with a stray byte: its other cells still count


def _refused(cli: Runner, programme: str, path: Path, code: str, lang: str = "ja") -> str:
    """``handoff check`` refuses ``path`` for ``programme`` with ``code`` and exit 4, showing no cell."""
    proc = cli("check", programme, "--input", str(path), lang=lang)
    shown = proc.stdout + proc.stderr
    assert proc.returncode == ExitCode.INPUT == 4, shown
    assert f"[{code}]" in shown, shown
    leaked = [c for c in _cells(path) if c in shown]
    assert leaked == [], leaked
    assert "Traceback" not in shown
    return " ".join(shown.split())


def test_a_kodomo_export_given_to_keirokai_is_named_as_kodomo_s(cli: Runner, tmp_path: Path) -> None:
    """A kodomo-iryosho export (CP932) checked as keirokai (UTF-8) is named as kodomo-iryosho's, exit 4."""
    shown = _refused(cli, "keirokai", _export(tmp_path, "kodomo-iryosho"), "input.header_other_programme")
    assert "事業 kodomo-iryosho の抽出ファイルのようです" in shown
    assert "9 列" in shown and "keirokai" in shown


def test_a_keirokai_export_given_to_kodomo_is_named_in_english_too(cli: Runner, tmp_path: Path) -> None:
    """The other way round (UTF-8 read as CP932 is mojibake, not an error): named as keirokai's, in English too."""
    shown = _refused(cli, "kodomo-iryosho", _export(tmp_path, "keirokai"), "input.header_other_programme", "en")
    assert "looks like an export of programme keirokai" in shown


def test_a_headerless_or_fixed_programme_given_a_header_file_names_its_programme(cli: Runner, tmp_path: Path
                                                                               ) -> None:
    """seikatsu-hogo (no header) and kokuho-tokusoku (fixed width) given keirokai's export name keirokai."""
    path = _export(tmp_path, "keirokai")
    for programme in ("seikatsu-hogo", "kokuho-tokusoku"):
        assert "keirokai" in _refused(cli, programme, path, "input.header_other_programme")


def test_an_xlsx_with_another_programme_s_header_is_named(cli: Runner, tmp_path: Path) -> None:
    """ninpu-kyufu (xlsx) given a sheet whose header is keirokai's: the header read from the sheet names keirokai."""
    from openpyxl import Workbook

    keirokai = load_programme(defaults_dir() / "pipelines" / "keirokai.toml")
    wb = Workbook()
    ws = wb.active
    ws.append([c.column for c in keirokai.source.columns])
    ws.append(["00000017", "1600022", "東京都新宿区新宿三丁目1番1号", "見本　一郎", "19400101"])
    path = tmp_path / "keirokai.xlsx"
    wb.save(path)
    assert "keirokai" in _refused(cli, "ninpu-kyufu", path, "input.header_other_programme")


@pytest.mark.parametrize(("programme", "encoding", "found"), [
    ("kodomo-iryosho", "utf-8", UTF8),  # a UTF-8 file for a CP932 programme
    ("keirokai", "cp932", CP932),  # a CP932 file for a UTF-8 programme
    ("keirokai", "euc-jp", EUCJP),
])
def test_the_programme_s_own_header_in_another_encoding_names_it(cli: Runner, tmp_path: Path, programme: str,
                                                                 encoding: str, found: str) -> None:
    """The programme's own export in another encoding: the encoding it matches in is named, and the declared one."""
    declared = {"kodomo-iryosho": CP932, "keirokai": UTF8}[programme]
    shown = _refused(cli, programme, _export(tmp_path, programme, encoding), "input.header_encoding")
    assert f"{found} として読むと" in shown and f"宣言（{declared}）" in shown


def test_a_bom_on_a_cp932_programme_s_file_keeps_its_own_refusal(cli: Runner, tmp_path: Path) -> None:
    """A UTF-8 file with a BOM for a CP932 programme stays input.encoding_mismatch, which names the BOM already."""
    shown = _refused(cli, "kodomo-iryosho", _export(tmp_path, "kodomo-iryosho", "utf-8-sig"),
                     "input.encoding_mismatch")
    assert "UTF-8 (BOM)" in shown


def _renamed(folder: Path, programme: str, encoding: str, columns: int = 99) -> Path:
    """The programme's export with its header's first ``columns`` renamed (all of them: it matches no programme),
    in ``encoding``."""
    path = _export(folder, programme)
    spec = load_programme(defaults_dir() / "pipelines" / f"{programme}.toml")
    header, _, body = path.read_bytes().decode(spec.source.encoding).partition("\r\n")
    renamed = ",".join(f"旧{name}" if i < columns else name for i, name in enumerate(header.split(",")))
    target = folder / f"renamed-{encoding}.csv"
    target.write_bytes(f"{renamed}\r\n{body}".encode(encoding))
    return target


def test_a_garbled_header_that_matches_nothing_names_the_probable_encoding(cli: Runner, tmp_path: Path) -> None:
    """A UTF-8 file whose header matches no programme, read as CP932, is mojibake: UTF-8 is named as probable."""
    shown = _refused(cli, "kodomo-iryosho", _renamed(tmp_path, "keirokai", "utf-8"), "input.encoding_probable")
    assert f"おそらく {UTF8} です" in shown and CP932 in shown


def test_an_undecodable_header_that_matches_nothing_names_the_probable_encoding(cli: Runner, tmp_path: Path
                                                                              ) -> None:
    """A CP932 file whose header matches no programme does not decode as UTF-8: CP932 is named as probable."""
    shown = _refused(cli, "keirokai", _renamed(tmp_path, "kodomo-iryosho", "cp932"), "input.encoding_probable")
    assert f"おそらく {CP932} です" in shown


def test_a_header_in_the_right_encoding_with_a_renamed_column_is_not_explained_away(cli: Runner, tmp_path: Path
                                                                                  ) -> None:
    """A CP932 header with its own columns renamed stays input.header_mismatch: nothing else is guessed."""
    _refused(cli, "kodomo-iryosho", _renamed(tmp_path, "kodomo-iryosho", "cp932", 1), "input.header_mismatch")


def test_a_broken_programme_file_does_not_hide_the_hint(site_dir: Path, cli: Runner, tmp_path: Path) -> None:
    """A programme file that does not load is passed over: the other programmes are still compared."""
    # sorted after keirokai, so that check finds keirokai before it comes to the broken file
    (site_dir / "pipelines" / "zz-broken.toml").write_text("id = \n", encoding="utf-8")
    assert "kodomo-iryosho" in _refused(cli, "keirokai", _export(tmp_path, "kodomo-iryosho"),
                                        "input.header_other_programme")


def test_without_the_other_programme_the_refusal_is_the_encoding(site_dir: Path, cli: Runner, tmp_path: Path
                                                                ) -> None:
    """With kodomo-iryosho's file removed from the site, its export given to keirokai is named by encoding only."""
    shutil.move(site_dir / "pipelines" / "kodomo-iryosho.toml", tmp_path / "kodomo-iryosho.toml")
    shown = _refused(cli, "keirokai", _export(tmp_path, "kodomo-iryosho"), "input.encoding_probable")
    assert CP932 in shown


def test_the_stage_raises_a_plain_input_error_without_the_header_cells(tmp_path: Path) -> None:
    """What leaves extract is an InputError holding only its params: the header cells kept for the hint are gone."""
    path = _renamed(tmp_path, "kodomo-iryosho", "cp932", 1)
    site = load_site(defaults_dir())
    spec = load_programme(defaults_dir() / "pipelines" / "kodomo-iryosho.toml")
    with pytest.raises(InputError) as err:
        extract.run(path, spec, StageContext("t", site, site.profile_of(spec.vendor)))
    assert type(err.value) is InputError and err.value.code == "input.header_mismatch"
    assert not any(isinstance(v, list) for v in err.value.params.values())


def test_the_brief_s_mojibake_is_judged_garbled_and_utf8_is_found() -> None:
    """「宛名番号」 in UTF-8 read as CP932 (螳帛錐逡ｪ蜿ｷ…) is garbled; UTF-8 reads it with no unlikely character."""
    line = "宛名番号,郵便番号,住所,氏名,生年月日".encode()
    assert line.decode("cp932").startswith("螳帛錐逡ｪ蜿ｷ")
    odd, wide = _oddness(line.decode("cp932"))
    assert odd >= 0.3 * wide
    assert _oddness(line.decode("utf-8")) == (0.0, 16)
    assert _probable_encoding(_readings(io.BytesIO(line + b"\r\n")), "cp932") == "utf-8"


def test_half_width_katakana_headers_in_the_declared_encoding_get_no_hint() -> None:
    """A header in half-width katakana (old hosts write them), read in its own CP932, is not called mojibake."""
    line = "ｶﾅｼﾒｲ,ｼﾞｭｳｼｮ,氏名".encode("cp932")
    assert _probable_encoding(_readings(io.BytesIO(line)), "cp932") is None


def test_a_body_refusal_under_a_header_that_reads_in_any_encoding_is_left_alone(site_dir: Path, cli: Runner,
                                                                               tmp_path: Path) -> None:
    """An ASCII header (the same in every encoding) that matches: a bad byte on line 3 stays input.decode, line 3."""
    text = (site_dir / "pipelines" / "keirokai.toml").read_text(encoding="utf-8")
    spec = load_programme(site_dir / "pipelines" / "keirokai.toml")
    for c in spec.source.columns:
        text = text.replace(f'column = "{c.column}"', f'column = "{c.field}"')
    (site_dir / "pipelines" / "ascii.toml").write_text(text.replace('id = "keirokai"', 'id = "ascii"'),
                                                       encoding="utf-8")
    header = ",".join(c.field for c in spec.source.columns)
    path = tmp_path / "ascii.csv"
    path.write_bytes(f"{header}\r\n00000017,1600022,東京都新宿区,見本　一郎,19400101\r\n".encode()
                     + b"00000025,1600022,\x82\xa0\xff,x,19400101\r\n")
    shown = _refused(cli, "ascii", path, "input.decode")
    assert "3 行目" in shown
