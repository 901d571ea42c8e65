"""The inserter's job code of a job, when the vendor profile says ``job_code = "auto"``.

The control code printed on every document begins with a 2-digit job code (``handoff.mail.inserter``). With a
fixed code (``job_code = "01"``) every job of a vendor has the same codes for the same piece and place, so an
envelope of one job read at another's delivery inspection or return looks like that job's own. With ``"auto"``
each job of the vendor takes the next code, 01 to 99 in turn, counted from the jobs the ledger records with a code:
the last 98 jobs of the vendor never share one. The code is stated in the manifest (``control_code.job_code``) for
the vendor to set on the machine, and recorded in ``job.prepared``; the ledger refuses a job whose code one of the
vendor's last 98 coded jobs already has (two runs at the same moment).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from handoff.config import SiteConfig

AUTO = "auto"
CODES = 99  # 01 … 99: the ledger's rule (handoff.ledger.cycles.check_job_code) keeps the last 98 apart


def next_code(site: SiteConfig, vendor: str) -> str:
    """The code the vendor's next job takes: after the last coded job's, 01 to 99 in turn."""
    from handoff.ledger.cycles import coded_jobs
    from handoff.pipeline.ledger_view import read_only

    with read_only(site) as store:  # a check or a proof reads it too: no signing key, nothing written
        coded = coded_jobs(store, vendor)
    last = int(coded[-1].payload["job_code"]) if coded else 0
    return f"{last % CODES + 1:02d}"
