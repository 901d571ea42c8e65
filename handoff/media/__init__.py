"""Media: disc images (iso), burning with read-back verification (burn, verify) and each medium's status.

Ids are ASCII and derived from the job id, so paper, ledger and disc agree without a lookup table:
medium ``<job-id>-M<n>`` (n = 1 … media count).
"""

from __future__ import annotations


def medium_id(job_id: str, index: int) -> str:
    """The id of medium ``index`` (1-based) of a job; printed as Code 128 on the disc label."""
    return f"{job_id}-M{index}"
