"""One direction of dependency: `feedback` uses `surveys` and `dashboards`, never the reverse."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"surveys": {"flask", "feedback", "dashboards"}, "dashboards": {"flask", "feedback"}}


def imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_source_does_not_import_the_web_layer(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_top_levels(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
        if imported_top_levels(path) & FORBIDDEN[package]
    }
    assert offenders == {}


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_importing_the_package_loads_no_flask(package: str) -> None:
    code = (
        f"import sys, {package}, pkgutil, importlib\n"
        f"for m in pkgutil.walk_packages({package}.__path__, '{package}.'):\n"
        f"    importlib.import_module(m.name)\n"
        f"bad = sorted(n for n in sys.modules if n.split('.')[0] in {{'flask', 'feedback'}})\n"
        f"print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == ""


def test_the_check_would_catch_an_offender(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("from flask import Flask\nimport feedback.storage.db\n")
    assert imported_top_levels(sample) == {"flask", "feedback"}


# Inside `feedback`: storage at the bottom, web plumbing above it, the three audiences' rooms
# on top. A layer may import those below it, never those above or beside it.
LAYERS = {
    "storage": {"storage"},
    "web": {"storage", "web"},
    "respondent": {"storage", "web", "respondent"},
    "workspace": {"storage", "web", "workspace"},
    "dashboard_views": {"storage", "web", "dashboard_views"},
}
TOP_LEVEL_MODULES = {"__init__.py", "cli.py", "config.py", "wsgi.py"}


def feedback_parts_imported(path: Path) -> set[str]:
    """The `feedback` subpackages a file imports (`feedback.web.errors` -> `web`)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    parts = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            pieces = name.split(".")
            if pieces[0] == "feedback" and len(pieces) > 1 and pieces[1] in LAYERS:
                parts.add(pieces[1])
    return parts


def layering_offenders(package_root: Path) -> dict[str, list[str]]:
    offenders = {}
    for layer, allowed in LAYERS.items():
        for path in (package_root / layer).rglob("*.py"):
            wrong = feedback_parts_imported(path) - allowed
            if wrong:
                offenders[str(path.relative_to(package_root))] = sorted(wrong)
    return offenders


def test_each_layer_imports_only_the_layers_below_it() -> None:
    assert layering_offenders(ROOT / "feedback") == {}


def test_the_layering_check_catches_storage_importing_the_web(tmp_path: Path) -> None:
    for layer in LAYERS:
        (tmp_path / layer).mkdir()
    (tmp_path / "storage" / "models.py").write_text("from feedback.web.errors import page\n")
    (tmp_path / "workspace" / "views.py").write_text("from feedback import respondent\n")
    assert layering_offenders(tmp_path) == {
        "storage/models.py": ["web"],
        "workspace/views.py": ["respondent"],
    }


def test_only_the_factory_config_wsgi_and_cli_sit_at_the_top_of_feedback() -> None:
    loose = {path.name for path in (ROOT / "feedback").glob("*.py")}
    assert loose == TOP_LEVEL_MODULES
