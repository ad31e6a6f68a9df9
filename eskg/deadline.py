"""A request's budget: the time it has left and the bytes its answer may take.

The API opens a ``Budget`` for each request (``api/limits.py``) and sets it in a context
variable; the stores read it before every read (``check``), give Neo4j the time left as
the transaction's timeout (``remaining``), and the executors count what they put into
an answer (``charge``). A context variable is copied into the worker threads that
``asyncio.to_thread`` starts, so a read in a thread sees its request's budget, and a
read that starts after the deadline never runs: once a request is past its time, the
threads it started end with their current read. Outside a request (the CLI, the
loaders, tests of the stores) there is no budget and nothing is checked.

A check and a charge are also where an expensive request gives way: the API sets the
budget's ``pause`` while the request holds its slot (``api/fairness.py``), and each
calls it, so the request's threads step aside between reads, and between the entities
they place, while cheaper requests are served.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from eskg.errors import RequestTimeoutError, ResponseTooLargeError
from eskg.model import EntityData


@dataclass
class Budget:
    """What one request may still spend: seconds (until ``deadline``, monotonic) and
    answer bytes (``max_bytes``; 0 for no limit)."""

    timeout: float
    max_bytes: int = 0
    deadline: float = field(init=False)
    used: int = 0
    #: called at every check while set (an expensive request giving way to cheap ones)
    pause: Callable[[], None] | None = None

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.timeout

    def remaining(self) -> float:
        """Seconds left (negative when past the deadline)."""
        return self.deadline - time.monotonic()

    def check(self, what: str) -> None:
        """Raise RequestTimeoutError when the request is past its deadline."""
        if time.monotonic() >= self.deadline:
            raise RequestTimeoutError(timeout_message(self.timeout, what))
        if self.pause is not None:
            self.pause()

    def charge(self, size: int) -> None:
        """Count ``size`` bytes more of the answer; ResponseTooLargeError past the limit."""
        self.used += size
        if self.max_bytes and self.used > self.max_bytes:
            raise ResponseTooLargeError(too_large_message(self.max_bytes))
        if self.pause is not None:
            self.pause()


def timeout_message(timeout: float, what: str) -> str:
    """What a client is told when its request ran past ``ESKG_REQUEST_TIMEOUT``."""
    return (
        f"the request took longer than {timeout:g} s (ESKG_REQUEST_TIMEOUT) and was stopped "
        f"at {what}; ask for fewer or smaller lists, or raise ESKG_REQUEST_TIMEOUT"
    )


def too_large_message(max_bytes: int) -> str:
    """What a client is told when its answer would pass ``ESKG_MAX_RESPONSE_BYTES``."""
    return (
        f"the answer would be larger than {max_bytes} bytes (ESKG_MAX_RESPONSE_BYTES) and "
        "was not built; ask for fewer or smaller lists, or page with limit and offset"
    )


_current: ContextVar[Budget | None] = ContextVar("eskg_budget", default=None)


def current() -> Budget | None:
    """The budget of the request this code runs for, or None outside a request."""
    return _current.get()


@contextmanager
def budget(value: Budget) -> Iterator[Budget]:
    """Run the block (and the threads it starts) under ``value``."""
    token = _current.set(value)
    try:
        yield value
    finally:
        _current.reset(token)


def check(what: str) -> None:
    """``Budget.check`` of the current request; nothing outside a request."""
    found = _current.get()
    if found is not None:
        found.check(what)


def charge(size: int) -> None:
    """``Budget.charge`` of the current request; nothing outside a request."""
    found = _current.get()
    if found is not None:
        found.charge(size)


def timeout_for(limit: float, what: str) -> float:
    """The timeout a store read may take: ``limit`` (``ESKG_QUERY_TIMEOUT``), or less when
    the request has less time left; RequestTimeoutError when it has none."""
    found = _current.get()
    if found is None:
        return limit
    found.check(what)
    return max(0.001, min(limit, found.remaining()))


def entity_bytes(data: EntityData) -> int:
    """About what an entity takes in an answer (its IRI, classes, literals, citations),
    as the executors charge it each time they place the entity."""
    size = 64 + len(data.iri) + sum(len(t) + 4 for t in data.types)
    size += sum(len(name) + len(lit.value) + 24 for name, lit in data.literals)
    return size + sum(len(c) + 4 for c in data.citations)
