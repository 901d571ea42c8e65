"""Packaging: the built-in site ships inside the package, the declared dependencies are the imported ones, and a
wheel installed outside the checkout runs init, sample, check and run (scripts/wheel-check)."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import handoff
from handoff import config
from handoff.programme import load_all

REPO = Path(__file__).resolve().parent.parent
PACKAGE = Path(handoff.__file__).resolve().parent
PROGRAMMES = {"kodomo-iryosho", "kokuho-tokusoku", "kokuho-iryohi", "ninpu-kyufu", "keirokai", "seikatsu-hogo",
              "seikatsu-hogo-shisan"}


def _pyproject() -> dict[str, object]:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_builtin_site_loads_from_the_package_without_a_site_folder(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """With no --dir and no HANDOFF_HOME, the site and its five programmes come from handoff/defaults/."""
    monkeypatch.delenv("HANDOFF_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(tmp_path)
    assert not hasattr(config, "REPO_ROOT")
    site = config.load_site()
    assert site.home == PACKAGE / "defaults" == config.defaults_dir()
    assert site.pipelines_path == PACKAGE / "defaults" / "pipelines"
    assert set(load_all(site.pipelines_path)) == PROGRAMMES
    assert site.data_path == tmp_path / "xdg" / "handoff"  # jobs and the ledger never go into the package


def test_builtin_site_files_are_the_package_files() -> None:
    """``init`` copies site.toml and one file per programme, byte for byte as they lie in handoff/defaults/."""
    files = config.builtin_site_files()
    assert set(files) == {"site.toml", *(f"pipelines/{p}.toml" for p in PROGRAMMES)}
    for name, content in files.items():
        assert content == (PACKAGE / "defaults" / name).read_bytes(), name


def test_package_data_declares_every_default_file() -> None:
    """pyproject's package-data globs match every file under handoff/defaults/, so the wheel carries them all."""
    patterns = _pyproject()["tool"]["setuptools"]["package-data"]["handoff"]  # type: ignore[index]
    declared = {p for pattern in patterns for p in PACKAGE.glob(pattern) if p.is_file()}
    on_disk = {p for p in (PACKAGE / "defaults").rglob("*") if p.is_file()}
    assert on_disk and on_disk <= declared


def test_repository_config_and_pipelines_point_into_the_package() -> None:
    """The top-level config/ and pipelines/ of the checkout are links to the package's defaults, not copies."""
    assert (REPO / "config").is_symlink() and (REPO / "pipelines").is_symlink()
    assert (REPO / "config").resolve() == PACKAGE / "defaults"
    assert (REPO / "pipelines").resolve() == PACKAGE / "defaults" / "pipelines"


def _imported_top_level_modules() -> set[str]:
    names: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in ("handoff", "__future__")}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_declared_dependencies_are_exactly_the_imported_ones() -> None:
    """Every [project] dependency is imported by handoff/, and every third-party import is declared."""
    declared = {_canonical(re.split(r"[\s\[<>=!~;]", d, maxsplit=1)[0])
                for d in _pyproject()["project"]["dependencies"]}  # type: ignore[index]
    owners = importlib.metadata.packages_distributions()
    imported = {_canonical(dist) for module in _imported_top_level_modules() for dist in owners.get(module, [module])}
    assert declared - imported == set(), "declared but never imported"
    assert imported - declared == set(), "imported but not declared"


@pytest.mark.slow
def test_wheel_installed_outside_the_checkout_runs_init_sample_check_and_run() -> None:
    """scripts/wheel-check builds the wheel, installs it into a fresh virtualenv elsewhere, and seals a job."""
    proc = subprocess.run(["bash", str(REPO / "scripts" / "wheel-check")], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "wheel-check: ok: job " in proc.stdout
