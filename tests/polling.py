"""Waiting for an observable condition, instead of sleeping and hoping it holds.

A test that sleeps a fixed time for a server to start or a load to be mid-write passes
on a quiet machine and fails on a busy one (or passes without testing anything when the
condition came early or late). ``wait_until`` asks the condition itself, often, and
fails naming what it waited for when the time is up. tests/test_gates.py refuses a new
fixed sleep in the tests unless its allow-list says why it is the scenario.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

#: Seconds between two looks at the condition: short beside any timeout used here.
INTERVAL = 0.02


class NotReached(AssertionError):
    """The condition did not hold within the timeout."""


def wait_until(
    predicate: Callable[[], T | None],
    timeout: float,
    what: str,
    interval: float = INTERVAL,
    detail: Callable[[], str] | None = None,
) -> T:
    """Ask ``predicate`` until it returns something truthy, and return that.

    Fails with ``NotReached`` after ``timeout`` seconds, saying ``what`` was awaited,
    the last value seen, and ``detail()`` (a log, say) when given. An exception raised
    by the predicate propagates: a condition that cannot be asked is a failure too.
    """
    deadline = time.monotonic() + timeout
    looks = 0
    while True:
        value = predicate()
        looks += 1
        if value:
            return value
        if time.monotonic() >= deadline:
            more = f"\n{detail()}" if detail is not None else ""
            raise NotReached(
                f"waited {timeout:g} s ({looks} looks) for {what}; last seen: {value!r}{more}"
            )
        time.sleep(interval)  # the poll interval between two looks, not a wait for a state
