"""How many processes ``eskg serve`` answers requests in (``ESKG_WORKERS``).

A Python process runs Python on one core at a time, and an executed GraphQL request is
mostly Python (HTTP, the driver's work, filling and encoding the answer): on Neo4j one
process kept one core busy while the other (and Neo4j) had capacity left, and two
processes answered 1.7-1.8x the requests a second at 32 clients (bench/notes.md,
"Worker processes"). Each process has its own response cache, which checks the data
version as before, so an answer is never staler than ``ESKG_RESPONSE_CACHE_CHECK_SECONDS``.

The embedded store lives inside the process that serves it; an on-disk one is locked by
the process that opens it for writing. So one process serves it. On Neo4j, ``/sparql``
answers from an on-disk embedded store that every process opens read-only
(``loaders.sparql_store``), so it sets no bound on the count.
"""

from __future__ import annotations

import os

from eskg.config import Settings
from eskg.errors import ConfigurationError

#: The most processes ``ESKG_WORKERS=0`` chooses.
MAX_AUTO = 8


def cores() -> int:
    """Cores this process may run on (its CPU affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def serve_workers(settings: Settings) -> int:
    """The process count for these settings; ``ConfigurationError`` for a count the store
    cannot be served with."""
    if settings.store != "embedded":
        return settings.workers or min(cores(), MAX_AUTO)
    single = "the embedded store lives inside the one process that serves it"
    if settings.workers > 1:
        raise ConfigurationError(
            f"ESKG_WORKERS={settings.workers} cannot be served: {single}; set ESKG_WORKERS "
            "to 1 (or 0 to choose), or serve from Neo4j (--store neo4j) to run more processes"
        )
    return 1
