"""A body past ``ESKG_MAX_BODY_BYTES`` got 413 without CORS headers.

The body limit sat outside the CORS middleware, so a browser on an allowed origin saw a
network error instead of the 413 and its message. CORS is now the outermost layer.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from eskg.config import Settings
from eskg.store.embedded import EmbeddedStore


def test_a_413_carries_cors_headers(settings: Settings, embedded: EmbeddedStore) -> None:
    configured = settings.model_copy(
        update={"cors_origins": "https://a.example, https://b.example"}
    )
    with TestClient(create_app(configured, embedded)) as c:
        too_big = c.post(
            "/graphql",
            content=b"x" * (configured.max_body_bytes + 1),
            headers={"Origin": "https://a.example", "content-type": "application/json"},
        )
        assert too_big.status_code == 413  # and the browser may read why
        assert too_big.headers["access-control-allow-origin"] == "https://a.example"
