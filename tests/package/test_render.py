"""The vendor data file: CSV quoting, fixed-width byte positions, line endings, byte forms, fail-closed refusals.

Oracles are independent of the renderer: Python's ``csv`` module for CSV structure and ``iconv`` (glibc) for
CP932 bytes — iconv writes vendor extensions in the IBM form, as Windows does.
"""

from __future__ import annotations

import csv
import io
import random
import subprocess

import pyarrow as pa
import pytest

from handoff.errors import PolicyError
from handoff.mail.render import render_file
from tests.package.helpers import CSV_FIELDS, dummy_rows, make_spec, profile, table


def iconv_cp932(text: str) -> bytes:
    return subprocess.run(["iconv", "-f", "UTF-8", "-t", "CP932"], input=text.encode(), capture_output=True,
                          check=True).stdout


def csv_text(rows: list[list[str]], eol: str = "\r\n") -> str:
    buf = io.StringIO()
    csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator=eol).writerows(rows)
    return buf.getvalue()


def test_csv_every_field_quoted_quotes_doubled_header_labels() -> None:
    """CSV: every field is quoted, an inner quote is doubled, and the header holds the Japanese labels."""
    rows = dummy_rows(2)
    rows[0]["jusho"] = 'A棟"北",2階'
    out = render_file(table(rows), make_spec("csv", CSV_FIELDS), profile())
    text = out.data.decode("cp932")
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert parsed[0] == ["封入連番", "郵便番号", "住所", "氏名", "交付日"]
    assert parsed[1][2] == 'A棟"北",2階'
    assert text.splitlines()[1].startswith('"000001","1600000","A棟""北"",2階","')
    assert out.member_name == "data.csv" and out.rows == 2


def test_csv_bytes_equal_iconv_of_reference_text_with_ibm_forms() -> None:
    """The whole CP932 file equals iconv's encoding of the same CSV built by Python's csv module."""
    rng = random.Random(7)
    pool = list("山田花子髙﨑①Ⅲ㈱ｱｲｳabc 0-9アイウ・ー丁目番地")
    rows = dummy_rows(3000)
    for r in rows:
        r["shimei"] = "".join(rng.choice(pool) for _ in range(rng.randint(0, 8)))
    out = render_file(table(rows), make_spec("csv", CSV_FIELDS), profile(form="ibm"))
    reference = [["封入連番", "郵便番号", "住所", "氏名", "交付日"]] + [
        [r["piece_seq"], r["yubin"], r["jusho"], r["shimei"], "令和7年4月1日"] for r in rows]
    assert out.data == iconv_cp932(csv_text(reference))


def test_ibm_and_nec_byte_forms_of_vendor_extensions() -> None:
    """髙 is written FB FC in the IBM form (Windows, iconv) and EE E0 in the NEC-selected form."""
    rows = dummy_rows(1)
    rows[0]["shimei"] = "髙"
    spec = make_spec("csv", CSV_FIELDS, header=False)
    ibm = render_file(table(rows), spec, profile(form="ibm")).data
    nec = render_file(table(rows), spec, profile(form="nec")).data
    assert b'"\xfb\xfc"' in ibm and b"\xee\xe0" not in ibm
    assert b'"\xee\xe0"' in nec and b"\xfb\xfc" not in nec
    assert iconv_cp932("髙") == b"\xfb\xfc"


def test_vendor_extension_refused_when_profile_forbids_it() -> None:
    """A JIS-X-0208-only vendor gets no 髙: the render stops naming row and field, not the value."""
    rows = dummy_rows(3)
    rows[2]["shimei"] = "髙橋"
    with pytest.raises(PolicyError) as err:
        render_file(table(rows), make_spec("csv", CSV_FIELDS), profile(ext=False))
    assert err.value.code == "render.unencodable"
    assert err.value.params["row"] == 4 and err.value.params["field"] == "shimei"
    assert err.value.params["char"] == "U+9AD9"
    assert "髙" not in err.value.message("ja") and "橋" not in err.value.message("en")


def test_character_outside_cp932_refused() -> None:
    """𠮷 (U+20BB7) cannot be carried in CP932: refused with the row of the first offending value."""
    rows = dummy_rows(5)
    rows[1]["jusho"] = "𠮷野町1-1"
    with pytest.raises(PolicyError) as err:
        render_file(table(rows), make_spec("csv", CSV_FIELDS), profile())
    assert (err.value.params["row"], err.value.params["field"]) == (3, "jusho")
    assert err.value.params["char"] == "U+20BB7"


