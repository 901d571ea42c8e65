"""The house's layers and sizes (docs/architecture.md): checked by import-linter and by reading the code."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "handoff"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
MAX_FUNCTION_LINES = 60
LONG_MODULE_LINES = 400


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` with the project's own contracts, on the ``handoff`` package found under ``root``."""
    if not LINT_IMPORTS.exists():
        pytest.skip("lint-imports is not installed (scripts/setup installs the test extra)")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root), "HOME": str(root)}
    return subprocess.run([str(LINT_IMPORTS), str(root / "pyproject.toml"), "--no-cache"],
                          cwd=root, capture_output=True, text=True, env=env, timeout=120)


def test_layers_hold() -> None:
    """The layer contracts in pyproject.toml hold for the code as it is."""
    proc = lint_imports(REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 broken" in proc.stdout


@pytest.mark.parametrize(("low", "high"), [("jp", "pipeline"), ("ledger", "mail"), ("kernels", "stages")])
def test_an_import_up_the_layers_is_refused(tmp_path: Path, low: str, high: str) -> None:
    """A module that imports a layer above its own, or a sibling domain folder, breaks the layers contract."""
    shutil.copytree(PACKAGE, tmp_path / "handoff", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "handoff" / low / "upward.py").write_text(f'"""A deliberate violation."""\n\nimport handoff.{high}\n')
    proc = lint_imports(tmp_path)
    assert proc.returncode != 0
    assert "each imports only the layers below it BROKEN" in proc.stdout, proc.stdout
    assert f"handoff.{low}.upward -> handoff.{high}" in proc.stdout, proc.stdout


def _functions(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def test_no_function_is_long() -> None:
    """No function in handoff/ is longer than 60 lines (a longer one is split into named steps)."""
    long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for fn in _functions(ast.parse(path.read_text(encoding="utf-8"))):
            lines = (fn.end_lineno or fn.lineno) - fn.lineno + 1
            if lines > MAX_FUNCTION_LINES:
                long.append(f"{path.relative_to(REPO)}:{fn.lineno} {fn.name} ({lines} lines)")
    assert long == []


def test_a_long_module_says_why_it_is_one_unit() -> None:
    """A module over 400 lines says in its docstring why it is one unit."""
    unexplained = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > LONG_MODULE_LINES and "one unit" not in (ast.get_docstring(ast.parse(text)) or ""):
            unexplained.append(str(path.relative_to(REPO)))
    assert unexplained == []
