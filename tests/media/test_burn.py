"""Burning through xorriso to ``stdio:`` pseudo-drives, with read-back verification and the one-way status."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from handoff.errors import IntegrityError, StateError, ToolError
from handoff.media.burn import Drive, burn, list_drives, parse_devices, progress_fraction, verify_medium
from handoff.media.status import medium_status, require_handable
from tests.package.helpers import Sealed, seal

pytestmark = pytest.mark.skipif(shutil.which("xorriso") is None, reason="xorriso not installed")


@pytest.fixture
def sealed(tmp_path: Path) -> Sealed:
    return seal(tmp_path / "data", rows=100)


def test_burn_to_pseudo_drive_verifies(sealed: Sealed, tmp_path: Path) -> None:
    """A burn to stdio:<file> verifies; the disc file starts with exactly the image; the medium is handable."""
    image = sealed.images[0]
    disc = tmp_path / "disc.iso"
    phases: list[tuple[str, float]] = []
    result = burn(sealed.job, image.medium_id, f"stdio:{disc}", lambda p, f: phases.append((p, f)))
    assert result.image_sha256 == image.sha256 and result.tool.startswith("xorriso")
    assert disc.read_bytes()[: image.size] == image.path.read_bytes()  # cdrecord pads after the image
    status = require_handable(sealed.job, image.medium_id)
    assert status.details["readback_sha256"] == image.sha256
    assert {p for p, _ in phases} == {"burn", "check", "readback"} and phases[-1] == ("readback", 1.0)


def test_flipped_byte_in_written_disc_is_detected(sealed: Sealed, tmp_path: Path) -> None:
    """One byte flipped in the burned image afterwards fails the read-back; the medium becomes unusable."""
    image = sealed.images[0]
    disc = tmp_path / "disc.iso"
    burn(sealed.job, image.medium_id, f"stdio:{disc}")
    data = bytearray(disc.read_bytes())
    data[image.size - 4096] ^= 0x40  # inside the ZIP payload, not the file-system structures
    disc.write_bytes(bytes(data))
    with pytest.raises(IntegrityError) as err:
        verify_medium(sealed.job, image.medium_id, f"stdio:{disc}")
    assert err.value.code == "media.readback_mismatch" and int(err.value.exit_code) == 7
    assert medium_status(sealed.job, image.medium_id).state == "unusable"
    with pytest.raises(StateError):
        require_handable(sealed.job, image.medium_id)


def test_truncated_disc_is_detected(sealed: Sealed, tmp_path: Path) -> None:
    """A disc shorter than the image fails verification (block check or short read-back)."""
    image = sealed.images[0]
    disc = tmp_path / "disc.iso"
    burn(sealed.job, image.medium_id, f"stdio:{disc}")
    disc.write_bytes(disc.read_bytes()[: image.size // 2])
    with pytest.raises(IntegrityError):
        verify_medium(sealed.job, image.medium_id, f"stdio:{disc}")


def test_second_disc_of_a_verified_medium_refused(sealed: Sealed, tmp_path: Path) -> None:
    """One medium id is one disc: burning a verified medium again is refused."""
    image = sealed.images[0]
    burn(sealed.job, image.medium_id, f"stdio:{tmp_path / 'a.iso'}")
    with pytest.raises(StateError) as err:
        burn(sealed.job, image.medium_id, f"stdio:{tmp_path / 'b.iso'}")
    assert err.value.code == "media.state_verified"


def test_non_blank_medium_refused_and_status_unchanged(sealed: Sealed, tmp_path: Path) -> None:
    """A medium that already holds data is refused before anything is written; the image stays burnable."""
    used = tmp_path / "used.iso"
    used.write_bytes(sealed.images[0].path.read_bytes())
    with pytest.raises(StateError) as err:
        burn(sealed.job, sealed.images[0].medium_id, f"stdio:{used}")
    assert err.value.code == "media.not_blank"
    assert medium_status(sealed.job, sealed.images[0].medium_id).state == "written"


def test_changed_image_is_not_burned_and_marks_unusable(sealed: Sealed, tmp_path: Path) -> None:
    """If the image file changed since it was made, nothing is burned and the medium becomes unusable."""
    image = sealed.images[0]
    data = bytearray(image.path.read_bytes())
    data[-100] ^= 1
    image.path.write_bytes(bytes(data))
    disc = tmp_path / "disc.iso"
    with pytest.raises(IntegrityError) as err:
        burn(sealed.job, image.medium_id, f"stdio:{disc}")
    assert err.value.code == "media.image_changed" and not disc.exists()
    assert medium_status(sealed.job, image.medium_id).state == "unusable"


def test_unavailable_drive_is_a_tool_error(sealed: Sealed, tmp_path: Path) -> None:
    """A drive xorriso cannot open is a ToolError (exit code 8) and leaves the medium burnable."""
    with pytest.raises(ToolError):
        burn(sealed.job, sealed.images[0].medium_id, f"stdio:{tmp_path / 'no' / 'such' / 'dir' / 'x.iso'}")
    assert medium_status(sealed.job, sealed.images[0].medium_id).state == "written"


def test_drive_list_and_progress_lines_parse() -> None:
    """``xorriso -devices`` lines give address, vendor and model; both progress line styles give a share."""
    text = ("0  -dev '/dev/sr0' rwrw-- :  'HL-DT-ST' 'DVDRAM GH24NSD1'\n"
            "1  -dev '/dev/sr1' rwrw-- :  'ASUS    ' 'SDRW-08D2S-U    '\n")
    assert parse_devices(text) == [Drive("/dev/sr0", "HL-DT-ST", "DVDRAM GH24NSD1"),
                                   Drive("/dev/sr1", "ASUS", "SDRW-08D2S-U")]
    assert parse_devices("xorriso : SORRY : No drives found") == []
    assert progress_fraction("xorriso : UPDATE :    3 of   29 MB written (fifo 99%) [buf  50%]") == 3 / 29
    assert progress_fraction("xorriso : UPDATE : Writing:   1234s   12.5%   fifo 100%  buf  99%") == 0.125
    assert progress_fraction("Beginning to write data track.") is None
    assert isinstance(list_drives(), list)
