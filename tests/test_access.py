"""Access rules (docs/security.md): a read-only public API, CORS from configuration, no
administrative endpoint without ESKG_ADMIN_TOKEN, and Neo4j credentials never shown."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from eskg.config import Settings
from eskg.ontology import Ontology
from eskg.queries import load_library
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore

MARKER = "pw-MARKER-7f3a9c-never-shown"

# The only routes that accept POST: they answer queries and cannot write.
QUERY_ENDPOINTS = {"/graphql", "/sparql"}


@pytest.fixture(scope="module")
def client(settings: Settings, embedded: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(settings, embedded)) as c:
        yield c


def test_graphql_has_no_mutation_or_subscription(client: TestClient) -> None:
    q = "{ __schema { mutationType { name } subscriptionType { name } } }"
    body = client.post("/graphql", json={"query": q}).json()
    assert body["data"]["__schema"] == {"mutationType": None, "subscriptionType": None}


def test_routes_are_read_only(client: TestClient) -> None:
    """No route takes PUT, PATCH or DELETE; POST only where a query is sent in the body.

    An administrative route (reload, export) added later must be listed here on purpose
    and require ESKG_ADMIN_TOKEN (see docs/security.md).
    """
    for route in client.app.routes:  # type: ignore[attr-defined]
        methods = set(getattr(route, "methods", None) or ())
        assert not methods & {"PUT", "PATCH", "DELETE"}, route
        if "POST" in methods:
            assert route.path in QUERY_ENDPOINTS, route.path


def test_sparql_update_refused_and_nothing_written(
    client: TestClient, embedded: EmbeddedStore
) -> None:
    before = len(embedded.store)
    response = client.post(
        "/sparql",
        content="INSERT DATA { <urn:x> <urn:y> <urn:z> }",
        headers={"content-type": "application/sparql-query"},
    )
    assert response.status_code == 403 and "read-only" in response.json()["error"]
    assert len(embedded.store) == before


def test_cors_default_none(client: TestClient) -> None:
    response = client.get("/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options(
        "/graphql",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_configured(settings: Settings, embedded: EmbeddedStore) -> None:
    configured = settings.model_copy(
        update={"cors_origins": "https://a.example, https://b.example"}
    )
    with TestClient(create_app(configured, embedded)) as c:
        ok = c.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"Origin": "https://b.example"}
        )
        assert ok.headers["access-control-allow-origin"] == "https://b.example"
        other = c.get("/health", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
        preflight = c.options(
            "/graphql",
            headers={"Origin": "https://a.example", "Access-Control-Request-Method": "POST"},
        )
        assert preflight.status_code == 200
        assert "POST" in preflight.headers["access-control-allow-methods"]
        assert "DELETE" not in preflight.headers["access-control-allow-methods"]


def test_cors_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESKG_CORS_ORIGINS", "https://a.example")
    assert Settings().cors_origins == "https://a.example"


def test_secrets_not_in_settings_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_PASSWORD", MARKER)
    monkeypatch.setenv("ESKG_ADMIN_TOKEN", MARKER + "-admin")
    s = Settings()
    assert s.neo4j_password == MARKER and s.admin_token == MARKER + "-admin"
    assert MARKER not in repr(s) and MARKER not in str(s)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # nothing listens there once the socket is closed


def exercise(client: TestClient) -> list[Any]:
    """Requests that reach the store, fail in it, or fail before it."""
    return [
        client.get("/health"),
        client.post("/graphql", json={"query": '{ entity(id: "org/meti") { id label } }'}),
        client.post("/graphql", json={"query": '{ search(text: "magnets") { id } }'}),
        client.post("/graphql", json={"query": '{ search(text: "a", limit: 0) { id } }'}),
        client.post("/graphql", json={"query": "{ nosuch }"}),
        client.post("/graphql", content="{bad json", headers={"content-type": "application/json"}),
        client.get("/sparql", params={"query": "ASK {}"}),
        client.get("/openapi.json"),
        client.get("/no/such/page"),
    ]


def assert_not_shown(responses: list[Any], caplog: pytest.LogCaptureFixture) -> None:
    for r in responses:
        assert MARKER not in r.text, (r.request.url, r.text)
        assert all(MARKER not in v for v in r.headers.values())
    assert caplog.records, "the store errors should have been logged at least once"
    assert MARKER not in caplog.text


def test_password_never_shown_when_neo4j_is_down(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, onto: Ontology
) -> None:
    monkeypatch.setenv("NEO4J_PASSWORD", MARKER)
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{closed_port()}")
    s = Settings().model_copy(update={"store": "neo4j"})
    caplog.set_level(logging.DEBUG)  # every logger, the driver's included
    store = Neo4jStore(onto, load_library(s.queries_dir), s)
    try:
        with TestClient(create_app(s, store)) as c:
            responses = exercise(c)
        assert responses[0].status_code == 503 and responses[1].status_code == 503
    finally:
        store.close()
    assert_not_shown(responses, caplog)


@pytest.mark.neo4j
def test_password_never_shown_with_neo4j_up(
    caplog: pytest.LogCaptureFixture, onto: Ontology, neo4j_settings: Settings
) -> None:
    """The driver sends the password (to a server without auth, or one that refuses it)."""
    s = neo4j_settings.model_copy(
        update={"store": "neo4j", "neo4j_password": MARKER, "neo4j_user": "neo4j"}
    )
    caplog.set_level(logging.DEBUG)
    store = Neo4jStore(onto, load_library(s.queries_dir), s)
    try:
        with TestClient(create_app(s, store)) as c:
            responses = exercise(c)
        assert responses[0].status_code in (200, 503)
    finally:
        store.close()
    assert_not_shown(responses, caplog)
