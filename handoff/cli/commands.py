"""Registers every command group on the root app (one line each; the modules import lazily)."""

from __future__ import annotations

import typer

from handoff.cli.common import h


def register(app: typer.Typer) -> None:
    from handoff.cli import check, incident, ledger, package_cmds, programmes, proof, run, sample

    app.add_typer(programmes.app, name="programmes")
    app.command("check", help=h("help.check.check"))(check.check)
    app.command("sample", help=h("help.sample.sample"))(sample.sample)
    app.command("proof", help=h("help.proof.proof"))(proof.proof)
    app.command("run", help=h("help.run.run"))(run.run)
    from handoff.cli import pull

    app.command("pull", help=h("help.pull.pull"))(pull.pull)
    app.command("init", help=h("help.ledger.init"))(ledger.init_cmd)
    app.add_typer(ledger.ledger_app, name="ledger")
    app.add_typer(ledger.custody_app, name="custody")
    app.add_typer(incident.app, name="incident")
    app.add_typer(package_cmds.notice_app, name="notice")
    app.add_typer(package_cmds.media_app, name="media")
    from handoff.cli import certificate

    app.add_typer(certificate.app, name="certificate")
    from handoff.cli import inspect

    app.add_typer(inspect.inspect_app, name="inspect")
    app.add_typer(inspect.vendor_app, name="vendor")
    from handoff.cli import returned_mail

    app.add_typer(returned_mail.app, name="returned-mail")
    from handoff.cli import audit

    app.command("audit", help=h("help.audit.audit"))(audit.audit_cmd)
    from handoff.cli import intake

    app.command("intake", help=h("help.intake.intake"))(intake.intake_cmd)
    from handoff.cli import due, schedule

    app.command("due", help=h("help.due.due"))(due.due)
    from handoff.cli import status

    app.command("status", help=h("help.status.status"))(status.status)
    app.add_typer(schedule.app, name="schedule")
