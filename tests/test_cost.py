"""The GraphQL cost limit is computed on what will run (issue 20): fragments expanded,
variables' values applied, lists without a limit counted at what the data holds.

Aliases x fragments x variables together, against the real app on both stores and on
both executors; the estimate is checked to be an upper bound of the fields the answer
really holds. Each dodge of the issue's table has its regression test in tests/issues/
(``test_limit_by_variable_dodged_the_cost_limit.py``,
``test_fragments_reset_the_cost_multiplier.py``,
``test_relations_without_limit_were_estimated_as_20.py``)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.cost import answer_fields, is_introspection
from api.deps import services_of
from tests.graphql_cost import estimate, post

DOC = "doc/meti-action-plan-2024"
#: aliases x fragments x variables: three aliases of a spread whose lists take $l
MIXED = """query($l:Int, $m:Int = 3){
  a: search(text:"e", limit:$m) { ...R }
  b: search(text:"s", limit:$m) { ...R }
  c: search(text:"a", limit:$m) { ...R x: relations(limit:$l) { type } }
}
fragment R on Entity { id r1: relations(limit:$l) { target { ...T } } r2: relations(limit:$l) { type } }
fragment T on Entity { id label rs: relations(limit:$l) { type } }"""


@pytest.fixture()
def client(cost_client: TestClient) -> TestClient:
    return cost_client


fields = answer_fields  # the fields an answer holds (each key of each object)


def test_aliases_fragments_and_variables_together(client: TestClient) -> None:
    refused = estimate(post(client, MIXED, {"l": 100, "m": 50}))
    assert refused > 20000
    ok = post(client, MIXED, {"l": 4})
    assert ok.status_code == 200, ok.text
    # the estimate of what ran bounds the fields it answered
    settings = services_of(client.app).settings
    low = settings.model_copy(update={"graphql_max_cost": 1})
    with TestClient(create_app(low, services_of(client.app).store)) as tight:
        assert estimate(post(tight, MIXED, {"l": 4})) >= fields(ok.json()["data"])


@pytest.mark.parametrize(
    "query",
    [
        f'{{ entity(id:"{DOC}") {{ id label sources {{ quote document {{ id }} }} }} }}',
        '{ search(text:"semiconductor") { id relations(limit: 5) { type target { id } } } }',
        '{ entities(type:"Measure", limit: 10) { total items { id relations { type } } } }',
        (
            '{ measuresCoveringMaterial(material:"material/rare-earths") '
            "{ measure { id } path { id } sources { quote } } }"
        ),
    ],
)
def test_estimate_bounds_the_answer(client: TestClient, query: str) -> None:
    ok = post(client, query)
    assert ok.status_code == 200 and "errors" not in ok.json(), ok.text
    low = services_of(client.app).settings.model_copy(update={"graphql_max_cost": 1})
    with TestClient(create_app(low, services_of(client.app).store)) as tight:
        assert estimate(post(tight, query)) >= fields(ok.json()["data"])


def test_introspection_is_exempt_and_nothing_else(client: TestClient) -> None:
    low = services_of(client.app).settings.model_copy(update={"graphql_max_cost": 3})
    full = "{ __schema { types { name fields { name type { name ofType { name } } } } } }"
    with TestClient(create_app(low, services_of(client.app).store)) as tight:
        answer = post(tight, full)
        assert answer.status_code == 200 and answer.json()["data"]["__schema"]["types"]
        mixed = '{ __schema { types { name } } search(text:"e", limit: 5) { id } }'
        assert estimate(post(tight, mixed)) > 3


def test_is_introspection_decides_in_one_place() -> None:
    from graphql import parse

    assert is_introspection(parse("{ __schema { types { name } } }"), None)
    assert is_introspection(
        parse('query Q { ...F } fragment F on Query { __type(name:"X") { name } }'), None
    )
    assert not is_introspection(parse("{ __typename }"), None)
    assert not is_introspection(
        parse('{ __schema { types { name } } entity(id:"x") { id } }'), None
    )
