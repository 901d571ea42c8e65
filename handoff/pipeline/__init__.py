"""Plan, run and report a job: the only place that sequences stages."""
