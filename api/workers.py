"""How many processes ``eskg serve`` answers requests in (``ESKG_WORKERS``).

A Python process runs Python on one core at a time, and an executed GraphQL request is
mostly Python (HTTP, the driver's work, filling and encoding the answer): on Neo4j one
process kept one core busy while the other (and Neo4j) had capacity left, and two
processes answered 1.7-1.8x the requests a second at 32 clients (bench/notes.md,
"Worker processes"). Each process has its own response cache, which checks the data
version as before, so an answer is never staler than ``ESKG_RESPONSE_CACHE_CHECK_SECONDS``.

The embedded store lives inside the process that serves it; an on-disk one is locked by
the process that opens it. So one process serves it, and ``ESKG_EMBEDDED_PATH`` (which
Neo4j's SPARQL endpoint opens too) also keeps the count at one.
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
    single = None
    if settings.store == "embedded":
        single = "the embedded store lives inside the one process that serves it"
    elif settings.embedded_path is not None:
        single = (
            f"ESKG_EMBEDDED_PATH ({settings.embedded_path}) is locked by the one process "
            "that opens it"
        )
    if single is None:
        return settings.workers or min(cores(), MAX_AUTO)
    if settings.workers > 1:
        raise ConfigurationError(
            f"ESKG_WORKERS={settings.workers} cannot be served: {single}; set ESKG_WORKERS "
            "to 1 (or 0 to choose), or serve from Neo4j (--store neo4j) without "
            "ESKG_EMBEDDED_PATH to run more processes"
        )
    return 1
