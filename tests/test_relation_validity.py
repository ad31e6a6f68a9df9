"""Relations that hold for a time (``validFrom`` / ``validUntil``), end to end on both
stores: the relation reads return the bounds, the flagship questions leave out an answer
whose path has an edge not yet (or no longer) valid on ``asOf``, GraphQL exposes the
bounds and filters ``relations(asOf:)``, and the compiled executor agrees with strawberry.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.compiled_plan import Compiler
from api.schema import build_schema, validation_rules
from eskg.config import Settings
from eskg.model import FromNodes
from eskg.ontology import Ontology
from eskg.queries import load_library
from eskg.store.base import Store
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore
from loaders.pipeline import Built
from tests.inline_data import build_inline
from tests.test_compiled import compiled_answer, strawberry_answer


@pytest.fixture(scope="module")
def inline(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> tuple[Built, Settings]:
    return build_inline(tmp_path_factory.mktemp("validity"), settings)


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(
    request: pytest.FixtureRequest, inline: tuple[Built, Settings], onto: Ontology
) -> Iterator[tuple[Store, Settings]]:
    built, cfg = inline
    found: Store
    if request.param == "neo4j":
        found = request.getfixturevalue("empty_neo4j")
        cfg = request.getfixturevalue("neo4j_settings").model_copy(
            update={"sources_dir": cfg.sources_dir}
        )
    else:
        found = EmbeddedStore(onto, load_library(cfg.queries_dir))
    found.replace_all(built.compiled.dataset)
    yield found, cfg


def _iri(cfg: Settings, short: str) -> str:
    return cfg.base_iri + short


def test_relation_reads_carry_the_bounds(store: tuple[Store, Settings]) -> None:
    s, cfg = store
    rels = s.relations([_iri(cfg, "measure/designation")])[_iri(cfg, "measure/designation")]
    bounds = {
        r.other.removeprefix(cfg.base_iri): (r.valid_from, r.valid_until)
        for r in rels
        if r.prop == "coversMaterial"
    }
    assert bounds == {
        "material/alpha": (None, None),
        "material/gamma": (None, None),
        "material/beta": ("2024-02-02", None),
    }
    club = s.relations([_iri(cfg, "group/club")])[_iri(cfg, "group/club")]
    members = {r.other.removeprefix(cfg.base_iri): (r.valid_from, r.valid_until) for r in club}
    assert members == {
        "country/aa": (None, None),
        "country/bb": ("2023-01-01", None),
        "country/cc": (None, "2022-12-31"),
    }
    # the one-statement read gives the same relations
    reads = s.traverse(FromNodes((), (_iri(cfg, "group/club"),)))
    assert reads.relations[_iri(cfg, "group/club")] == club


def test_flagship_paths_carry_each_edges_validity(store: tuple[Store, Settings]) -> None:
    s, cfg = store
    found = s.paths("measures_covering_material", _iri(cfg, "material/beta"))
    by_measure = {a.measure.removeprefix(cfg.base_iri): a.edge_validity for a in found}
    assert by_measure["measure/designation"] == (("2024-02-02", None),)
    assert by_measure["measure/cert-bolt-beta"] == ((None, None),)


def _gql(client: TestClient, query: str) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


FLAGSHIP = (
    '{ m: measuresCoveringMaterial(material: "material/beta", asOf: "%s") { measure { id } } }'
)


def test_as_of_leaves_out_answers_through_an_edge_not_yet_valid(
    store: tuple[Store, Settings],
) -> None:
    s, cfg = store
    with TestClient(create_app(cfg, s)) as client:
        # material/beta is covered by the designation only from 2024-02-02 (the measure
        # itself dates from 2022), and certified on 2024-06-01
        early = _gql(client, FLAGSHIP % "2023-06-01")["m"]
        assert early == []
        later = {a["measure"]["id"] for a in _gql(client, FLAGSHIP % "2024-03-01")["m"]}
        assert later == {"measure/designation"}
        latest = {a["measure"]["id"] for a in _gql(client, FLAGSHIP % "2025-01-01")["m"]}
        assert latest == {"measure/designation", "measure/cert-bolt-beta"}
        # through a technology: material alpha is used in widgets, no bounds on the way
        tech = _gql(
            client,
            '{ t: measuresCoveringTechnology(technology: "tech/widgets", '
            'asOf: "2021-06-01") { measure { id } } }',
        )["t"]
        assert {a["measure"]["id"] for a in tech} == {"measure/grant-bolt"}


def test_relations_expose_bounds_and_filter_as_of(store: tuple[Store, Settings]) -> None:
    s, cfg = store
    query = (
        '{ entity(id: "group/club") { all: relations { target { id } validFrom validUntil }'
        ' then: relations(asOf: "%s") { target { id } } n: relationCount(asOf: "%s") } }'
    )
    with TestClient(create_app(cfg, s)) as client:
        data = _gql(client, query % ("2022-06-01", "2022-06-01"))["entity"]
        bounds = {r["target"]["id"]: (r["validFrom"], r["validUntil"]) for r in data["all"]}
        assert bounds == {
            "country/aa": (None, None),
            "country/bb": ("2023-01-01", None),
            "country/cc": (None, "2022-12-31"),
        }
        assert {r["target"]["id"] for r in data["then"]} == {"country/aa", "country/cc"}
        assert data["n"] == 2
        now = _gql(client, query % ("2024-01-01", "2024-01-01"))["entity"]
        assert {r["target"]["id"] for r in now["then"]} == {"country/aa", "country/bb"}
        # the first and last days are included
        edge = _gql(client, query % ("2022-12-31", "2023-01-01"))["entity"]
        assert {r["target"]["id"] for r in edge["then"]} == {"country/aa", "country/cc"}
        assert edge["n"] == 2


def test_compiled_flagship_agrees_with_strawberry_on_validity(
    store: tuple[Store, Settings], onto: Ontology
) -> None:
    s, cfg = store
    schema = build_schema(onto, cfg)
    compiler = Compiler(schema._schema, validation_rules(cfg), cfg.graphql_max_tokens)
    query = (
        "query F($t: ID!, $d: Date) { a: measuresCoveringMaterial(material: $t, asOf: $d) "
        "{ measure { id } path { id } sources { iri } } }"
    )
    answered = 0
    for material in ("material/alpha", "material/beta", "material/gamma"):
        for day in ("2023-06-01", "2024-03-01", "2025-01-01", None):
            variables = {"t": material, "d": day}
            expected = strawberry_answer(schema, s, cfg, query, variables)
            assert compiled_answer(compiler, s, cfg, query, variables) == expected
            answered += expected.count('"measure"')
    assert answered > 5


@pytest.mark.neo4j
def test_both_stores_read_the_same_bounds(
    inline: tuple[Built, Settings],
    onto: Ontology,
    empty_neo4j: Neo4jStore,
) -> None:
    built, cfg = inline
    local = EmbeddedStore(onto, load_library(cfg.queries_dir))
    local.replace_all(built.compiled.dataset)
    empty_neo4j.replace_all(built.compiled.dataset)
    iris = [cfg.base_iri + x for x in ("measure/designation", "group/club", "country/bb")]
    assert empty_neo4j.relations(iris) == local.relations(iris)
    for m in ("material/alpha", "material/beta"):
        assert empty_neo4j.paths("measures_covering_material", cfg.base_iri + m) == local.paths(
            "measures_covering_material", cfg.base_iri + m
        )
