"""``handoff init``: a new site folder with its configuration, data folder, key and ledger.

Refuses any folder that already holds a site or a ledger: an existing key or ledger is never replaced, because
the paper already printed with its checkpoints would stop matching.
"""

from __future__ import annotations

from pathlib import Path

from handoff.errors import StateError
from handoff.ledger.paths import LedgerPaths, SignedCheckpoint


def init_site(target: Path) -> tuple[Path, SignedCheckpoint]:
    """Create the site in ``target``; return the key file path and the first (empty-tree) checkpoint."""
    from handoff.config import PIPELINES, SITE_FILE, builtin_site_files, load_site
    from handoff.fs import make_dir, write_atomic
    from handoff.ledger.service import Ledger

    site_file = target / SITE_FILE
    if site_file.exists():
        raise StateError("ledger.site_exists", path=str(target))
    make_dir(target)
    make_dir(target / PIPELINES)
    builtin = builtin_site_files()
    for name, content in builtin.items():
        # A programme file already in the folder is the ward's own: it is kept, not replaced by the example.
        if name != SITE_FILE and not (target / name).exists():
            write_atomic(target / name, content)
    write_atomic(site_file, builtin[SITE_FILE])
    try:
        site = load_site(target)
        paths = LedgerPaths.of(site)
        if paths.root.exists() and any(paths.root.iterdir()):
            raise StateError("ledger.site_exists", path=str(paths.root))
        make_dir(site.data_path)
        with Ledger.create(site) as ledger:
            checkpoint = ledger.current_checkpoint()
    except BaseException:
        # Without site.toml the folder is not a site, so an interrupted init can be run again.
        site_file.unlink()
        raise
    return paths.signer, checkpoint
