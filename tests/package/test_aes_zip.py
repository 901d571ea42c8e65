"""pyzipper's internals that handoff's AES ZIP relies on: names, signatures and behaviour, checked with 7-Zip.

These tests fail when a pyzipper release changes what ``handoff.package.aes_zip`` extends, before a ZIP is
sealed that the vendor's 7-Zip would refuse.
"""

from __future__ import annotations

import hashlib
import hmac
import inspect
import io
import os
import shutil
import subprocess
import textwrap
import zipfile
from pathlib import Path
from typing import Any

import pytest

from handoff.package import aes_zip

PASSWORD = b"WARDTESTPASSWORD2345ABCDEFGH"
# An empty member, one smaller than an AES block, and one over several write pieces with a part that deflates.
MEMBERS = {
    "empty.txt": b"",
    "small.txt": b"ward",
    "data.csv": os.urandom(300_000) + "見本 太郎,東京都新宿区\r\n".encode("cp932") * 20_000,
}
PIECE = 64 * 1024

needs_7zip = pytest.mark.skipif(shutil.which("7zz") is None, reason="7zz (Debian package 7zip) not installed")


def _write(path: Path, members: dict[str, bytes] = MEMBERS) -> None:
    """A ZIP written as handoff writes one: through aes_zip, each member streamed in pieces."""
    with path.open("wb") as fh, aes_zip.writer(fh, PASSWORD) as zf:
        for name, data in members.items():
            info = aes_zip.member_info(zf, name, (2026, 6, 1, 9, 0, 0), len(data))
            with zf.open(info, mode="w") as member:
                for start in range(0, len(data), PIECE):
                    member.write(data[start : start + PIECE])


def _params(func: Any) -> list[str]:
    return list(inspect.signature(func).parameters)


def test_pyzipper_keeps_the_names_handoff_extends() -> None:
    """The class hooks, AES tables and constants that aes_zip uses exist with the meaning it assumes."""
    import pyzipper
    from pyzipper import zipfile as pz
    from pyzipper import zipfile_aes

    assert pyzipper.AESZipFile.zipwritefile_cls is pz._ZipWriteFile
    assert issubclass(pyzipper.AESZipFile.zipextfile_cls, pz.ZipExtFile)
    assert issubclass(pyzipper.AESZipFile.zipinfo_cls, pz.ZipInfo) and "_compresslevel" in pz.ZipInfo.__slots__
    assert zipfile_aes.WZ_AES_V2 == aes_zip.WZ_AES_V2 == 2
    assert zipfile_aes.WZ_SALT_LENGTHS[aes_zip.AES_256] == 16 and zipfile_aes.WZ_KEY_LENGTHS[aes_zip.AES_256] == 32
    assert pyzipper.WZ_AES == "WZ_AES" and pyzipper.ZIP_DEFLATED == zipfile.ZIP_DEFLATED
    assert issubclass(pyzipper.BadZipFile, Exception)


def test_pyzipper_keeps_the_signatures_handoff_calls() -> None:
    """The constructors and hook methods that aes_zip overrides take the arguments it passes on."""
    import pyzipper
    from pyzipper import zipfile as pz
    from pyzipper import zipfile_aes

    assert _params(pz._ZipWriteFile.__init__) == ["self", "zf", "zinfo", "zip64", "encrypter"]
    assert _params(zipfile_aes.AESZipEncrypter.__init__)[:4] == ["self", "pwd", "nbits", "force_wz_aes_version"]
    assert _params(zipfile_aes.AESZipDecrypter.__init__) == ["self", "zinfo", "pwd", "encryption_header"]
    assert _params(pyzipper.AESZipFile.zipextfile_cls.get_decompressor) == ["self", "compress_type"]
    assert _params(pyzipper.AESZipFile.zipextfile_cls.setup_aeszipdecrypter) == ["self"]
    assert _params(pyzipper.AESZipFile.get_encrypter) == ["self"]


def test_pyzipper_write_is_still_the_one_handoff_copies() -> None:
    """aes_zip's AE-2 ``write`` is pyzipper's less the CRC line: pyzipper's own must still read exactly so."""
    from pyzipper import zipfile as pz

    expected = '''\
        def write(self, data):
            if self.closed:
                raise ValueError('I/O operation on closed file.')
            nbytes = len(data)
            self._file_size += nbytes
            self._crc = crc32(data, self._crc)
            if self._compressor:
                data = self._compressor.compress(data)
            if self._encrypter:
                data = self._encrypter.encrypt(data)
            self._compress_size += len(data)
            self._fileobj.write(data)
            return nbytes
        '''
    assert textwrap.dedent(inspect.getsource(pz._ZipWriteFile.write)) == textwrap.dedent(expected)


