"""The layers of docs/architecture.md hold: foundation (eskg) <- loaders <- api <- cli.

The import-linter contracts in pyproject.toml say which package may import which; this
test runs them, and also refuses an import of the project's own packages inside a function,
which is how a cycle hides from a reader (and from the contracts' reading of the code).
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("eskg", "loaders", "api", "cli")


def _lint_imports() -> str:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not Path(exe).exists():
        pytest.fail("lint-imports is missing: pip install -e '.[test]' installs import-linter")
    done = subprocess.run(
        [exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_layer_contracts_are_kept() -> None:
    out = _lint_imports()
    assert "0 broken" in out
    assert "3 kept" in out, out


def _function_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for inner in ast.walk(node):
            if not isinstance(inner, ast.Import | ast.ImportFrom):
                continue
            names: list[str] = []
            if isinstance(inner, ast.Import):
                names = [a.name for a in inner.names]
            elif isinstance(inner, ast.ImportFrom) and inner.level == 0 and inner.module:
                names = [inner.module]
            for name in names:
                if name.split(".")[0] in PACKAGES:
                    found.append(f"{path.relative_to(ROOT)}:{inner.lineno}: import of {name}")
    return found


def test_no_project_import_hides_in_a_function() -> None:
    found = [
        hit
        for pkg in PACKAGES
        for path in sorted((ROOT / pkg).rglob("*.py"))
        for hit in _function_imports(path)
    ]
    assert not found, "move these imports to the module's top:\n" + "\n".join(found)


def test_function_import_check_fires(tmp_path: Path) -> None:
    """The check above would see a hidden import (so it can fail)."""
    sample = ROOT / "eskg" / "_probe_for_test.py"
    sample.write_text("def f() -> None:\n    from loaders import build\n", encoding="utf-8")
    try:
        assert _function_imports(sample) == ["eskg/_probe_for_test.py:2: import of loaders"]
    finally:
        sample.unlink()


def test_an_upward_import_breaks_the_contract() -> None:
    """A foundation module importing the API is caught by the contracts."""
    probe = ROOT / "eskg" / "_probe_upward.py"
    probe.write_text("import api.app  # noqa: F401\n", encoding="utf-8")
    try:
        exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
        done = subprocess.run(
            [exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert done.returncode != 0
        assert "eskg._probe_upward" in done.stdout
    finally:
        probe.unlink()
