"""What the cost-limit tests share (tests/test_cost.py and its regressions in tests/issues/),
beside the ``cost_client`` fixture in tests/conftest.py: a request, and the estimate read
out of a refusal."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient


def post(c: TestClient, query: str, variables: dict[str, Any] | None = None) -> Any:
    return c.post("/graphql", json={"query": query, "variables": variables})


def estimate(response: Any) -> int:
    """The estimate a refusal states; fails unless the request was refused for its cost."""
    assert response.status_code == 400, response.text
    message = response.json()["errors"][0]["message"]
    found = re.search(r"estimated (\d+) objects", message)
    assert found, message
    return int(found.group(1))
