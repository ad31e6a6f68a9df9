"""Fair sharing of the server between clients: expensive requests take turns.

A GraphQL request whose computed cost (``api/cost.py``) is above
``ESKG_GRAPHQL_EXPENSIVE_COST`` runs only with a slot: at most
``ESKG_EXPENSIVE_PER_CLIENT`` at a time per client address and
``ESKG_EXPENSIVE_CONCURRENCY`` at a time in the process. The others wait for one, until
their request's deadline (``ESKG_REQUEST_TIMEOUT``: then 503). Cheaper requests never
take a slot, so they never wait behind expensive ones: one client's bombs queue behind
each other, and all clients' bombs together hold at most the global count of threads.

The address is the ASGI client's (uvicorn's ``--proxy-headers`` with
``--forwarded-allow-ips`` makes it the one a trusted proxy forwards).

A slot bounds how many expensive requests run, not how much of the process they take:
an in-process store (Oxigraph) reads, and graphql-core fills an answer, in Python,
holding the interpreter lock, and the event loop waits for its turn at it every time it
needs it (every read, every write of a socket). So an expensive request also gives way
(``GiveWay``): it executes in a thread of its own (``Limits.run_apart``), and at every
check of its deadline, while cheaper requests are in flight, it steps aside until they
are answered, after running at least ``SLICE`` seconds and for at most ``STEP_ASIDE``
seconds at a time, so that it still advances under a steady stream of cheap requests.

Three more things give the serving threads the machine first (``lower_priority``,
``prefer_serving``):

- the threads expensive requests run in (``Limits.apart``, and the threads their own
  event loops start for store reads, which inherit it) run at the lowest CPU priority
  (``lower_priority``: nice 19, for that thread alone; Linux), so that on a busy machine
  the kernel gives a core to the event loop and the cheap requests' reads before them;
- the interpreter asks a thread holding its lock to hand it over after
  ``SWITCH_INTERVAL`` (0.5 ms) instead of 5 ms, so that the event loop, woken by a
  socket, waits that long at most for an expensive request's thread between two of its
  checks;
- the collector's youngest generation is collected after ``YOUNG_COLLECTION`` new objects
  instead of 700: expensive requests make tens of thousands each, which set off a collection
  of the two older generations (all that requests made: 20-130 ms, holding the lock)
  once a second; now about one in 20 seconds, for young collections of a few ms.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import sys
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

#: Seconds an expensive request runs between two times it steps aside.
SLICE = 0.002
#: Most seconds an expensive request steps aside at a time.
STEP_ASIDE = 0.02
#: The nice value of the threads expensive requests run in (the lowest CPU priority).
EXPENSIVE_NICE = 19
#: Seconds a thread holds the interpreter lock before it is asked to hand it over
#: (Python's default is 0.005).
SWITCH_INTERVAL = 0.0005
#: Objects allocated (less freed) before a collection of the youngest generation
#: (Python's default is 700; the older generations keep their thresholds).
YOUNG_COLLECTION = 10_000

log = logging.getLogger("eskg.api")


class Fairness:
    """The per-address and global semaphores of expensive requests (one event loop)."""

    def __init__(self, per_client: int, overall: int) -> None:
        self.per_client = per_client
        self.overall = asyncio.Semaphore(overall)
        #: address -> (its semaphore, requests holding or waiting for it)
        self.clients: dict[str, tuple[asyncio.Semaphore, int]] = {}

    @asynccontextmanager
    async def slot(self, client: str) -> AsyncIterator[None]:
        """Hold a slot of ``client`` and one of the process while the block runs."""
        own, users = self.clients.get(client) or (asyncio.Semaphore(self.per_client), 0)
        self.clients[client] = (own, users + 1)
        try:
            async with own, self.overall:
                yield
        finally:
            own, users = self.clients[client]
            if users <= 1:
                del self.clients[client]  # no state is kept for addresses gone quiet
            else:
                self.clients[client] = (own, users - 1)

    def waiting(self) -> int:
        """Expensive requests holding or waiting for a slot (for tests and logs)."""
        return sum(users for _, users in self.clients.values())


class GiveWay:
    """Cheap requests first: how many are in flight on the event loop, and a pause for the
    threads of expensive ones until there are none.

    ``enter``/``leave`` run on the event loop's thread (a request starts and ends, an
    expensive one takes and gives back its slot); ``pause`` runs in the expensive
    request's threads, and never on the loop's own thread (it would hold the requests it
    waits for).
    """

    def __init__(self, step_aside: float = STEP_ASIDE, run_slice: float = SLICE) -> None:
        self.step_aside = step_aside
        self.run_slice = run_slice
        self.cheap = 0
        self._none = threading.Event()
        self._none.set()
        self._loop_thread = threading.get_ident()
        self._ran_since = time.monotonic()

    def enter(self) -> None:
        """A cheap request is in flight (or an expensive one has given its slot back)."""
        self._loop_thread = threading.get_ident()
        self.cheap += 1
        if self.cheap > 0:
            self._none.clear()

    def leave(self) -> None:
        """A cheap request was answered (or became an expensive one, waiting for a slot)."""
        self.cheap -= 1
        if self.cheap <= 0:
            self._none.set()

    def pause(self) -> None:
        """Step aside (without the interpreter lock) while cheap requests are in flight,
        at most ``step_aside`` seconds, once the caller has run ``run_slice`` seconds."""
        # ``cheap`` first: an int read, where the event's is_set is a call, and this runs
        # at every check and charge of an expensive request (``eskg.deadline``); the
        # event is set exactly when ``cheap`` is not above 0 (``enter``, ``leave``)
        if self.cheap <= 0 or threading.get_ident() == self._loop_thread:
            return
        if time.monotonic() - self._ran_since < self.run_slice:
            return
        self._none.wait(self.step_aside)
        self._ran_since = time.monotonic()


def freeze_startup_objects() -> None:
    """Keep what the process made before serving (the ontology, the loaded data, the
    schema: about 200,000 objects) out of every later full garbage collection.

    A full collection walks every tracked object holding the interpreter lock: 200-550 ms
    on 2 busy cores, during which no request advances; expensive requests, which make
    many objects, set one off every few seconds. Frozen, the startup objects are never
    walked again (they live as long as the process anyway), and a full collection walks
    only what requests made: 20-100 ms.
    """
    gc.collect()
    gc.freeze()


def lower_priority() -> None:
    """Run the calling thread, and the threads it starts, at the lowest CPU priority
    (``EXPENSIVE_NICE``): the initializer of the threads of expensive requests.

    On Linux a nice value belongs to one thread (``setpriority`` on its thread id), and a
    thread starts with its creator's; elsewhere it would be the whole process's, so
    nothing changes there. A thread cannot be given its priority back without
    privileges, so only threads that never serve cheap requests are lowered.
    """
    if not sys.platform.startswith("linux"):
        return
    thread = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, thread, EXPENSIVE_NICE)
    except OSError as exc:  # a sandbox without setpriority: fair sharing still holds
        log.info("expensive requests run at the usual CPU priority: %s", exc)


def prefer_serving() -> None:
    """Hand the interpreter lock over after ``SWITCH_INTERVAL``, so that the event loop
    waits less for it while an expensive request's thread runs, and collect the youngest
    generation every ``YOUNG_COLLECTION`` objects, so that the older ones are collected
    (the lock held all along) far more rarely (once, when serving)."""
    sys.setswitchinterval(SWITCH_INTERVAL)
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION, middle, oldest)
