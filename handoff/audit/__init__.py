"""The auditor's side: integrity first, then custody reconciled against deadlines and rules, then the report."""
