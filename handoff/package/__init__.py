"""The sealed package: password, AES-256 ZIP with manifest, password notice PDF and disc label PDF.

Order in a run (``handoff.pipeline.seal``): ``Password.generate()`` → ``archive.build_manifest`` →
``archive.write_package`` (verified before it gets its name) → ``media.iso.write_media`` →
``notice.write_notice`` (into ``notice/`` only). The password object is dropped after the notice is written.
"""

from __future__ import annotations


def notice_id(job_id: str) -> str:
    """The id of a job's password notice (one notice per job; a lost notice means a new job)."""
    return f"{job_id}-N1"