def test_utf8_profile_writes_utf8_with_lf() -> None:
    """A UTF-8 vendor gets the same CSV in UTF-8 with LF line endings; 𠮷 is fine there."""
    rows = dummy_rows(2)
    rows[1]["shimei"] = "𠮷田 髙子"
    out = render_file(table(rows), make_spec("csv", CSV_FIELDS), profile(encoding="utf-8", eol="lf"))
    reference = [["封入連番", "郵便番号", "住所", "氏名", "交付日"]] + [
        [r["piece_seq"], r["yubin"], r["jusho"], r["shimei"], "令和7年4月1日"] for r in rows]
    assert out.data == csv_text(reference, "\n").encode("utf-8")
    assert b"\r" not in out.data and out.line_ending == "lf"


def test_crlf_ends_every_record_including_the_last() -> None:
    """CRLF profile: every record, the last included, ends with CR LF and no bare LF occurs."""
    out = render_file(table(dummy_rows(4)), make_spec("csv", CSV_FIELDS), profile(eol="crlf"))
    assert out.data.endswith(b"\r\n")
    assert out.data.count(b"\r\n") == 5 == out.data.count(b"\n")


FIXED = [
    {"field": "piece_seq", "bytes": 6}, {"field": "bango", "bytes": 5, "align": "right"},
    {"field": "shimei", "bytes": 10}, {"field": "yubin", "bytes": 7},
]


def test_fixed_width_byte_positions_with_double_byte_characters() -> None:
    """Fixed width counts bytes: 山田 (4 bytes) pads to 10 with half-width spaces; right-aligned numbers."""
    rows = [{"piece_seq": "000001", "bango": "42", "shimei": "山田", "yubin": "1600023"},
            {"piece_seq": "000002", "bango": "12345", "shimei": "ｱｲ髙", "yubin": "5300005"}]
    out = render_file(table(rows), make_spec("fixed", FIXED), profile())
    records = out.data.split(b"\r\n")
    assert out.record_bytes == 28 and records[-1] == b"" and len(records) == 3
    first, second = records[0], records[1]
    assert len(first) == len(second) == 28
    assert first[0:6] == b"000001" and first[6:11] == b"   42"
    assert first[11:21] == iconv_cp932("山田") + b" " * 6 and first[21:28] == b"1600023"
    assert second[11:21] == iconv_cp932("ｱｲ髙") + b" " * 6  # half-width kana are one byte each
    assert out.member_name == "data.txt"


def test_fixed_width_overlong_value_refused_not_truncated() -> None:
    """A value longer than its field in bytes stops the render naming row, field, bytes and limit."""
    rows = [{"piece_seq": "000001", "bango": "1", "shimei": "山田太郎花子", "yubin": "1600023"}]
    with pytest.raises(PolicyError) as err:
        render_file(table(rows), make_spec("fixed", FIXED), profile())
    assert err.value.code == "render.too_long"
    assert err.value.params == {"row": 2, "field": "shimei", "bytes": 12, "limit": 10}


def test_csv_byte_limit_is_a_maximum() -> None:
    """In CSV, ``bytes`` is a maximum: 11 double-byte characters (22 bytes) exceed a 20-byte 氏名."""
    rows = dummy_rows(2)
    rows[1]["shimei"] = "見" * 11
    with pytest.raises(PolicyError) as err:
        render_file(table(rows), make_spec("csv", CSV_FIELDS), profile())
    assert err.value.params["row"] == 3 and err.value.params["bytes"] == 22


def test_unapproved_column_refused() -> None:
    """A column that is neither an output item nor a system field stops the render (fail closed)."""
    frame = table(dummy_rows(2))
    frame["kojin_bango"] = "123456789018"
    with pytest.raises(PolicyError) as err:
        render_file(frame, make_spec("csv", CSV_FIELDS), profile())
    assert err.value.code == "render.column_not_approved" and err.value.params["field"] == "kojin_bango"


@pytest.mark.parametrize("char", ["\n", "\x00", "\t", "\x1f", "\x7f"])
def test_control_character_refused(char: str) -> None:
    """A line break or other C0/DEL character inside a value is refused (vendors read record by record)."""
    rows = dummy_rows(2)
    rows[0]["jusho"] = f"一行目{char}二行目"
    with pytest.raises(PolicyError) as err:
        render_file(table(rows), make_spec("csv", CSV_FIELDS), profile())
    assert err.value.code == "render.control_char" and err.value.params["row"] == 2


