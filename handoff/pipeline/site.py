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
    from handoff.config import REPO_ROOT, SITE_FILE, load_site
    from handoff.fs import make_dir, write_atomic
    from handoff.ledger.service import Ledger

    site_file = target / SITE_FILE
    if site_file.exists():
        raise StateError("ledger.site_exists", path=str(target))
    make_dir(target)
    pipelines = make_dir(target / "pipelines")
    for toml in sorted((REPO_ROOT / "pipelines").glob("*.toml")):
        if not (pipelines / toml.name).exists():
            write_atomic(pipelines / toml.name, toml.read_bytes())
    write_atomic(site_file, (REPO_ROOT / "config" / SITE_FILE).read_bytes())
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
