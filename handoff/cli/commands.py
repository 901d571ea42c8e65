"""Registers every command group on the root app (one line each; the modules import lazily)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from handoff.cli import check, ledger, package_cmds, programmes, proof, run, sample

    app.add_typer(programmes.app, name="programmes")
    app.command("check")(check.check)
    app.command("sample")(sample.sample)
    app.command("proof")(proof.proof)
    app.command("run")(run.run)
    app.command("init")(ledger.init_cmd)
    app.add_typer(ledger.ledger_app, name="ledger")
    app.add_typer(ledger.custody_app, name="custody")
    app.add_typer(package_cmds.notice_app, name="notice")
    app.add_typer(package_cmds.media_app, name="media")
