"""Issue 18: a compiled GraphQL request that failed fell back to strawberry silently.

The compiled executor hands every request it cannot answer to strawberry, which answers
it the same (only slower). That hand-off was logged at debug level, so an executor that
had stopped answering what it should was not seen. It is now logged at WARNING, with the
operation's name and the exception, and counted in ``eskg_graphql_fallbacks_total`` on
``GET /metrics``.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from eskg.config import Settings
from eskg.store.embedded import EmbeddedStore

QUERY = "query Magnets($m: ID!) { measuresCoveringMaterial(material: $m) { measure { id } } }"


def _fallbacks(client: TestClient) -> int:
    r = client.get("/metrics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    lines = [x for x in r.text.splitlines() if x.startswith("eskg_graphql_fallbacks_total ")]
    assert len(lines) == 1, r.text
    return int(lines[0].split()[1])


def test_a_fallback_is_logged_and_counted(
    settings: Settings,
    embedded: EmbeddedStore,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    off = settings.model_copy(update={"response_cache_mb": 0})
    variables = {"m": "material/permanent-magnets"}
    with TestClient(create_app(off, embedded)) as client:
        answered = client.post("/graphql", json={"query": QUERY, "variables": variables})
        assert answered.headers["x-eskg-executor"] == "compiled"
        assert _fallbacks(client) == 0

        def broken(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("the traversal broke")

        monkeypatch.setattr(embedded, "traverse", broken)
        with caplog.at_level(logging.WARNING, logger="eskg.api"):
            r = client.post("/graphql", json={"query": QUERY, "variables": variables})
        # strawberry answered it, the same answer
        assert r.status_code == 200 and "x-eskg-executor" not in r.headers
        assert r.json() == answered.json()
        warned = [x for x in caplog.records if x.levelno == logging.WARNING]
        assert any(
            "Magnets" in x.getMessage() and "the traversal broke" in x.getMessage() for x in warned
        ), [x.getMessage() for x in warned]
        assert _fallbacks(client) == 1
