"""Property-based fuzzing (hypothesis) of every string argument of the GraphQL root fields.

Any text, in any string argument, on either store: no 5xx, no masked "Unexpected error."
(every error is one of ours, with a message), nothing written, and answers that make
sense (an unknown id is null, a search returns at most a page). Bounded to about 200
examples in the suite; bench/fuzz_http.py runs the same properties over real HTTP for
thousands more.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import create_app
from api.deps import services_of
from eskg.config import Settings
from eskg.store.base import Store
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore
from eskg.store.neo4j_load import counts
from loaders.pipeline import Built

# Every string argument of the root fields (and the two string arguments every entity has).
FIELDS: dict[str, str] = {
    "entity.id": "query($v: ID!) { entity(id: $v) { id label } }",
    "search.text": "query($v: String!) { search(text: $v) { id } }",
    "search.types": 'query($v: String!) { search(text: "a", types: [$v]) { id } }',
    "measuresCoveringTechnology.technology": (
        "query($v: ID!) { measuresCoveringTechnology(technology: $v) { measure { id } } }"
    ),
    "measuresCoveringMaterial.material": (
        "query($v: ID!) { measuresCoveringMaterial(material: $v) { measure { id } } }"
    ),
    "entities.type": "query($v: String!) { entities(type: $v, limit: 5) { total } }",
    "shortestPaths.from": 'query($v: ID!) { shortestPaths(from: $v, to: "org/meti") { path { id } } }',
    "shortestPaths.to": 'query($v: ID!) { shortestPaths(from: "org/meti", to: $v) { path { id } } }',
    "Entity.label.lang": 'query($v: String) { entity(id: "org/meti") { label(lang: $v) } }',
    "Entity.relations.type": (
        'query($v: String) { entity(id: "org/meti") { relations(type: $v) { type } } }'
    ),
}

# Fields that exist only once the competency-question API is in the schema.
QUESTION_FIELDS: dict[str, str] = {
    "question.name": "query($v: String!) { question(name: $v) { columns } }",
    "question.arguments.name": (
        'query($v: String!) { question(name: "figures_of_kind", arguments: [{name: $v, text: "x"}])'
        " { columns } }"
    ),
    "question.arguments.text": (
        'query($v: String) { question(name: "figures_of_kind", arguments: [{name: "kind", text: $v}])'
        " { rows { value } } }"
    ),
    "question.arguments.id": (
        'query($v: ID) { question(name: "entity_citations", arguments: [{name: "entity", id: $v}])'
        " { rows { value } } }"
    ),
}


def fields_of(client: TestClient) -> dict[str, str]:
    """FIELDS, plus the question fields when the served schema has ``question``."""
    q = '{ __type(name: "Query") { fields { name } } }'
    names = {
        f["name"]
        for f in client.post("/graphql", json={"query": q}).json()["data"]["__type"]["fields"]
    }
    return {**FIELDS, **(QUESTION_FIELDS if "question" in names else {})}


# Query-language meta-characters and keywords, so that short strings hit them often.
META = list("'\"`\\{}[]()<>;:$?#/.,*|&=!%@^~ \t\n\r\x00") + [
    "UNION",
    "DETACH DELETE",
    "MATCH (n)",
    "INSERT DATA",
    "DROP ALL",
    "OR 1=1",
    "--",
    "//",
    "/*",
    "*/",
    "${",
    "}}",
    "\\u0000",
    "https://w3id.org/eskg/id/",
    "org/meti",
    "?s ?p ?o",
]
TEXT = st.one_of(
    st.text(max_size=60),  # any Unicode scalar values (hypothesis leaves out surrogates)
    st.lists(st.sampled_from(META), max_size=12).map("".join),
    st.lists(st.one_of(st.sampled_from(META), st.text(max_size=4)), max_size=10).map("".join),
)


@pytest.fixture(scope="module")
def embedded_client(settings: Settings, embedded: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(settings, embedded)) as c:
        yield c


@pytest.fixture(scope="module")
def neo4j_client(
    neo4j_settings: Settings, neo4j_store: Neo4jStore, built: Built
) -> Iterator[TestClient]:
    with neo4j_store.driver.session() as session:
        session.run("MATCH (n) DETACH DELETE n").consume()
    neo4j_store.replace_all(built.compiled.dataset)
    with TestClient(create_app(neo4j_settings, neo4j_store)) as c:
        yield c


def size(store: Store) -> tuple[int, ...]:
    if isinstance(store, EmbeddedStore):
        return (len(store.store),)
    assert isinstance(store, Neo4jStore)
    return counts(store.driver, store.settings.neo4j_database)


def check(client: TestClient, field: str, value: str, fields: dict[str, str]) -> None:
    body = json.dumps({"query": fields[field], "variables": {"v": value}})
    response = client.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200, (field, value, response.status_code, response.text)
    answer: dict[str, Any] = response.json()
    for error in answer.get("errors") or []:
        assert error["message"] != "Unexpected error.", (field, value)
    data = answer.get("data") or {}
    if field == "search.text" and data:
        assert len(data["search"]) <= 20
    if field == "Entity.label.lang":
        assert data["entity"]["label"]  # falls back to English whatever the language asked


_FIELDS_CACHE: dict[int, dict[str, str]] = {}


def run_fuzz(client: TestClient, data: st.DataObject) -> None:
    fields = _FIELDS_CACHE.setdefault(id(client), fields_of(client))
    field = data.draw(st.sampled_from(sorted(fields)), label="field")
    value = data.draw(TEXT, label="value")
    check(client, field, value, fields)


FUZZ = settings(
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(data=st.data())
def test_fuzz_string_arguments_embedded(embedded_client: TestClient, data: st.DataObject) -> None:
    run_fuzz(embedded_client, data)


@pytest.mark.neo4j
@settings(FUZZ, max_examples=80)
@given(data=st.data())
def test_fuzz_string_arguments_neo4j(neo4j_client: TestClient, data: st.DataObject) -> None:
    run_fuzz(neo4j_client, data)


@pytest.mark.parametrize("kind", ["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def test_fuzzing_wrote_nothing(request: pytest.FixtureRequest, kind: str) -> None:
    """After the fuzz runs above (same module, file order), the stores hold the bundled data."""
    client: TestClient = request.getfixturevalue(f"{kind}_client")
    store: Store = services_of(client.app).store
    built: Built = request.getfixturevalue("built")
    if isinstance(store, EmbeddedStore):
        reference = EmbeddedStore(store.onto, store.queries)
        reference.replace_all(built.compiled.dataset)
        assert size(store) == size(reference)
    else:
        stats = store.stats()
        embedded: EmbeddedStore = request.getfixturevalue("embedded")
        assert stats.entities == embedded.stats().entities
        assert stats.relations == embedded.stats().relations
