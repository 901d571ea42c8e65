"""package.unpack and unpack_disc on their own: the checks and the readers, without the ledger."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from handoff.errors import InputError, IntegrityError, PolicyError
from handoff.package.unpack import Policy, check_members, open_zip, read_members
from handoff.package.unpack_disc import archive_in
from tests.intake import helpers as h

POLICY = Policy("shikyu_yotei*.csv", ("readme*.txt",), max_bytes=8 << 20, max_ratio=100)
DATA = h.csv_bytes(h.rows(4))


def contents(path: Path, password: str = h.PASSWORD, policy: Policy = POLICY) -> bytes:
    with path.open("rb") as fh, archive_in(fh, "*.zip", 1 << 30) as stream:
        data, others = check_members(open_zip(stream), policy)
        return read_members(stream, data, others, password.encode(), policy).data


def test_seven_zip_member_read_exactly(tmp_path: Path) -> None:
    """A 7-Zip AES-256 member (deflated) with an allowed extra member reads back byte for byte."""
    big = DATA * 400  # large enough for 7-Zip to deflate it
    archive = h.seven_zip(tmp_path, "v.zip", {h.DATA_NAME: big, "readme.txt": b"count: 1600\r\n"})
    assert contents(archive) == big


def test_duplicate_and_folder_members_refused(tmp_path: Path) -> None:
    """Two members of one name, or a folder entry, are refused as hostile (PolicyError)."""
    dup = h.aes_zip(tmp_path / "d.zip", [(h.DATA_NAME, DATA, h.REGULAR), (h.DATA_NAME.upper(), DATA, h.REGULAR)])
    with pytest.raises(PolicyError) as err:
        contents(dup)
    assert err.value.code == "intake.duplicate_member"
    folder = h.aes_zip(tmp_path / "f.zip", [(h.DATA_NAME, DATA, h.REGULAR), ("readme1.txt/", b"", 0o040755)])
    with pytest.raises(PolicyError) as err:
        contents(folder)
    assert err.value.code == "intake.not_file"


def test_total_limit_counts_every_member(tmp_path: Path) -> None:
    """The total limit adds up the members as they inflate (here two of 5 MiB against 8 MiB)."""
    noise = bytes(range(256)) * (5 << 12)  # 5 MiB that barely compresses: the ratio limit stays out of it
    archive = h.aes_zip(tmp_path / "t.zip", [(h.DATA_NAME, noise, h.REGULAR), ("readme.txt", noise, h.REGULAR)])
    h.lie_about_size(archive, 100)
    with pytest.raises(PolicyError) as err:
        contents(archive)
    assert err.value.code == "intake.bomb"


def test_wrong_password_and_altered_data(tmp_path: Path) -> None:
    """A wrong password is an InputError; altered ciphertext an IntegrityError (HMAC)."""
    archive = h.aes_zip(tmp_path / "p.zip", [(h.DATA_NAME, DATA, h.REGULAR)])
    with pytest.raises(InputError) as wrong:
        contents(archive, "not-the-password")
    assert wrong.value.code == "intake.wrong_password"
    h.flip_ciphertext(archive)
    with pytest.raises(IntegrityError) as altered:
        contents(archive)
    assert altered.value.code == "intake.hmac"


def test_disc_with_rock_ridge_only_and_with_two_zips(tmp_path: Path) -> None:
    """A disc without Joliet is read by its Rock Ridge names; one with two ZIPs is refused (InputError)."""
    archive = h.seven_zip(tmp_path, "v.zip", {h.DATA_NAME: DATA})
    src = tmp_path / "src"
    src.mkdir()
    (src / "v.zip").write_bytes(archive.read_bytes())
    rr = tmp_path / "rr.iso"
    subprocess.run(["xorriso", "-as", "mkisofs", "-r", "-o", str(rr), str(src)], check=True, capture_output=True)
    assert contents(rr) == DATA
    (src / "w.zip").write_bytes(archive.read_bytes())
    two = tmp_path / "two.iso"
    subprocess.run(["xorriso", "-as", "mkisofs", "-J", "-r", "-o", str(two), str(src)], check=True,
                   capture_output=True)
    with pytest.raises(InputError) as err:
        contents(two)
    assert err.value.code == "intake.several_archives"


def test_neither_zip_nor_disc(tmp_path: Path) -> None:
    """A file that is neither a ZIP nor an ISO image is refused as input (exit 4)."""
    other = tmp_path / "x.bin"
    other.write_bytes(b"hello" * 10000)
    with pytest.raises(InputError) as err:
        contents(other)
    assert err.value.code == "intake.not_disc"


def test_ae1_member_with_its_crc_reads(tmp_path: Path) -> None:
    """A WinZip AE-1 member (CRC stored beside the HMAC), stored or deflated, reads back exactly."""
    for deflate in (True, False):
        archive = h.aes_zip(tmp_path / f"ae1-{deflate}.zip", [(h.DATA_NAME, DATA, h.REGULAR)], deflate=deflate,
                            version=1)
        assert contents(archive) == DATA


def test_too_many_members_refused_before_parsing(tmp_path: Path) -> None:
    """An archive declaring more members than allowed is refused from its end record (PolicyError)."""
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as zf:
        for i in range(101):
            zf.writestr(f"f{i}.txt", b"")
    with pytest.raises(PolicyError) as err:
        contents(many)
    assert err.value.code == "intake.too_many_members"
