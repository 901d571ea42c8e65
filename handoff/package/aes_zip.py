"""pyzipper's AES ZIP with ISA-L deflate and OpenSSL's HMAC: the one place that touches pyzipper's internals.

The package ZIP is written and read by pyzipper (headers, AES-256-CTR, ZIP64, WinZip AE-2 framing). Three parts of
a member's stream are replaced through pyzipper's class hooks (``zipwritefile_cls``, ``zipextfile_cls``,
``get_encrypter``):

- deflate and inflate run in ISA-L (python-isal), through zlib's interface (``compress`` / ``flush``,
  ``decompress(data, max_length)`` / ``unconsumed_tail`` / ``eof``), replacing the member's ``_compressor`` and
  ``get_decompressor``; the stream is ordinary raw deflate that 7-Zip and zlib read;
- the member's HMAC-SHA1 is hashlib's (OpenSSL) instead of pycryptodome's: the ``hmac`` attribute of pyzipper's
  ``AESZipEncrypter`` / ``AESZipDecrypter``, keyed from the same PBKDF2 derivation;
- AE-2 stores 0 for a member's CRC-32 (its HMAC authenticates the data), so none is computed: ``write`` is
  pyzipper's ``_ZipWriteFile.write`` without the CRC, and a reader sets ``_expected_crc`` to None.

The private names used are ``_ZipWriteFile``'s ``_zinfo``, ``_compressor``, ``_encrypter``, ``_file_size``,
``_compress_size`` and ``_fileobj``; ``ZipExtFile``'s ``_zinfo`` and ``_expected_crc``; ``ZipInfo._compresslevel``;
and ``zipfile_aes``'s ``WZ_SALT_LENGTHS`` / ``WZ_KEY_LENGTHS`` and the encrypter's ``salt`` / ``encpwdverify``.
tests/package/test_aes_zip.py fails when pyzipper changes any of them. pyzipper is imported on first use only, so
commands that never seal or verify a ZIP do not load it.
"""

from __future__ import annotations

import hashlib
import zlib
from functools import cache
from typing import IO, Any

from handoff.errors import IntegrityError

WZ_AES_V2 = 2  # pyzipper.zipfile_aes.WZ_AES_V2 (not re-exported): AE-2, no CRC stored
AES_256 = 3  # WinZip AES strength 3 = 256-bit keys
COMPRESS_LEVEL = 1  # ISA-L's level 1 (of 0–3), which deflates about as small as zlib's level 1
RAW_DEFLATE = -15  # negative window bits: raw deflate, as a ZIP member holds it


class _AheadCompressor:
    """A zlib-style compressor that deflates each piece on a worker thread, one piece ahead of its caller.

    pyzipper's member stream calls ``compress`` and then encrypts, authenticates and writes what it returns.
    Returning the previous piece's output while the worker deflates the current one lets AES and HMAC run
    beside the deflate (ISA-L and pycryptodome release the GIL). One worker keeps the pieces in order, and
    ``flush`` returns the rest, so the stream is the same as from the plain compressor.
    """

    def __init__(self, inner: Any) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._inner = inner
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="deflate")
        self._pending: Any = None

    def compress(self, data: bytes | memoryview) -> bytes:
        previous, self._pending = self._pending, self._pool.submit(self._inner.compress, data)
        return previous.result() if previous is not None else b""

    def flush(self) -> bytes:
        try:
            head = self._pending.result() if self._pending is not None else b""
            return bytes(head) + bytes(self._inner.flush())
        finally:
            self._pool.shutdown()


def _openssl_hmac(pwd: bytes, salt: bytes, key_length: int, pwd_verify: bytes) -> Any:
    """The member's HMAC-SHA1 (WinZip AE: over the encrypted data) keyed as pyzipper keys it, computed by
    OpenSSL (hashlib) instead of pycryptodome, which is slower at it.

    The key comes from the same PBKDF2-HMAC-SHA1 derivation (1,000 rounds; AES key, HMAC key, 2 bytes of
    password check). The password check bytes pyzipper derived must equal ours, so a change in pyzipper's
    derivation stops the package instead of producing a ZIP that 7-Zip would refuse.
    """
    import hmac

    from Cryptodome.Protocol.KDF import PBKDF2

    # pycryptodome's stub says str, the function takes bytes as well (pyzipper passes the same bytes)
    material = PBKDF2(pwd, salt, count=1000, dkLen=2 * key_length + 2)  # type: ignore[arg-type]
    if material[2 * key_length :] != pwd_verify:
        raise IntegrityError("package.key_derivation")
    return hmac.new(material[key_length : 2 * key_length], digestmod=hashlib.sha1)


def _is_ae2(zinfo: Any) -> bool:
    return getattr(zinfo, "wz_aes_version", None) == WZ_AES_V2


