"""handoff intake refuses hostile and malformed vendor archives, with a clear message and a documented exit code,
and writes nothing anywhere but the ledger (nothing at all when the disc is refused at receipt)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from handoff.config import SiteConfig, load_site
from handoff.ledger.events import TOKYO
from handoff.ledger.service import Ledger
from handoff.pipeline import intake
from handoff.programme import find_programme
from tests.intake import helpers as h

Maker = Callable[[Path], Path]
GOOD = h.csv_bytes(h.rows(3))


def _traversal(folder: Path) -> Path:
    return h.aes_zip(folder / "v.zip", [(h.DATA_NAME, GOOD, h.REGULAR), ("../evil.csv", b"x", h.REGULAR)])


def _absolute(folder: Path) -> Path:
    return h.aes_zip(folder / "v.zip", [(h.DATA_NAME, GOOD, h.REGULAR), ("/tmp/evil.csv", b"x", h.REGULAR)])


def _symlink(folder: Path) -> Path:
    return h.aes_zip(folder / "v.zip", [(h.DATA_NAME, b"/etc/passwd", h.SYMLINK)])


def _unexpected(folder: Path) -> Path:
    return h.seven_zip(folder, "v.zip", {h.DATA_NAME: GOOD, "extra.txt": b"not declared\r\n"})


def _zipcrypto(folder: Path) -> Path:
    return h.seven_zip(folder, "v.zip", {h.DATA_NAME: GOOD}, method="ZipCrypto")


def _unencrypted(folder: Path) -> Path:
    return h.plain_zip(folder / "v.zip", h.DATA_NAME, GOOD)


def _bomb(folder: Path) -> Path:
    return h.aes_zip(folder / "v.zip", [(h.DATA_NAME, bytes(20 << 20), h.REGULAR)])


def _aes128(folder: Path) -> Path:
    return h.seven_zip(folder, "v.zip", {h.DATA_NAME: GOOD}, method="AES128")


AT_RECEIPT = [
    pytest.param(_traversal, "intake.traversal", id="traversal"),
    pytest.param(_absolute, "intake.absolute_name", id="absolute"),
    pytest.param(_symlink, "intake.symlink", id="symlink"),
    pytest.param(_unexpected, "intake.unexpected_member", id="unexpected"),
    pytest.param(_zipcrypto, "intake.zipcrypto", id="zipcrypto"),
    pytest.param(_unencrypted, "intake.not_encrypted", id="unencrypted"),
    pytest.param(_bomb, "intake.bomb", id="bomb-declared"),
    pytest.param(_aes128, "intake.weak_aes", id="aes128"),
]


def snapshot(root: Path, skip: tuple[Path, ...] = ()) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``root`` (but ``skip``) with its size and modification time."""
    out = {}
    for dirpath, dirs, files in os.walk(root):
        here = Path(dirpath)
        dirs[:] = [d for d in dirs if here / d not in skip]
        for name in [*dirs, *files]:
            st = (here / name).lstat()
            out[str((here / name).relative_to(root))] = (st.st_size, st.st_mtime_ns)
    return out


