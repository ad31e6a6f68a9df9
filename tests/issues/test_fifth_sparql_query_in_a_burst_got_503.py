"""Bug 3 of docs/bad-inputs.md: the fifth SPARQL query of a short burst got 503 at once.

``api/sparql.py`` took one of its four worker slots with ``acquire(blocking=False)`` and
refused a fifth query immediately, without ``Retry-After``; the 32-client load test saw it
once a run. A query now waits a bounded time for a slot and is refused only then.
"""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient

from api import sparql as sparql_module
from api.app import create_app
from eskg.config import Settings
from eskg.store.embedded import EmbeddedStore


def test_sparql_burst_waits_for_a_slot(settings: Settings, embedded: EmbeddedStore) -> None:
    """Four queries in flight that end within half a second: a fifth should wait, not fail."""
    slots = sparql_module._running
    held = 0
    while held < sparql_module.MAX_RUNNING and slots.acquire(blocking=False):
        held += 1
    if held < sparql_module.MAX_RUNNING:
        for _ in range(held):
            slots.release()
        pytest.skip("other SPARQL queries are still running")

    def finish() -> None:
        for _ in range(held):
            slots.release()

    # the four in flight end half a second from now (the scenario, not a wait)
    timer = threading.Timer(0.5, finish)
    timer.start()
    try:
        with TestClient(create_app(settings, embedded)) as client:
            response = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    finally:
        timer.join()
    assert response.status_code == 200, response.text
