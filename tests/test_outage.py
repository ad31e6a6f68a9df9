"""Neo4j outage: the API says so with 503 and no stack trace, and recovers by itself.

This module runs its own Neo4j (tmp home, free ports, like tests/conftest.py), loads the
bundled data, serves GraphQL on it, stops Neo4j, checks the answers while it is down, then
starts it again on the same data folder and checks that the same app answers as before
without being restarted. The tests run in file order and share the module fixture.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from cli import neo4j_runtime
from eskg.config import Settings
from eskg.ontology import Ontology
from eskg.queries import load_library
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore
from loaders.pipeline import Built
from tests.polling import wait_until

pytestmark = pytest.mark.neo4j


QUERY = """{ search(text: "永久磁石") { id }
  measuresCoveringMaterial(material: "material/permanent-magnets") { measure { id } } }"""


@dataclass
class Outage:
    cfg: neo4j_runtime.RuntimeConfig
    store: Neo4jStore
    client: TestClient
    healthy_answer: dict[str, Any]


@pytest.fixture(scope="module")
def outage(
    tmp_path_factory: pytest.TempPathFactory, settings: Settings, onto: Ontology, built: Built
) -> Iterator[Outage]:
    if os.environ.get("NEO4J_URI"):
        pytest.skip("the outage test stops and starts its own local Neo4j")
    cfg = neo4j_runtime.RuntimeConfig.scratch(
        tmp_path_factory.mktemp("outage-neo4j"), heap="512m", pagecache="64m", settings=settings
    )
    neo4j_runtime.start(cfg)
    own = settings.model_copy(
        update={"neo4j_uri": cfg.bolt_uri, "neo4j_password": "", "store": "neo4j"}
    )
    store = Neo4jStore(onto, load_library(own.queries_dir), own)
    try:
        store.replace_all(built.compiled.dataset)
        with TestClient(create_app(own, store)) as client:
            response = client.post("/graphql", json={"query": QUERY})
            assert response.status_code == 200, response.text
            answer = response.json()
            assert answer["data"]["search"] and "errors" not in answer
            neo4j_runtime.stop(cfg)  # the outage
            # answers cached before it stay valid until the next data-version check finds
            # the store gone; from then on a request reaches the store
            wait_until(
                lambda: client.post("/graphql", json={"query": QUERY}).status_code != 200,
                own.response_cache_check_seconds + 30,
                "the response cache to stop serving the answer cached before the outage",
            )
            yield Outage(cfg, store, client, answer)
    finally:
        store.close()
        pid = neo4j_runtime.status(cfg).pid
        if pid is not None:  # our own server in a tmp home: no need to wait for a clean stop
            os.kill(pid, signal.SIGKILL)
        neo4j_runtime.stop(cfg)


def no_trace(text: str) -> None:
    for marker in ("Traceback", 'File "', "neo4j.exceptions", "ServiceUnavailable("):
        assert marker not in text, text


def test_graphql_answers_503_while_neo4j_is_down(outage: Outage) -> None:
    started = time.monotonic()
    response = outage.client.post("/graphql", json={"query": QUERY})
    assert time.monotonic() - started < 15  # fails fast, does not hang on the dead server
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"] == "5"
    no_trace(response.text)
    messages = [e["message"] for e in response.json()["errors"]]
    assert any(
        f"Neo4j at {outage.cfg.bolt_uri} is not answering" in m and "eskg neo4j start" in m
        for m in messages
    ), messages


def test_graphql_by_get_answers_503_too(outage: Outage) -> None:
    response = outage.client.get("/graphql", params={"query": '{ entity(id: "org/meti") { id } }'})
    assert response.status_code == 503
    no_trace(response.text)


def test_request_errors_stay_400_while_down(outage: Outage) -> None:
    """A query that never reaches the store is still the client's mistake."""
    response = outage.client.post("/graphql", json={"query": "{ nosuch }"})
    assert response.status_code == 400


def test_health_names_the_store_that_is_down(outage: Outage) -> None:
    response = outage.client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["store"] == "neo4j" and body["status"] == "unavailable"
    assert outage.cfg.bolt_uri in body["error"]
    no_trace(response.text)


def test_recovers_by_itself_when_neo4j_returns(outage: Outage) -> None:
    neo4j_runtime.start(outage.cfg)  # same home, same data folder
    # The driver drops its dead connections and opens new ones on demand. A just-started
    # server is cold (empty page cache, JIT), so on a busy machine its first queries may
    # still pass ESKG_QUERY_TIMEOUT: allow a bounded warm-up, then require the old answer.
    seen: list[httpx.Response] = []

    def answering() -> bool:
        seen[:] = [
            outage.client.get("/health"),
            outage.client.post("/graphql", json={"query": QUERY}),
        ]
        response = seen[1]
        return response.status_code == 200 and "errors" not in response.json()

    wait_until(
        answering,
        90,
        "the API to answer again after Neo4j restarted",
        interval=1,
        detail=lambda: " / ".join(r.text[:300] for r in seen),
    )
    health, response = seen
    assert health.json() == {"store": "neo4j", "status": "ok"}
    assert response.json() == outage.healthy_answer


def test_data_survived_the_stop(outage: Outage, embedded: EmbeddedStore) -> None:
    ours, reference = outage.store.stats(), embedded.stats()
    assert ours.entities == reference.entities > 0
    assert ours.relations == reference.relations
    assert Path(outage.cfg.home / "data").is_dir()
