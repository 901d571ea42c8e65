"""Synthetic vendor archives for handoff intake: the real 7-Zip for the well-formed one, pyzipper and byte
patches for the hostile ones, xorriso for the disc. Every name and number here is made up."""

from __future__ import annotations

import io
import os
import stat
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

PASSWORD = "Kq7m-Vx3p-Hs9t-Wd4r"
DATA_NAME = "shikyu_yotei_20261201.csv"
HEADER = ["給付管理番号", "氏名", "給付内容", "妊娠していた子どもの数", "支給金額", "振込方法", "金融機関コード",
          "支店コード", "口座種別", "口座番号", "口座名義", "申請書収受日"]


def rows(count: int = 5) -> list[list[str]]:
    """Synthetic 支給予定データ rows (dummy names and accounts)."""
    out = []
    for i in range(1, count + 1):
        out.append([f"K{i:07d}", f"見本 花子{i}", "妊娠時" if i % 2 else "出産時", "1", "50000", "口座振込", "0001",
                    f"{i % 1000:03d}", "普通", f"{1000000 + i:07d}", f"ミホン ハナコ{i}", "2026-11-0" + str(i % 9 + 1)])
    return out


def csv_bytes(table: list[list[str]]) -> bytes:
    lines = [",".join(HEADER)] + [",".join(r) for r in table]
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


def seven_zip(folder: Path, name: str, members: dict[str, bytes], *, method: str = "AES256",
              password: str = PASSWORD) -> Path:
    """An archive made by the real 7-Zip (``7zz a -tzip -mem=…``) from files written into a fresh folder."""
    src = folder / f"{name}.src"
    src.mkdir(parents=True)
    for member, data in members.items():
        (src / member).write_bytes(data)
    target = folder / name
    subprocess.run(["7zz", "a", "-tzip", f"-mem={method}", f"-p{password}", str(target), *members],
                   cwd=src, check=True, capture_output=True)
    for member in members:
        (src / member).unlink()
    src.rmdir()
    return target


def aes_zip(path: Path, members: list[tuple[str, bytes, int]], *, password: str = PASSWORD,
            deflate: bool = True, version: int = 2) -> Path:
    """An AES-256 ZIP written by pyzipper with exactly the names and Unix modes given (hostile ones too)."""
    import pyzipper

    method = pyzipper.ZIP_DEFLATED if deflate else pyzipper.ZIP_STORED
    with pyzipper.AESZipFile(path, "w", compression=method, encryption=pyzipper.WZ_AES) as zf:
        zf.setpassword(password.encode())
        zf.setencryption(pyzipper.WZ_AES, nbits=256, force_wz_aes_version=version)
        for name, data, mode in members:
            info = zf.zipinfo_cls(name, date_time=(2026, 12, 1, 9, 0, 0))
            info.compress_type = method
            info.external_attr = mode << 16
            info.create_system = 3
            zf.writestr(info, data)
    return path


def plain_zip(path: Path, name: str, data: bytes) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(name, data)
    return path


def lie_about_size(path: Path, size: int) -> None:
    """Make every header claim ``size`` bytes inflated (local header and central directory), data untouched."""
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as zf:
        offsets = [i.header_offset for i in zf.infolist()]
    for off in offsets:
        struct.pack_into("<I", raw, off + 22, size)
    at = raw.find(b"PK\x01\x02")
    while at >= 0:
        struct.pack_into("<I", raw, at + 24, size)
        at = raw.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(raw))


def flip_ciphertext(path: Path) -> None:
    """Change one byte inside the first member's encrypted data (after the salt and password check)."""
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as zf:
        info = zf.infolist()[0]
    name_len, extra_len = struct.unpack_from("<HH", raw, info.header_offset + 26)
    at = info.header_offset + 30 + name_len + extra_len + 18 + 2
    raw[at] ^= 0x01
    path.write_bytes(bytes(raw))


def iso_with(folder: Path, archive: Path, name: str = "disc.iso") -> Path:
    """A disc image holding ``archive`` (and a README), made by xorriso as a vendor's burning tool would."""
    src = folder / "disc.src"
    src.mkdir(parents=True, exist_ok=True)
    os.link(archive, src / archive.name)
    (src / "README.TXT").write_bytes(b"vendor disc\r\n")
    image = folder / name
    subprocess.run(["xorriso", "-as", "mkisofs", "-J", "-r", "-V", "VENDOR_DISC", "-o", str(image), str(src)],
                   check=True, capture_output=True)
    (src / archive.name).unlink()
    (src / "README.TXT").unlink()
    src.rmdir()
    return image


def run(home: Path, *args: str, password: str | None = None, lang: str = "ja",
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m handoff ARGS`` for the site at ``home``; the password, if any, through a pipe (--password-fd)."""
    env = {**os.environ, "HANDOFF_HOME": str(home), "HANDOFF_LANG": lang, "COLUMNS": "200"}
    env.pop("HANDOFF_STAFF", None)
    fds: tuple[int, ...] = ()
    read_end = None
    if password is not None:
        read_end, write_end = os.pipe()
        os.write(write_end, password.encode() + b"\n")
        os.close(write_end)
        args = (*args, "--password-fd", str(read_end))
        fds = (read_end,)
    try:
        return subprocess.run([sys.executable, "-m", "handoff", *args], capture_output=True, text=True, env=env,
                              stdin=subprocess.DEVNULL, pass_fds=fds, cwd=cwd, timeout=300)
    finally:
        if read_end is not None:
            os.close(read_end)


SYMLINK = stat.S_IFLNK | 0o777
REGULAR = stat.S_IFREG | 0o644
