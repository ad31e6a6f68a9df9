"""Issue 20: a ``limit`` given as a variable dodged the GraphQL cost limit.

``query($l:Int){ search(text:"e", limit:$l) { relations(limit:$l) { target {
relations(limit:$l) { target { id } } } } } }`` with ``l=200`` was estimated at 20 per
level (the default, since the variable's value was not looked at) and accepted: a 519 kB
answer in 2.8 s. The cost is now computed per request with the variables' values applied,
on the cached validated document.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.cost import answer_fields
from tests.graphql_cost import estimate, post

VAR_LIMITS = (
    'query($l:Int){ search(text:"e", limit:$l) { relations(limit:$l) { target { '
    "relations(limit:$l) { target { id } } } } } }"
)


def test_limit_as_variable_counts_its_value(cost_client: TestClient) -> None:
    big = estimate(post(cost_client, VAR_LIMITS, {"l": 200}))
    assert big >= 200 * 200 * 200
    small = post(cost_client, VAR_LIMITS, {"l": 2})  # the same text, validated once
    assert small.status_code == 200 and "errors" not in small.json()
    assert answer_fields(small.json()["data"]) <= 1 + 2 * (1 + 2 * (1 + 1 + 2 * 2))
