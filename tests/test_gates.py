"""The gates of the conventions (../shared/STYLE.md), run by the test command and so by CI:
formatting, lint, strict typing of the packages, and no block of code written twice.

The layer contracts are in tests/test_layers.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PACKAGES = ["eskg", "loaders", "api", "cli"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    tool = BIN / args[0]
    if not tool.exists():
        pytest.fail(f"{args[0]} is missing: pip install -e '.[test]' installs it")
    return subprocess.run(
        [str(tool), *args[1:]], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_ruff_format_is_clean() -> None:
    done = _run("ruff", "format", "--check", ".")
    assert done.returncode == 0, "run `ruff format .`:\n" + done.stdout + done.stderr


def test_ruff_check_is_clean() -> None:
    done = _run("ruff", "check", ".")
    assert done.returncode == 0, "run `ruff check --fix .`:\n" + done.stdout + done.stderr


def test_mypy_strict_is_clean_on_the_packages() -> None:
    done = _run("mypy", "--strict", *PACKAGES)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_is_clean_on_the_tests_and_the_benchmarks() -> None:
    """The tests and bench/ are code too: a wrong name there (``eskg.synthetic`` after it
    moved to ``cli``) otherwise surfaces only when someone runs that benchmark."""
    done = _run("mypy", "--strict", "tests", "bench")
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_block_of_code_is_written_twice() -> None:
    """pylint's duplicate-code check over the packages: six or more equal lines (imports,
    docstrings and comments aside) in two places are a block to share. Generated files
    (schema.graphql, the bundles, shapes.ttl) are not Python and are not read."""
    done = _run(
        "pylint",
        "--disable=all",
        "--enable=duplicate-code",
        "--min-similarity-lines=6",
        "--ignore-imports=yes",
        "--ignore-docstrings=yes",
        "--ignore-comments=yes",
        *PACKAGES,
    )
    assert done.returncode == 0, done.stdout + done.stderr
