"""The GraphQL cost limit is computed on what will run (issue 20): fragments expanded,
variables' values applied, lists without a limit counted at what the data holds.

Every dodge of the issue's table, and aliases x fragments x variables together, against
the real app on both stores and on both executors; the estimate is checked to be an
upper bound of the fields the answer really holds."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.cost import answer_fields, is_introspection
from api.deps import services_of
from eskg.config import Settings
from eskg.store.base import Store
from eskg.store.embedded import EmbeddedStore

DOC = "doc/meti-action-plan-2024"
VAR_LIMITS = (
    'query($l:Int){ search(text:"e", limit:$l) { relations(limit:$l) { target { '
    "relations(limit:$l) { target { id } } } } } }"
)
FRAGMENTS = """query { search(text:"e", limit:200) { ...A } }
fragment A on Entity { relations(limit:200) { target { ...B } } }
fragment B on Entity { relations(limit:200) { target { ...C } } }
fragment C on Entity { relations(limit:200) { target { id } } }"""
#: aliases x fragments x variables: three aliases of a spread whose lists take $l
MIXED = """query($l:Int, $m:Int = 3){
  a: search(text:"e", limit:$m) { ...R }
  b: search(text:"s", limit:$m) { ...R }
  c: search(text:"a", limit:$m) { ...R x: relations(limit:$l) { type } }
}
fragment R on Entity { id r1: relations(limit:$l) { target { ...T } } r2: relations(limit:$l) { type } }
fragment T on Entity { id label rs: relations(limit:$l) { type } }"""


@pytest.fixture(
    params=[
        ("embedded", True),
        ("embedded", False),
        pytest.param(("neo4j", True), marks=pytest.mark.neo4j),
    ],
    ids=["embedded-compiled", "embedded-strawberry", "neo4j-compiled"],
)
def client(
    request: pytest.FixtureRequest, settings: Settings, embedded: EmbeddedStore
) -> Iterator[TestClient]:
    store_name, compiled = request.param
    store: Store = embedded
    if store_name == "neo4j":
        store = request.getfixturevalue("loaded_neo4j")
        settings = request.getfixturevalue("neo4j_settings")
    settings = settings.model_copy(update={"graphql_compiled": compiled, "response_cache_mb": 0})
    with TestClient(create_app(settings, store)) as c:
        yield c


def post(c: TestClient, query: str, variables: dict[str, Any] | None = None) -> Any:
    return c.post("/graphql", json={"query": query, "variables": variables})


def estimate(response: Any) -> int:
    assert response.status_code == 400, response.text
    message = response.json()["errors"][0]["message"]
    found = re.search(r"estimated (\d+) objects", message)
    assert found, message
    return int(found.group(1))


fields = answer_fields  # the fields an answer holds (each key of each object)


def test_limit_as_variable_counts_its_value(client: TestClient) -> None:
    big = estimate(post(client, VAR_LIMITS, {"l": 200}))
    assert big >= 200 * 200 * 200
    small = post(client, VAR_LIMITS, {"l": 2})  # the same text, validated once: cost per request
    assert small.status_code == 200 and "errors" not in small.json()
    assert fields(small.json()["data"]) <= 1 + 2 * (1 + 2 * (1 + 1 + 2 * 2))


def test_fragments_do_not_reset_the_multiplier(client: TestClient) -> None:
    inline = FRAGMENTS.split("\n")[0].replace(
        "...A",
        "relations(limit:200) { target { "
        "relations(limit:200) { target { relations(limit:200) { target { id } } } } } }",
    )
    assert estimate(post(client, FRAGMENTS)) == estimate(post(client, inline))


def _busiest(store: Store) -> str:
    """The entity with the most relations (both directions) in the store's data."""
    iris = [str(r["iri"]) for r in store.rows("entities_of_class", {"class": _entity_class(store)})]
    rels = store.relations(iris)
    return max(iris, key=lambda i: len(rels.get(i, [])))


def _entity_class(store: Store) -> Any:
    from rdflib import URIRef

    return URIRef(str(store.onto.classes["Entity"].iri))


def test_relations_without_limit_count_what_the_data_holds(client: TestClient) -> None:
    store = services_of(client.app).store
    busiest = _busiest(store)
    one = f'{{ entity(id:"{busiest}") {{ relations {{ target {{ id }} }} }} }}'
    two = f'{{ entity(id:"{busiest}") {{ relations {{ target {{ relations {{ target {{ id }} }} }} }} }} }}'
    answer = post(client, one)
    assert answer.status_code == 200
    real = len(answer.json()["data"]["entity"]["relations"])
    assert real > 20  # more than the old estimate of a list without a limit
    settings = services_of(client.app).settings
    low = settings.model_copy(update={"graphql_max_cost": real})
    with TestClient(create_app(low, store)) as tight:
        # one level: 1 + real targets x (1 + id) fields: refused at a limit of `real`
        assert estimate(post(tight, one)) >= 1 + 2 * real
    fits = settings.model_copy(update={"graphql_max_cost": 1 + 2 * real + 1})
    with TestClient(create_app(fits, store)) as loose:
        assert post(loose, one).status_code == 200
        assert estimate(post(loose, two)) > real * real


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