def _hmac_crypters(zipfile_aes: Any) -> tuple[type, type]:
    """pyzipper's AES encrypter and decrypter with their HMAC replaced by :func:`_openssl_hmac`."""

    class OpensslHmacEncrypter(zipfile_aes.AESZipEncrypter):  # type: ignore[misc]
        def __init__(self, pwd: bytes, nbits: int = 256, **kwargs: Any) -> None:
            super().__init__(pwd, nbits=nbits, **kwargs)
            self.hmac = _openssl_hmac(pwd, self.salt, nbits // 8, self.encpwdverify)

    class OpensslHmacDecrypter(zipfile_aes.AESZipDecrypter):  # type: ignore[misc]
        def __init__(self, zinfo: Any, pwd: bytes, encryption_header: bytes) -> None:
            super().__init__(zinfo, pwd, encryption_header)  # refuses a wrong password first
            salt = encryption_header[: zipfile_aes.WZ_SALT_LENGTHS[zinfo.wz_aes_strength]]
            self.hmac = _openssl_hmac(pwd, salt, zipfile_aes.WZ_KEY_LENGTHS[zinfo.wz_aes_strength],
                                      encryption_header[len(salt) :])

    return OpensslHmacEncrypter, OpensslHmacDecrypter


def _write_file_class(base: Any, deflated: int) -> type:
    """pyzipper's member writer deflating in ISA-L, one piece ahead, and computing no CRC for an AE-2 member."""
    from isal import isal_zlib

    class IsalWriteFile(base):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if self._zinfo.compress_type == deflated:
                self._compressor = _AheadCompressor(isal_zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, RAW_DEFLATE))

        def write(self, data: Any) -> int:
            """pyzipper's ``write`` without the CRC-32 of the data: an AE-2 member stores 0 in its place (its
            HMAC authenticates the data), so the CRC pyzipper computes would be thrown away. Any other member
            keeps pyzipper's own ``write``."""
            if not _is_ae2(self._zinfo):
                return int(super().write(data))
            if self.closed:
                raise ValueError("I/O operation on closed file.")
            size = len(data)
            self._file_size += size
            if self._compressor:
                data = self._compressor.compress(data)
            if self._encrypter:
                data = self._encrypter.encrypt(data)
            self._compress_size += len(data)
            self._fileobj.write(data)
            return size

    return IsalWriteFile


def _ext_file_class(base: Any, deflated: int, decrypter: type) -> type:
    """pyzipper's member reader inflating in ISA-L, with the OpenSSL HMAC and no CRC for an AE-2 member."""
    from isal import isal_zlib

    class IsalExtFile(base):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if _is_ae2(self._zinfo) and not getattr(self, "_expected_crc", None):
                # AE-2 stores 0 for the CRC and pyzipper checks none then, yet it computes one while reading.
                self._expected_crc = None

        def get_decompressor(self, compress_type: int) -> Any:
            if compress_type == deflated:
                return isal_zlib.decompressobj(RAW_DEFLATE)
            return super().get_decompressor(compress_type)

        def setup_aeszipdecrypter(self) -> Any:
            super().setup_aeszipdecrypter()
            return decrypter

    return IsalExtFile


@cache
def zip_class() -> Any:
    """pyzipper's AESZipFile with its member streams deflating and inflating in ISA-L and authenticating with
    OpenSSL's HMAC. Only those change; headers, AES and ZIP64 stay pyzipper's. Built on first use."""
    import pyzipper
    from pyzipper import zipfile_aes

    encrypter, decrypter = _hmac_crypters(zipfile_aes)
    base = pyzipper.AESZipFile

    class IsalAESZipFile(base):  # type: ignore[misc,valid-type]
        zipwritefile_cls = _write_file_class(base.zipwritefile_cls, pyzipper.ZIP_DEFLATED)
        zipextfile_cls = _ext_file_class(base.zipextfile_cls, pyzipper.ZIP_DEFLATED, decrypter)

        def get_encrypter(self) -> Any:
            if self.encryption == pyzipper.WZ_AES:
                return encrypter(pwd=self.pwd, **(self.encryption_kwargs or {}))
            return super().get_encrypter()

    return IsalAESZipFile


def writer(fh: IO[bytes], pwd: bytes) -> Any:
    """A ZIP being written to ``fh`` whose members are deflated and encrypted AES-256 AE-2 with ``pwd``."""
    import pyzipper

    zf = zip_class()(fh, "w", compression=pyzipper.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL,
                     encryption=pyzipper.WZ_AES, encryption_kwargs={"nbits": 256, "force_wz_aes_version": WZ_AES_V2})
    zf.setpassword(pwd)
    return zf


def reader(path: Any, pwd: bytes) -> Any:
    """The ZIP at ``path`` opened for reading with ``pwd``."""
    zf = zip_class()(path)
    zf.setpassword(pwd)
    return zf


def member_info(zf: Any, name: str, date_time: tuple[int, ...], size: int) -> Any:
    """A deflated member's header for streaming into ``zf.open(info, mode="w")``.

    Set as ``writestr`` sets them: the compression level, and the size up front, which decides ZIP64 before
    the first byte is written.
    """
    import pyzipper

    info = zf.zipinfo_cls(name, date_time=date_time)
    info.compress_type = pyzipper.ZIP_DEFLATED
    info._compresslevel = COMPRESS_LEVEL
    info.file_size = size
    return info


def is_aes256_ae2(info: Any) -> bool:
    """Is the member encrypted AES-256 in WinZip's AE-2 form (no CRC stored)?"""
    return getattr(info, "wz_aes_strength", 0) == AES_256 and _is_ae2(info)
