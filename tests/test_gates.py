"""The gates of the conventions (../shared/STYLE.md), run by the test command and so by CI:
formatting, lint, strict typing of the packages, and no block of code written twice.

The layer contracts are in tests/test_layers.py.
"""

from __future__ import annotations

import re
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


SLEEP = re.compile(r"\b(?:time|asyncio)\.sleep\(")

#: The sleeps a test may keep, by file and line, with why they do not wait for a state.
#: Anything else waits with tests/polling.py's ``wait_until`` for the condition itself.
ALLOWED_SLEEPS: dict[tuple[str, str], str] = {
    ("tests/polling.py", "time.sleep(interval)"): "the poll interval between two looks",
    ("tests/test_request_limits.py", "await asyncio.sleep(0)"): (
        "yields to the event loop so the queued tasks run: no wall time is waited"
    ),
    (
        "tests/issues/test_serve_workers_were_killed_while_starting.py",
        "time.sleep({SLOW_START})",
    ): ("the code it writes holds each spawned server process back: a slow start made certain"),
    ("tests/test_compiled_inline.py", "await asyncio.sleep(0)"): (
        "yields to the event loop while the other request reaches the middleware"
    ),
}


def test_no_test_sleeps_for_a_condition() -> None:
    """A fixed sleep for a server to start or a load to be mid-write passes on a quiet
    machine and fails (or tests nothing) on a busy one: wait with ``wait_until``."""
    found: set[tuple[str, str]] = set()
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if path == Path(__file__).resolve():
            continue
        rel = path.relative_to(ROOT).as_posix()
        for line in path.read_text(encoding="utf-8").splitlines():
            if SLEEP.search(line):
                found.add((rel, line.split("#")[0].strip()))
    unexplained = sorted(found - ALLOWED_SLEEPS.keys())
    assert not unexplained, (
        "wait for the condition with tests/polling.py's wait_until instead of sleeping "
        f"(or add the line to ALLOWED_SLEEPS with the reason it is the scenario): {unexplained}"
    )
    stale = sorted(ALLOWED_SLEEPS.keys() - found)
    assert not stale, f"ALLOWED_SLEEPS names sleeps that are gone; remove them: {stale}"
