"""The command-line library's own words — "Usage:", "Options", "Show this message and exit.", "Missing option",
"Error:" — in the language of the message catalogue (``click.*`` in ``messages/help.py``), so that Japanese help
and usage errors carry no English.

typer translates its own words through ``gettext``; the click code it carries has them as plain text, so those
few places are wrapped here, once, before the command line is built.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from typing import IO, Any

_done = False

# A usage error's opening words as the library writes them, and the catalogue's text for each (what follows the
# opening words — a value's own complaint — is kept as it is).
_USAGE_ERRORS = (
    (re.compile(r"Missing (?P<what>option|argument|parameter)(?P<hint> [^.]*)?\.(?: (?P<rest>.*))?", re.DOTALL),
     "click.missing"),
    (re.compile(r"Invalid value for (?P<hint>.+?): (?P<rest>.*)", re.DOTALL), "click.invalid_for"),
    (re.compile(r"Invalid value: (?P<rest>.*)", re.DOTALL), "click.invalid"),
    (re.compile(r"No such option: (?P<hint>\S+)(?P<rest>.*)", re.DOTALL), "click.no_such_option"),
    (re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((?P<hint>.*)\)", re.DOTALL), "click.extra_arguments"),
    (re.compile(r"Option (?P<hint>'[^']*') requires (?P<rest>.*)", re.DOTALL), "click.needs_value"),
)


def install() -> None:
    """Wrap the library's word sources (idempotent)."""
    global _done
    if _done:
        return
    _done = True
    import typer.core
    from typer._click import core, exceptions, formatting

    typer.core._ = _gettext  # type: ignore[attr-defined]
    _wrap_help_option(core.Command)
    _wrap_usage(formatting.HelpFormatter)
    exceptions.ClickException.show = _show_error  # type: ignore[method-assign]
    exceptions.UsageError.show = _show_usage_error  # type: ignore[method-assign]


def _t(code: str, **params: object) -> str:
    from handoff.messages import t

    return t(code, **params)


def _gettext(message: str) -> str:
    """typer's ``_()``: the catalogue's text whose English is ``message``; else ``message`` itself."""
    from handoff.messages import CATALOGUE, current_lang

    if current_lang() == "en":
        return message
    for code, (ja, en) in CATALOGUE.items():
        if code.startswith("click.") and en == message:
            return ja
    return message


def _wrap_help_option(command: Any) -> None:
    """The help option's text from the catalogue; and its value read as a plain flag, because typer's conversion of
    an absent flag loads pydantic (~0.1 s) before any command's ``--help`` could be shown."""
    original: Callable[..., Any] = command.get_help_option

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original(self, ctx)
        if option is not None:
            option.help = _t("click.help_option")
            option.process_value = types.MethodType(_plain_flag, option)
        return option

    command.get_help_option = get_help_option


def _plain_flag(option: Any, ctx: Any, value: Any) -> Any:
    value = bool(value)
    return option.callback(ctx, option, value) if option.callback is not None else value


def _wrap_usage(formatter: Any) -> None:
    original: Callable[..., None] = formatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        original(self, prog, args, _t("click.usage") if prefix is None else prefix)

    formatter.write_usage = write_usage


def localise(message: str) -> str:
    """A usage error's message with the library's opening words in the catalogue's language."""
    from handoff.messages import current_lang

    if current_lang() == "en":
        return message
    for pattern, code in _USAGE_ERRORS:
        found = pattern.fullmatch(message)
        if found is None:
            continue
        parts = found.groupdict()
        what = _t(f"click.{parts['what']}") if parts.get("what") else ""
        said = _t(code, what=what, hint=(parts.get("hint") or "").strip(), rest=parts.get("rest") or "")
        return said
    return message


def _stderr(file: IO[Any] | None) -> IO[Any]:
    from typer._click._compat import get_text_stderr

    return file if file is not None else get_text_stderr()


def _show_error(self: Any, file: IO[Any] | None = None) -> None:
    from typer._click.utils import echo

    echo(f"{_t('click.error')}: {self.format_message()}", file=_stderr(file), color=self.show_color)


def _show_usage_error(self: Any, file: IO[Any] | None = None) -> None:
    from typer._click.utils import echo

    out = _stderr(file)
    color = None
    if self.ctx is not None:
        hint = ""
        if self.ctx.command.get_help_option(self.ctx) is not None:
            hint = _t("click.try_help", command=self.ctx.command_path, option=self.ctx.help_option_names[0]) + "\n"
        color = self.ctx.color
        echo(f"{self.ctx.get_usage()}\n{hint}", file=out, color=color)
    echo(f"{_t('click.error')}: {localise(self.format_message())}", file=out, color=color)
