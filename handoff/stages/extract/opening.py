"""Open ``--input``: only a regular file is read, whatever the name points at.

The file is opened once and checked on what was opened (``fstat`` of the descriptor), not on the name, so a
name swapped between a check and the read changes nothing. It is opened without blocking, so a FIFO (which
would wait for a writer for ever) is refused at once like a directory or a device. A symbolic link is refused
unless the site allows it (``[input] follow_symlinks``): a link planted in a shared folder must not make
handoff read another file (a system file, another ward's export).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from handoff.errors import InputError

# C0 controls, DEL and C1 controls: a file name holding them is shown with them escaped (a terminal would act
# on an escape sequence instead of printing it).
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}


def shown_path(path: Path | str) -> str:
    """``path`` as messages show it: control characters escaped (``\\x1b``), nothing else changed."""
    return str(path).translate(_CONTROLS)


def open_input(path: Path, follow_symlinks: bool) -> BinaryIO:
    """``path`` opened for reading, if it is a regular file; otherwise an InputError naming what it is."""
    name = shown_path(path)
    try:
        if not follow_symlinks and stat.S_ISLNK(os.lstat(path).st_mode):
            raise InputError("input.symlink", path=name)
        flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow_symlinks else os.O_NOFOLLOW)
        fd = os.open(path, flags)
    except OSError as exc:
        raise _open_error(exc, name, follow_symlinks) from None
    try:
        _refuse_irregular(os.fstat(fd).st_mode, name)
        os.set_blocking(fd, True)  # a regular file never blocks; reads go on as usual
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def _open_error(exc: OSError, name: str, follow_symlinks: bool) -> InputError:
    """The refusal for a name that could not be opened."""
    if exc.errno == errno.ENOENT:
        return InputError("input.not_found", path=name)
    if exc.errno == errno.ELOOP and not follow_symlinks:
        return InputError("input.symlink", path=name)  # made a link after the check above
    if exc.errno in (errno.EACCES, errno.EPERM):
        return InputError("input.no_permission", path=name)
    if exc.errno == errno.ENXIO:  # a socket (or a device without its driver)
        return InputError("input.not_regular", path=name)
    return InputError("input.unreadable", path=name, reason=errno.errorcode.get(exc.errno or 0, "?"))


def _refuse_irregular(mode: int, name: str) -> None:
    """Refuse anything but a regular file, naming what it is."""
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise InputError("input.directory", path=name)
    if stat.S_ISFIFO(mode):
        raise InputError("input.fifo", path=name)
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise InputError("input.device", path=name)
    raise InputError("input.not_regular", path=name)
