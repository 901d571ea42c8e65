"""Opening a vendor's AES-256 ZIP safely: nothing in it is trusted until it is checked, nothing is extracted.

The central directory is checked first, without the password: every member name is plain (no absolute path, no
``..``, no control character, no duplicate), no member is a symbolic link (the Unix mode in the external
attributes), every member is encrypted with WinZip AES-256 (never ZipCrypto, never unencrypted), deflated or
stored, and expected by the programme's ``[inbound]`` patterns (exactly one data member). The sizes the headers
declare are only a first check: each member is then decrypted and inflated here, from its local header, in
pieces, counting what comes out, and refused as soon as it passes the total or the ratio limit — a header that
lies about sizes changes nothing. The member's HMAC (and, for AE-1, its CRC) is checked before any byte of it is
used. Only the data member's bytes are kept, in memory; the caller decides what is written, and where.

Messages name a member by its place in the archive (``#2``), never by its name: the vendor chose the name.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
import stat
import struct
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from handoff.errors import InputError, IntegrityError, PolicyError

STORED, DEFLATED = 0, 8
AES_256 = 3
SALT = 16  # AES-256 salt bytes, then 2 bytes of password check
HMAC_BYTES = 10
LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
LOCAL_SIGNATURE = b"PK\x03\x04"
CHUNK = 1 << 20  # ciphertext read, and plaintext inflated, in pieces of this size
RATIO_FLOOR = 1 << 20  # the ratio is judged once this much came out: small files compress as they like
MAX_MEMBERS = 100
END_RECORD = 22  # bytes of the end-of-central-directory record before its comment
_DRIVE = re.compile(r"[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Policy:
    """What the programme's ``[inbound]`` table allows an archive to hold."""

    data_member: str
    other_members: tuple[str, ...] = ()
    max_bytes: int = 256 << 20
    max_ratio: int = 100


@dataclass(frozen=True)
class Member:
    """One checked member: its place in the archive (1-based) and its header."""

    index: int
    info: Any = field(repr=False)

    @property
    def label(self) -> str:
        return f"#{self.index}"


@dataclass(frozen=True)
class Contents:
    """The data member's plaintext (in memory only; ``repr`` never shows it) and its SHA-256."""

    data: bytes = field(repr=False)
    sha256: str
    members: int


def matches(name: str, pattern: str) -> bool:
    """A member or file name against a declared pattern (* and ?, case ignored as on the ward's Windows PCs)."""
    return fnmatch.fnmatch(name.lower(), pattern.lower())


def open_zip(fh: IO[bytes]) -> Any:
    """The ZIP's central directory, read by pyzipper (which knows the AES extra field); InputError when it is no
    ZIP or a damaged one."""
    import pyzipper

    count = _declared_entries(fh)
    if count is not None and count > MAX_MEMBERS:  # refused before a huge central directory is parsed
        raise PolicyError("intake.too_many_members", count=count, limit=MAX_MEMBERS)
    try:
        fh.seek(0)
        return pyzipper.AESZipFile(fh)
    except (pyzipper.BadZipFile, OSError, ValueError, EOFError, struct.error, KeyError, NotImplementedError) as exc:
        raise InputError("intake.not_zip", reason=type(exc).__name__) from None