def _outside_logs(snap: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """The snapshot without the log folder, and without the data folder's own time (the log folder is made in it)."""
    return {k: v for k, v in snap.items() if not k.startswith("site/data/logs") and k != "site/data"}


def ledger_size(site: SiteConfig) -> int:
    with Ledger.open(site) as ledger:
        return len(list(ledger.entries()))


@pytest.mark.parametrize(("make", "code"), AT_RECEIPT)
def test_hostile_archive_refused_at_receipt(home: Path, tmp_path: Path, make: Maker, code: str) -> None:
    """Each hostile archive is refused (exit 5, its own code) before anything is recorded or written."""
    vendor = tmp_path / "vendor"
    vendor.mkdir()
    archive = make(vendor)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    before = snapshot(tmp_path)
    proc = h.run(home, "intake", "ninpu-kyufu", "--staff", "S001", "--image", str(archive),
                 "--handler", "V01-H1", "--quantity", "3", "--yes", cwd=cwd)
    assert proc.returncode == 5, proc.stderr
    assert f"[{code}]" in proc.stderr and "Traceback" not in proc.stderr
    assert "何も読み取らず" in proc.stderr and "終了コード 5" in proc.stderr
    # The log folder is the command's own (codes only); any other new or changed file or folder would show here.
    assert _outside_logs(snapshot(tmp_path)) == _outside_logs(before)
    assert ledger_size(load_site(home)) == 0


def test_hostile_message_in_english(home: Path, tmp_path: Path) -> None:
    """With HANDOFF_LANG=en the refusal is in English, names the member by its place and the rule."""
    archive = _traversal(tmp_path)
    proc = h.run(home, "intake", "ninpu-kyufu", "--staff", "S001", "--image", str(archive),
                 "--handler", "V01-H1", "--quantity", "3", "--yes", lang="en")
    assert proc.returncode == 5
    assert "Member #2 has '..' in its name" in proc.stderr and "Exit code 5" in proc.stderr
    assert "evil" not in proc.stderr


def _received(site: SiteConfig, archive: Path, records: int = 3) -> intake.Look:
    """Record the medium's receipt yesterday and its notice today (in-process), as a ward would over two days."""
    spec = find_programme(site.pipelines_path, "ninpu-kyufu")
    source = intake.Source(image=archive)
    seen = intake.look(site, spec, source)
    yesterday = (dt.datetime.now(TOKYO).date() - dt.timedelta(days=1)).isoformat()
    entry, _ = intake.receive(site, spec, "S001", seen, handler="V01-H1", quantity=records,
                              where={"on": yesterday})
    intake.receive_notice(site, spec, "S001", handler="V01-H2", job=entry.job)
    return intake.look(site, spec, source)


def _read_refused(home: Path, tmp_path: Path, archive: Path, password: str, exit_code: int, code: str) -> None:
    site = load_site(home)
    seen = _received(site, archive)
    assert seen.received is not None
    job_folder = home / "data" / "inbound" / str(seen.received.job)
    before = snapshot(tmp_path, skip=(home / "data",))
    size = ledger_size(site)
    proc = h.run(home, "intake", "ninpu-kyufu", "--staff", "S001", "--image", str(archive), password=password)
    assert proc.returncode == exit_code, proc.stderr
    assert f"[{code}]" in proc.stderr and "Traceback" not in proc.stderr
    assert password not in proc.stderr + proc.stdout
    assert snapshot(tmp_path, skip=(home / "data",)) == before
    assert ledger_size(site) == size  # a refused read records nothing
    assert not job_folder.exists() or not any(p.is_file() for p in (job_folder / "internal").rglob("*"))
    assert sorted(p.name for p in (home / "data").iterdir()) in (["ledger", "logs"], ["inbound", "ledger", "logs"])


def test_wrong_password_refused(home: Path, tmp_path: Path) -> None:
    """A wrong password is an input error (exit 4): nothing is read, written or recorded."""
    archive = h.seven_zip(tmp_path / "vendor", "v.zip", {h.DATA_NAME: GOOD})
    _read_refused(home, tmp_path, archive, "Wrong-Pass-Word-0000", 4, "intake.wrong_password")


def test_bomb_with_lying_headers_stopped_while_inflating(home: Path, tmp_path: Path) -> None:
    """A bomb whose headers claim a small size passes receipt and is stopped while inflating (exit 5)."""
    archive = _bomb(tmp_path)
    h.lie_about_size(archive, 1000)
    _read_refused(home, tmp_path, archive, h.PASSWORD, 5, "intake.bomb")


def test_altered_ciphertext_fails_authentication(home: Path, tmp_path: Path) -> None:
    """One flipped ciphertext byte fails the member's HMAC: an integrity error (exit 7), nothing written."""
    archive = h.seven_zip(tmp_path / "vendor", "v.zip", {h.DATA_NAME: GOOD})
    h.flip_ciphertext(archive)
    _read_refused(home, tmp_path, archive, h.PASSWORD, 7, "intake.hmac")