def test_the_replacements_are_what_pyzipper_uses() -> None:
    """Writing and reading a member go through ISA-L (de)compressors and hashlib's HMAC, and read no CRC."""
    from isal import isal_zlib

    buf = io.BytesIO()
    with aes_zip.writer(buf, PASSWORD) as zf, zf.open(aes_zip.member_info(zf, "a.txt", (2026, 6, 1, 0, 0, 0), 4),
                                                      mode="w") as member:
        assert isinstance(member._compressor, aes_zip._AheadCompressor)
        assert isinstance(member._encrypter.hmac, hmac.HMAC)
        assert member._zinfo.wz_aes_version == aes_zip.WZ_AES_V2
        member.write(b"ward")
    with aes_zip.reader(buf, PASSWORD) as zf, zf.open("a.txt") as member:
        assert type(member._decompressor) is type(isal_zlib.decompressobj(aes_zip.RAW_DEFLATE))
        assert isinstance(member._decrypter.hmac, hmac.HMAC)
        assert member._expected_crc is None
        assert member.read() == b"ward"


def test_no_crc_is_computed_for_ae2_members(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pyzipper's CRC-32 is never run over member data on write or read (AE-2 stores 0), and the field is 0."""
    from pyzipper import zipfile as pz

    real, seen = pz.crc32, []

    def counting(data: bytes, *rest: int) -> int:
        if data:
            seen.append(len(data))
        return int(real(data, *rest))

    monkeypatch.setattr(pz, "crc32", counting)
    path = tmp_path / "a.zip"
    _write(path)
    with aes_zip.reader(path, PASSWORD) as zf:
        assert {name: zf.read(name) for name in MEMBERS} == MEMBERS
    assert seen == []
    assert [i.CRC for i in zipfile.ZipFile(path).infolist()] == [0, 0, 0]


def test_stock_pyzipper_and_handoff_read_each_others_zips(tmp_path: Path) -> None:
    """Unmodified pyzipper opens handoff's ZIP (its HMACs check), and handoff's reader opens pyzipper's."""
    import pyzipper

    ours = tmp_path / "ours.zip"
    _write(ours)
    with pyzipper.AESZipFile(ours) as zf:
        zf.setpassword(PASSWORD)
        assert {name: zf.read(name) for name in MEMBERS} == MEMBERS
        assert all(aes_zip.is_aes256_ae2(i) for i in zf.infolist())
    theirs = tmp_path / "theirs.zip"
    with pyzipper.AESZipFile(theirs, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES,
                             encryption_kwargs={"nbits": 256, "force_wz_aes_version": 2}) as zf:
        zf.setpassword(PASSWORD)
        for name, data in MEMBERS.items():
            zf.writestr(name, data)
    with aes_zip.reader(theirs, PASSWORD) as zf:
        assert {name: zf.read(name) for name in MEMBERS} == MEMBERS


@needs_7zip
def test_7zip_tests_and_extracts_the_zip(tmp_path: Path) -> None:
    """``7zz t -p…`` passes and ``7zz x`` extracts every member byte-identical, each stored as AES-256 Deflate."""
    path = tmp_path / "a.zip"
    _write(path)

    def sevenzip(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["7zz", *args], capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)

    tested = sevenzip("t", f"-p{PASSWORD.decode()}", str(path))
    assert tested.returncode == 0 and "Everything is Ok" in tested.stdout, tested.stdout
    out = tmp_path / "x"
    extracted = sevenzip("x", f"-p{PASSWORD.decode()}", f"-o{out}", str(path))
    assert extracted.returncode == 0, extracted.stdout
    for name, data in MEMBERS.items():
        assert hashlib.sha256((out / name).read_bytes()).digest() == hashlib.sha256(data).digest(), name
    listing = sevenzip("l", "-slt", f"-p{PASSWORD.decode()}", str(path)).stdout
    methods = [ln.split(" = ", 1)[1] for ln in listing.splitlines() if ln.startswith("Method = ")]
    assert methods.count("AES-256 Deflate") == len(MEMBERS), methods
