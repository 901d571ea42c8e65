"""Every command, argument and option has help in Japanese and in English, from the message catalogue; the
library's own words follow the language; every command is documented in the README (the operators' reference)."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from handoff.messages import CATALOGUE

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CLI = ROOT / "handoff" / "cli"

# Commands whose module still writes its own help text (Japanese only): they are checked by
# test_pending_commands_still_lack_english until their help comes from the catalogue.
PENDING: set[str] = set()

# The command tree as the command builds it, dumped in one language: each command's path, its help and its
# rendered --help page, and each parameter's flags and help.
_DUMP = r"""
import json
from typer._click.core import Context
from handoff.cli import command_tree

def walk(cmd, path, parent):
    ctx = Context(cmd, info_name=path[-1] if path else "handoff", parent=parent)
    params = [{"opts": p.opts or [p.name], "help": getattr(p, "help", None), "hidden": getattr(p, "hidden", False)}
              for p in cmd.get_params(ctx)]
    out = [{"path": path, "help": cmd.help, "page": cmd.get_help(ctx), "params": params}]
    for name, sub in sorted(getattr(cmd, "commands", {}).items()):
        out += walk(sub, [*path, name], ctx)
    return out

print(json.dumps(walk(command_tree(), [], None), ensure_ascii=False))
"""


@cache
def tree(lang: str) -> list[dict[str, Any]]:
    env = {**os.environ, "HANDOFF_LANG": lang, "COLUMNS": "100"}
    proc = subprocess.run([sys.executable, "-c", _DUMP], capture_output=True, text=True, env=env, check=True)
    return list(json.loads(proc.stdout))


def _japanese(text: str) -> bool:
    return any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text)


def missing_help(ja: list[dict[str, Any]], en: list[dict[str, Any]]) -> list[str]:
    """Each command and parameter whose help is empty in either language, or whose Japanese help is also its
    English help (a text written into the code rather than taken from the catalogue)."""
    problems: list[str] = []
    english = {" ".join(c["path"]): c for c in en}
    for cmd in ja:
        where = " ".join(cmd["path"]) or "handoff"
        other = english.get(" ".join(cmd["path"]))
        if other is None:
            problems.append(f"{where}: not in the English tree")
            continue
        pairs = [(where, cmd["help"], other["help"])]
        for p_ja, p_en in zip(cmd["params"], other["params"], strict=True):
            pairs.append((f"{where} {'/'.join(p_ja['opts'])}", p_ja["help"], p_en["help"]))
        for name, text_ja, text_en in pairs:
            if not (text_ja or "").strip():
                problems.append(f"{name}: no Japanese help")
            elif not (text_en or "").strip():
                problems.append(f"{name}: no English help")
            elif _japanese(text_ja) and text_ja == text_en:
                problems.append(f"{name}: the same text in both languages")
    return problems


def _outside(problems: list[str], pending: bool) -> list[str]:
    return [p for p in problems if (p.split(":")[0].split(" ")[0] in PENDING) == pending]


def test_every_command_and_option_has_help_in_both_languages() -> None:
    """Walking the click tree in ja and en: no command, argument or option lacks help in either language."""
    assert _outside(missing_help(tree("ja"), tree("en")), pending=False) == []


def test_the_check_finds_a_missing_english_text() -> None:
    """missing_help names a parameter whose English help is empty and one whose help is the same in both."""
    ja = [{"path": ["x"], "help": "説明", "params": [{"opts": ["--a"], "help": "甲"}, {"opts": ["--b"], "help": "乙"}]}]
    en = [{"path": ["x"], "help": "About", "params": [{"opts": ["--a"], "help": ""}, {"opts": ["--b"], "help": "乙"}]}]
    assert missing_help(ja, en) == ["x --a: no English help", "x --b: the same text in both languages"]


def test_no_help_text_is_written_in_the_cli_modules() -> None:
    """help= in handoff/cli/*.py is always a catalogue code (h("help.…")), never a literal string."""
    literal = []
    for path in sorted(CLI.glob("*.py")):
        if path.stem.replace("_", "-") in PENDING:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "help" and isinstance(node.value, ast.Constant):
                literal.append(f"{path.name}:{node.lineno}")
    assert literal == []


def test_every_help_code_used_is_in_the_catalogue() -> None:
    """Each h("…") code in handoff/cli/*.py has a catalogue entry with Japanese and English text."""
    used = {code for path in CLI.glob("*.py")
            for code in re.findall(r"""\bh\(\s*["']([\w.]+)["']""", path.read_text(encoding="utf-8"))}
    assert used, "no help codes found"
    unknown = sorted(code for code in used if not all(CATALOGUE.get(code, ("", ""))))
    assert unknown == []


_GLOSSED = re.compile(r"\([^)]*\)|（[^）]*）")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_help_pages_have_no_words_of_the_other_language(lang: str) -> None:
    """Every --help page in Japanese carries none of the library's English words; in English, no Japanese."""
    english_words = ("Usage:", "Options", "Arguments", "Commands", "Show this message and exit", "[required]",
                     "env var:", "default:")
    wrong = []
    for cmd in tree(lang):
        if cmd["path"][:1] and cmd["path"][0] in PENDING:
            continue
        page = cmd["page"]
        if lang == "ja":
            wrong += [f"{' '.join(cmd['path'])}: {word}" for word in english_words if word in page]
        elif _japanese(_GLOSSED.sub("", page)):  # a Japanese term glossed in brackets is allowed
            wrong.append(" ".join(cmd["path"]))
    assert wrong == []


def test_required_options_show_as_required() -> None:
    """custody handover's --bag and --media-count are marked required in help; the old --quantity is hidden."""
    handover = next(c for c in tree("ja") if c["path"] == ["custody", "handover"])
    lines = {line.split()[0]: line for line in handover["page"].splitlines() if line.strip().startswith("--")}
    assert "[必須]" in lines["--bag"] and "[必須]" in lines["--media-count"]
    assert "--quantity" not in handover["page"]


def test_root_help_shows_the_exit_codes() -> None:
    """handoff --help ends with the exit-code table, 13 (answered no) included, in the chosen language."""
    root = {lang: next(c for c in tree(lang) if c["path"] == [])["page"] for lang in ("ja", "en")}
    assert "終了コード" in root["ja"] and "13 確認で「いいえ」" in root["ja"] and "130 中断" in root["ja"]
    assert "Exit codes" in root["en"] and "13 answered no" in root["en"]


@pytest.mark.parametrize("path", [c["path"] for c in tree("ja") if c["path"]], ids=" ".join)
def test_command_is_documented(path: list[str]) -> None:
    """The README names every command group and every command in it."""
    assert f"handoff {path[0]}" in README, f"README does not mention handoff {path[0]}"
    if len(path) > 1:
        assert path[-1] in README, f"README does not mention {' '.join(path)}"


def test_command_help_runs() -> None:
    """`handoff custody store --help` exits 0 with Japanese help (the command itself, as an operator runs it)."""
    proc = subprocess.run([sys.executable, "-m", "handoff", "custody", "store", "--help"], capture_output=True,
                          text=True, env={**os.environ, "HANDOFF_LANG": "ja"})
    assert proc.returncode == 0, proc.stderr
    assert "保管" in proc.stdout and "使い方:" in proc.stdout


def test_command_process_settings() -> None:
    """The command sets the collector threshold and the library settings (a site's wins) before numpy or pyarrow loads."""
    probe = (
        "import gc, os, sys\n"
        "import handoff.cli as cli\n"
        "loaded = 'pyarrow' in sys.modules or 'numpy' in sys.modules\n"
        "try:\n"
        "    cli.main(['programmes', 'list'])\n"
        "finally:\n"
        "    print('PROBE', loaded, gc.get_threshold()[0], os.environ['MIMALLOC_PURGE_DELAY'],\n"
        "          os.environ['MIMALLOC_ARENA_EAGER_COMMIT'], os.environ['OPENBLAS_NUM_THREADS'], file=sys.stderr)\n"
    )
    names = ("MIMALLOC_PURGE_DELAY", "MIMALLOC_ARENA_EAGER_COMMIT", "OPENBLAS_NUM_THREADS")
    for preset, expected in (({}, "1000 0 1"), (dict(zip(names, ("250", "2", "4"), strict=True)), "250 2 4")):
        env = {k: v for k, v in os.environ.items() if k not in names} | preset
        proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
        assert f"PROBE False 50000 {expected}" in proc.stderr, proc.stderr



def test_libraries_take_the_settings() -> None:
    """numpy loads without OpenBLAS threads, and pyarrow's mimalloc reports the purge delay and arena commit set."""
    probe = (
        "import os\n"
        "import handoff.runtime as runtime\n"
        "runtime.library_settings()\n"
        "import numpy\n"
        "print('TASKS', len(os.listdir('/proc/self/task')))\n"
        "import pyarrow as pa\n"
        "print('POOL', pa.default_memory_pool().backend_name)\n"
    )
    names = ("MIMALLOC_PURGE_DELAY", "MIMALLOC_ARENA_EAGER_COMMIT", "OPENBLAS_NUM_THREADS")
    env = {k: v for k, v in os.environ.items() if k not in names} | {"MIMALLOC_VERBOSE": "1"}
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env)
    assert "TASKS 1\n" in proc.stdout, proc.stdout  # the process's own thread only
    if "POOL mimalloc" not in proc.stdout:
        pytest.skip(f"pyarrow's default memory pool here is not mimalloc: {proc.stdout.strip()}")
    assert "option 'purge_delay': 1000" in proc.stderr, proc.stderr
    assert "option 'arena_eager_commit': 0" in proc.stderr, proc.stderr


def test_command_ends_without_the_interpreter_shutdown() -> None:
    """Run as the command, main() ends the process with its code and no shutdown; called with arguments, it returns."""
    probe = (
        "import atexit, sys\n"
        "import handoff.cli as cli\n"
        "atexit.register(lambda: print('SHUTDOWN RAN', file=sys.stderr))\n"
        "sys.argv = ['handoff', 'programmes', 'list']\n"
        "for args in ([*sys.argv[1:]], None):\n"
        "    try:\n"
        "        cli.main(args)\n"
        "    except SystemExit as exc:\n"
        "        print('RETURNED', exc.code, file=sys.stderr)\n"
        "print('NOT REACHED', file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "RETURNED 0" in proc.stderr and "NOT REACHED" not in proc.stderr and "SHUTDOWN RAN" not in proc.stderr
    assert proc.stdout.count("seikatsu-hogo") >= 2, proc.stdout  # both listings reached the pipe (flushed)
