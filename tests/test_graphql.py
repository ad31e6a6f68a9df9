"""The GraphQL contract over HTTP, on both stores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.schema import build_schema
from eskg.config import Settings
from eskg.ontology import Ontology
from eskg.store.base import Store
from eskg.store.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "data" / "sources" / "000_ca839251fed59808.txt").read_text(encoding="utf-8")


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def client(
    request: pytest.FixtureRequest, settings: Settings, embedded: EmbeddedStore
) -> Iterator[TestClient]:
    store: Store
    if request.param == "neo4j":
        store = request.getfixturevalue("loaded_neo4j")
        settings = request.getfixturevalue("neo4j_settings")
    else:
        store = embedded
    with TestClient(create_app(settings, store)) as c:
        yield c


def gql(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_search_permanent_magnets(client: TestClient) -> None:
    body = gql(client, '{ search(text: "永久磁石") { id types label(lang: "ja") } }')
    first = body["data"]["search"][0]
    assert first == {
        "id": "material/permanent-magnets",
        "types": ["SpecifiedCriticalMaterial", "Material", "Entity"],
        "label": "永久磁石",
    }


def test_measures_covering_material_with_path_and_verbatim_source(client: TestClient) -> None:
    body = gql(
        client,
        """query($m: ID!) { measuresCoveringMaterial(material: $m) {
             measure { id label types } path { id } sources { locator quote document { id } } } }""",
        m="material/permanent-magnets",
    )
    answers = body["data"]["measuresCoveringMaterial"]
    assert answers
    for a in answers:
        assert a["path"][0]["id"] == a["measure"]["id"]
        assert a["path"][-1]["id"] == "material/permanent-magnets"
        assert "Measure" in a["measure"]["types"]
        assert a["sources"]
    quotes = [
        s["quote"]
        for a in answers
        for s in a["sources"]
        if s["document"]["id"] == "doc/meti-action-plan-2024"
    ]
    assert quotes and all(q in SEED for q in quotes)


def test_measures_covering_technology_goes_through_materials(client: TestClient) -> None:
    body = gql(
        client,
        '{ measuresCoveringTechnology(technology: "tech/semiconductors") { measure { id } path { id } } }',
    )
    paths = [[n["id"] for n in a["path"]] for a in body["data"]["measuresCoveringTechnology"]]
    assert [
        "measure/espa-critical-materials-designation",
        "material/semiconductors",
        "tech/semiconductors",
    ] in paths


def test_entity_by_short_id_and_iri_and_unknown(client: TestClient, settings: Settings) -> None:
    q = """query($a: ID!, $b: ID!) { a: entity(id: $a) { id iri label labels { value lang } }
             b: entity(id: $b) { id } c: entity(id: "no/such-thing") { id } }"""
    body = gql(client, q, a="org/meti", b=settings.base_iri + "org/meti")
    assert body["data"]["a"]["id"] == body["data"]["b"]["id"] == "org/meti"
    assert body["data"]["a"]["label"] == "Ministry of Economy, Trade and Industry"
    assert body["data"]["c"] is None


def test_relations_both_ways_with_sources(client: TestClient) -> None:
    q = """{ entity(id: "material/permanent-magnets") {
        sources { quote }
        relations { type direction target { id } sources { quote } }
        out: relations(direction: OUT) { type }
        ... on SpecifiedCriticalMaterial { responsibleBody { id } incomingCoversMaterial { id } } } }"""
    e = gql(client, q)["data"]["entity"]
    assert {
        "type": "responsibleBody",
        "direction": "OUT",
        "target": {"id": "org/meti"},
        "sources": e["relations"][-1]["sources"],
    } in e["relations"] or any(r["type"] == "responsibleBody" for r in e["relations"])
    assert all(r["sources"] for r in e["relations"])
    assert {r["type"] for r in e["out"]} == {"responsibleBody"} | {r["type"] for r in e["out"]}
    assert e["responsibleBody"] == [{"id": "org/meti"}]
    assert {"id": "measure/espa-critical-materials-designation"} in e["incomingCoversMaterial"]


def test_depth_limit_and_bad_arguments(client: TestClient) -> None:
    deep = '{ entity(id: "org/meti") { ' + "relations { target { " * 8 + "id" + " } }" * 8 + " } }"
    body = client.post("/graphql", json={"query": deep}).json()
    assert any("exceeds maximum operation depth" in e["message"] for e in body["errors"])
    body = gql(client, '{ search(text: "a", limit: 100000) { id } }')
    assert "limit must be between" in body["errors"][0]["message"]
    body = gql(client, '{ search(text: "a", types: ["NoSuchClass"]) { id } }')
    assert "unknown type" in body["errors"][0]["message"]


def test_schema_file_matches(onto: Ontology, settings: Settings) -> None:
    committed = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert committed.strip() == build_schema(onto, settings).as_str().strip(), (
        "run `eskg schema > schema.graphql`"
    )


def test_health(client: TestClient) -> None:
    assert client.get("/health").json()["status"] == "ok"


def test_as_of_filters_measures_not_yet_in_force(client: TestClient) -> None:
    q = """query($d: Date) { measuresCoveringMaterial(material: "material/permanent-magnets", asOf: $d) {
             measure { id } } }"""
    before = {
        a["measure"]["id"]
        for a in gql(client, q, d="2022-06-01")["data"]["measuresCoveringMaterial"]
    }
    after = {
        a["measure"]["id"]
        for a in gql(client, q, d="2023-01-01")["data"]["measuresCoveringMaterial"]
    }
    # designated by the Cabinet decision of 20 Dec 2022 (reference source [10][12])
    assert "measure/espa-critical-materials-designation" not in before
    assert "measure/espa-critical-materials-designation" in after


def test_shortest_paths_link_two_entities_with_sources(client: TestClient) -> None:
    q = """{ shortestPaths(from: "material/permanent-magnets", to: "org/meti", maxLength: 3) {
             path { id } relations { type direction target { id } } sources { locator } } }"""
    paths = gql(client, q)["data"]["shortestPaths"]
    assert paths
    first = paths[0]
    assert [n["id"] for n in first["path"]] == ["material/permanent-magnets", "org/meti"]
    assert first["relations"] == [
        {"type": "responsibleBody", "direction": "OUT", "target": {"id": "org/meti"}}
    ]
    assert first["sources"]
    none = gql(client, '{ shortestPaths(from: "org/meti", to: "no/such") { path { id } } }')
    assert none["data"]["shortestPaths"] == []


def test_entities_listing_and_relation_paging(client: TestClient) -> None:
    page = gql(
        client,
        '{ entities(type: "SpecifiedCriticalMaterial", limit: 5, offset: 0) { total items { id } } }',
    )
    listing = page["data"]["entities"]
    assert listing["total"] >= 12 and len(listing["items"]) == 5
    ids = [i["id"] for i in listing["items"]]
    assert ids == sorted(ids)
    q = '{ entity(id: "country/jp") { relationCount all: relations { type } page: relations(limit: 3, offset: 2) { type target { id } } } }'
    e = gql(client, q)["data"]["entity"]
    assert e["relationCount"] == len(e["all"]) > 5
    assert len(e["page"]) == 3


def test_ontology_legend(client: TestClient) -> None:
    classes = gql(client, '{ ontology { name label(lang: "ja") colour parents } }')["data"][
        "ontology"
    ]
    by_name = {c["name"]: c for c in classes}
    assert by_name["SpecifiedCriticalMaterial"]["label"] == "特定重要物資"
    assert by_name["SpecifiedCriticalMaterial"]["colour"] == by_name["Material"]["colour"]
    assert by_name["Material"]["colour"] != by_name["Measure"]["colour"]


def test_costly_query_refused_before_it_runs(client: TestClient) -> None:
    q = '{ search(text: "半導体", limit: 200) { relations(limit: 200) { target { relations(limit: 200) { type } } } } }'
    body = client.post("/graphql", json={"query": q}).json()
    assert body["data"] is None
    assert "query too costly" in body["errors"][0]["message"]
    ok = gql(
        client,
        '{ search(text: "半導体", limit: 5) { relations(limit: 10) { type target { id } } } }',
    )
    assert ok["data"]["search"]


def test_competency_questions_through_graphql(client: TestClient) -> None:
    listed = gql(client, "{ questions { name parameters description } }")["data"]["questions"]
    by_name = {q["name"]: q for q in listed}
    assert len(listed) >= 25
    assert by_name["specified_materials_by_body"]["parameters"] == ["body", "asOf"]
    q = """{ question(name: "specified_materials_by_body", arguments: [{name: "body", id: "org/meti"}]) {
             columns rows { value id } } }"""
    answer = gql(client, q)["data"]["question"]
    assert answer["columns"][0] == "material"
    ids = {row[0]["id"] for row in answer["rows"]}
    # "※経産省関係では、半導体、蓄電池、クラウド、永久磁石、…の8つ" (seed)
    assert {"material/permanent-magnets", "material/semiconductors", "material/natural-gas"} <= ids
    bad = gql(client, '{ question(name: "specified_materials_by_body") { columns } }')
    assert "needs arguments ['body']" in bad["errors"][0]["message"]
    unknown = gql(client, '{ question(name: "nope") { columns } }')
    assert "no question named 'nope'" in unknown["errors"][0]["message"]