def _declared_entries(fh: IO[bytes]) -> int | None:
    """The entry count the end-of-central-directory record declares (None when there is none to find)."""
    fh.seek(0, 2)
    end = fh.tell()
    size = min(end, END_RECORD + 0xFFFF)  # the record, then a comment of at most 65,535 bytes
    fh.seek(end - size)
    tail = fh.read(size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < END_RECORD:
        return None
    return int(struct.unpack_from("<H", tail, at + 10)[0])


def check_members(zf: Any, policy: Policy) -> tuple[Member, list[Member]]:
    """The data member and the others, after every check that needs no password (PolicyError, exit 5)."""
    infos = zf.infolist()
    if not infos:
        raise PolicyError("intake.empty_archive")
    if len(infos) > MAX_MEMBERS:
        raise PolicyError("intake.too_many_members", count=len(infos), limit=MAX_MEMBERS)
    seen: set[str] = set()
    data: list[Member] = []
    others: list[Member] = []
    for index, info in enumerate(infos, 1):
        member = Member(index, info)
        _check_name(member, seen)
        _check_kind(member)
        _check_encryption(member)
        name = info.orig_filename
        if matches(name, policy.data_member):
            data.append(member)
        elif any(matches(name, p) for p in policy.other_members):
            others.append(member)
        else:
            raise PolicyError("intake.unexpected_member", member=member.label, pattern=policy.data_member)
    if not data:
        raise PolicyError("intake.no_data_member", pattern=policy.data_member)
    if len(data) > 1:
        raise PolicyError("intake.several_data_members", pattern=policy.data_member, count=len(data))
    _check_declared_sizes([*data, *others], policy)
    return data[0], others


def _check_name(member: Member, seen: set[str]) -> None:
    name = member.info.orig_filename
    if not name or _CONTROL.search(name):
        raise PolicyError("intake.bad_name", member=member.label)
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        raise PolicyError("intake.absolute_name", member=member.label)
    if any(part == ".." for part in re.split(r"[/\\]", name)):
        raise PolicyError("intake.traversal", member=member.label)
    if name.lower() in seen:
        raise PolicyError("intake.duplicate_member", member=member.label)
    seen.add(name.lower())


def _check_kind(member: Member) -> None:
    """A symbolic link (whatever system the creator names: the mode is judged wherever it comes from), a folder or
    a device is no data."""
    mode = member.info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise PolicyError("intake.symlink", member=member.label)
    kind = stat.S_IFMT(mode)  # 0 where the creator gave permissions only (Python's zipfile, Windows tools)
    if member.info.orig_filename.endswith(("/", "\\")) or kind not in (0, stat.S_IFREG):
        raise PolicyError("intake.not_file", member=member.label)


def _check_encryption(member: Member) -> None:
    info = member.info
    if not info.flag_bits & 0x1:
        raise PolicyError("intake.not_encrypted", member=member.label)
    strength = getattr(info, "wz_aes_strength", None)
    if strength is None or info.flag_bits & 0x40:  # ZipCrypto, or PKWARE's strong encryption: not WinZip AES
        raise PolicyError("intake.zipcrypto", member=member.label)
    if strength != AES_256:
        raise PolicyError("intake.weak_aes", member=member.label)
    if info.compress_type not in (STORED, DEFLATED):
        raise PolicyError("intake.method", member=member.label, method=info.compress_type)


def _check_declared_sizes(members: Sequence[Member], policy: Policy) -> None:
    """What the headers claim already past the limits (the inflating counts again, not trusting them)."""
    total = 0
    for m in members:
        size, packed = m.info.file_size, max(1, m.info.compress_size)
        total += size
        if total > policy.max_bytes or (size > RATIO_FLOOR and size > policy.max_ratio * packed):
            raise PolicyError("intake.bomb", member=m.label, limit=policy.max_bytes, ratio=policy.max_ratio)


def read_members(fh: IO[bytes], data: Member, others: Sequence[Member], password: bytes, policy: Policy) -> Contents:
    """Decrypt, authenticate and inflate every member (the others only to check them); the data member's bytes."""
    if not password:
        raise InputError("intake.no_password")
    budget = _Budget(policy)
    kept = b""
    for m in sorted([data, *others], key=lambda m: m.index):
        out = bytearray()
        for piece in _plaintext(fh, m, password, budget):
            if m is data:
                out += piece
        if m is data:
            kept = bytes(out)
    return Contents(kept, hashlib.sha256(kept).hexdigest(), 1 + len(others))


@dataclass
class _Budget:
    """What all members inflated to so far, against the limits."""

    policy: Policy
    total: int = 0

    def take(self, member: Member, inflated: int, consumed: int, produced: int) -> None:
        self.total += inflated
        p = self.policy
        if self.total > p.max_bytes or (produced > RATIO_FLOOR and produced > p.max_ratio * max(1, consumed)):
            raise PolicyError("intake.bomb", member=member.label, limit=p.max_bytes, ratio=p.max_ratio)


def _plaintext(fh: IO[bytes], m: Member, password: bytes, budget: _Budget) -> Iterator[bytes]:
    """The member's plaintext in pieces, each counted against the limits before it is given; the HMAC (and an
    AE-1 CRC) is checked after the last ciphertext byte, and the pieces are only used once that passed."""
    from pyzipper import zipfile_aes

    info = m.info
    start, length = _data_span(fh, m)
    fh.seek(start)
    head = fh.read(SALT + 2)
    try:
        decrypter = zipfile_aes.AESZipDecrypter(info, password, head)
    except RuntimeError:  # pyzipper: "Bad password" (its text is not shown: only the member's place)
        raise InputError("intake.wrong_password", member=m.label) from None
    inflate = zlib.decompressobj(-15) if info.compress_type == DEFLATED else None
    left, consumed, produced, crc = length - SALT - 2 - HMAC_BYTES, 0, 0, 0
    pieces: list[bytes] = []
    broken: str | None = None  # a stream that does not inflate is judged after the HMAC: tampering comes first
    while left > 0:
        chunk = fh.read(min(CHUNK, left))
        if not chunk:
            raise IntegrityError("intake.truncated", member=m.label)
        left -= len(chunk)
        consumed += len(chunk)
        plain = decrypter.decrypt(chunk)  # also feeds the HMAC, which covers every ciphertext byte
        if broken is not None:
            continue
        try:
            for piece in _inflate(inflate, plain):
                produced += len(piece)
                budget.take(m, len(piece), consumed, produced)
                crc = zlib.crc32(piece, crc)
                pieces.append(piece)
        except (zlib.error, _Trailing) as exc:
            broken = "intake.trailing_data" if isinstance(exc, _Trailing) else "intake.corrupt"
    try:
        decrypter.check_hmac(fh.read(HMAC_BYTES))
    except zipfile_aes.BadZipFile:
        raise IntegrityError("intake.hmac", member=m.label) from None
    if broken is None and inflate is not None and (not inflate.eof or inflate.unused_data):
        broken = "intake.trailing_data" if inflate.unused_data else "intake.corrupt"
    if broken == "intake.trailing_data":
        raise PolicyError(broken, member=m.label)
    if broken is not None:
        raise IntegrityError(broken, member=m.label)
    if getattr(info, "wz_aes_version", 2) == 1 and crc != info.CRC:
        raise IntegrityError("intake.crc", member=m.label)
    if produced != info.file_size:
        raise PolicyError("intake.size_lies", member=m.label)
    yield from pieces


class _Trailing(Exception):  # noqa: N818 -- a signal inside this module, never raised to a caller
    """Bytes after the end of a member's deflate stream."""


def _inflate(inflate: Any, data: bytes) -> Iterator[bytes]:
    """Inflate ``data`` a bounded piece at a time (never all at once: a bomb is stopped by the caller's count)."""
    if inflate is None:
        yield data
        return
    while True:
        if inflate.eof:
            if data or inflate.unused_data:
                raise _Trailing
            return
        piece = inflate.decompress(data, CHUNK)
        if piece:
            yield piece
        data = inflate.unconsumed_tail
        if not data and len(piece) < CHUNK:
            if inflate.eof and inflate.unused_data:
                raise _Trailing
            return


def _data_span(fh: IO[bytes], m: Member) -> tuple[int, int]:
    """Where the member's encrypted bytes begin, from its own local header, and how many there are; the local
    header must name the same member as the central directory, and the bytes must lie within the file."""
    info = m.info
    fh.seek(0, 2)
    end = fh.tell()
    fh.seek(info.header_offset)
    raw = fh.read(LOCAL_HEADER.size)
    if len(raw) != LOCAL_HEADER.size or raw[:4] != LOCAL_SIGNATURE:
        raise PolicyError("intake.header_mismatch", member=m.label)
    fields = LOCAL_HEADER.unpack(raw)
    name_len, extra_len = fields[9], fields[10]
    name = fh.read(name_len)
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    if name != info.orig_filename.encode(encoding, errors="replace"):
        raise PolicyError("intake.header_mismatch", member=m.label)
    start = info.header_offset + LOCAL_HEADER.size + name_len + extra_len
    length = info.compress_size
    if length < SALT + 2 + HMAC_BYTES or start + length > end:
        raise IntegrityError("intake.truncated", member=m.label)
    return start, length