def test_dates_in_wareki_and_bad_dates_refused() -> None:
    """date_wareki prints 令和元年5月1日 style; a non-ISO value is refused, not guessed."""
    rows = dummy_rows(3)
    rows[0]["hi"], rows[1]["hi"] = "2019-05-01", "2025-04-01"
    out = render_file(table(rows), make_spec("csv", CSV_FIELDS, header=False), profile())
    lines = out.data.decode("cp932").splitlines()
    assert lines[0].endswith('"令和元年5月1日"') and lines[1].endswith('"令和7年4月1日"')
    rows[2]["hi"] = "R070401"
    with pytest.raises(PolicyError) as err:
        render_file(table(rows), make_spec("csv", CSV_FIELDS), profile())
    assert err.value.code == "render.bad_date" and err.value.params["row"] == 4


def test_empty_table_and_missing_values() -> None:
    """No rows gives the header only; a missing value is an empty quoted field."""
    spec = make_spec("csv", CSV_FIELDS)
    empty = render_file(table(dummy_rows(0)).reindex(columns=[*spec.output_fields, "_row"]), spec, profile())
    assert empty.data.decode("cp932").count("\r\n") == 1 and empty.rows == 0
    frame = table(dummy_rows(1))
    frame.loc[0, "jusho"] = None
    line = render_file(frame, spec, profile()).data.decode("cp932").splitlines()[1]
    assert '"1600000","","見本 太郎"' in line


def test_sha256_and_repr_hide_nothing_but_data() -> None:
    """RenderedFile carries the SHA-256 of its bytes and its repr never shows the data."""
    import hashlib

    out = render_file(table(dummy_rows(2)), make_spec("csv", CSV_FIELDS), profile())
    assert out.sha256 == hashlib.sha256(out.data).hexdigest()
    assert "見本" not in repr(out) and "1600000" not in repr(out)


def test_chunks_rendered_two_at_a_time_join_in_row_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rendered in chunks of 3 rows on two threads, the file equals csv-module + iconv output in row order."""
    import handoff.mail.render as render

    monkeypatch.setattr(render, "CHUNK_ROWS", 3)
    rows = dummy_rows(11)
    out = render_file(table(rows), make_spec("csv", CSV_FIELDS), profile())
    expected = csv_text([["封入連番", "郵便番号", "住所", "氏名", "交付日"]]
                        + [[r["piece_seq"], r["yubin"], r["jusho"], r["shimei"], "令和7年4月1日"] for r in rows])
    assert out.data == iconv_cp932(expected) and len(out.chunks) == 5


def test_first_refused_row_is_named_whichever_chunk_finishes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """With refusals in two chunks, the error names the earlier row, as a single pass would."""
    import handoff.mail.render as render

    monkeypatch.setattr(render, "CHUNK_ROWS", 2)
    rows = dummy_rows(9)
    rows[3]["jusho"] = "𠮷野町1-1"
    rows[8]["shimei"] = "𠮷田"
    with pytest.raises(PolicyError) as err:
        render_file(table(rows), make_spec("csv", CSV_FIELDS), profile())
    assert (err.value.params["row"], err.value.params["field"]) == (5, "jusho")


def test_suspect_rows_are_encoded_once_and_match_encode_vendor() -> None:
    """A column mixing 髙/﨑 (IBM form, unlike Python's codec), 〜 and plain text equals encode_vendor row by row."""
    from handoff.jp.charset import encode_vendor
    from handoff.mail.render_encode import VendorCodec

    values = ["見本〜町1", "髙橋", "", "abc", "〜", "山田 花子", "﨑〜髙"] * 200
    codec = VendorCodec("cp932", True, "ibm")
    got = codec.encode_column(pa.array(values, type=pa.large_string())).to_pylist()
    assert got == [encode_vendor(v, "cp932", True, "ibm") for v in values]


def test_an_unencodable_character_outside_the_replaced_rows_is_an_integrity_error() -> None:
    """If a character the codec cannot write were ever missed by the suspect scan, the render stops."""
    from handoff.errors import IntegrityError
    from handoff.kernels.column_codec import joined_text
    from handoff.mail.render_encode import _bulk

    arr = pa.array(["𠮷", "ok", "—x"], type=pa.large_string())  # neither is in Python's cp932
    text = joined_text(arr)
    assert _bulk(arr, text, "cp932", allowed=pa.array([True, False, True])).to_pylist()[1] == b"ok"
    with pytest.raises(IntegrityError) as err:
        _bulk(arr, text, "cp932", allowed=pa.array([True, False, False]))
    assert err.value.code == "render.unencodable_missed"
