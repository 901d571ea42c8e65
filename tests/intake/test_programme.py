"""The [inbound] table of a programme file: loaded, checked at load time, and rendered for the host import."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from handoff.config import defaults_dir
from handoff.contract import ROW
from handoff.errors import ConfigError
from handoff.pipeline.intake_rows import render, view_of
from handoff.programme import InboundOutput, OutputField, load_programme

NINPU = defaults_dir() / "pipelines" / "ninpu-kyufu.toml"


def test_ninpu_declares_its_inbound_data() -> None:
    """seed 002 ④: ninpu-kyufu declares the 支給予定データ it receives and its cp932 import file."""
    spec = load_programme(NINPU)
    assert spec.inbound is not None and spec.inbound.title == "支給予定データ"
    assert spec.inbound.output.encoding == "cp932" and spec.inbound.output.name.endswith(".csv")
    assert "seed 002" in NINPU.read_text(encoding="utf-8").split("[inbound]")[0].rsplit("\n\n", 1)[-1]


@pytest.mark.parametrize(("old", "new", "key"), [
    ('{ field = "koza_meigi", bytes = 60 }', '{ field = "nai", bytes = 60 }', "inbound.output.fields.10.field"),
    ('row_key = ["kyufu_kanri_bango"]', 'row_key = ["nai"]', "inbound.row_key"),
    ('name = "shikyu_yotei_torikomi.csv"', 'name = "../x.csv"', "inbound.output.name"),
])
def test_bad_inbound_table_refused(tmp_path: Path, old: str, new: str, key: str) -> None:
    """An undeclared field, an unknown key or a path as the import's name stops the programme at load."""
    text = NINPU.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "p.toml"
    head, inbound = text.split("\n[inbound]\n")
    path.write_text(head + "\n[inbound]\n" + inbound.replace(old, new), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_programme(path)
    assert key in str(err.value.params)


def test_fixed_width_import_padded_to_its_bytes() -> None:
    """A fixed-width import pads each field with spaces to its declared CP932 bytes (right-aligned if asked)."""
    spec = load_programme(NINPU)
    assert spec.inbound is not None
    out = InboundOutput(name="x.txt", format="fixed", fields=[
        OutputField(field="kyufu_kanri_bango", bytes=10), OutputField(field="shimei", bytes=8),
        OutputField(field="shikyu_kingaku", bytes=7, align="right")])
    inbound = spec.inbound.model_copy(update={"output": out})
    table = pd.DataFrame({"kyufu_kanri_bango": ["K1"], "shimei": ["見本"], "shikyu_kingaku": ["50000"], ROW: [2]})
    body = render(table, out, view_of(spec, inbound))
    assert body == b"K1        " + "見本".encode("cp932") + b"    " + b"  50000" + b"\r\n"
