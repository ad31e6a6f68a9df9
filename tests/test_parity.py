"""Every named question gives the same answers on Neo4j and on the embedded store."""

from __future__ import annotations

import pytest

from eskg.ontology import Ontology
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j


def _iris_of(store: EmbeddedStore, cls: str) -> list[str]:
    assert cls.isalpha()
    rows = store.store.query(
        "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s a ?c } GRAPH <https://w3id.org/eskg/ontology> "
        f"{{ ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>* <https://w3id.org/eskg/ontology#{cls}> }} }}"
    )
    return sorted(r["s"].value for r in rows)  # type: ignore[union-attr]


def test_entities_relations_and_citations(loaded_neo4j: Neo4jStore, embedded: EmbeddedStore) -> None:
    iris = _iris_of(embedded, "Entity")
    assert len(iris) > 30
    assert loaded_neo4j.entities(iris) == embedded.entities(iris)
    assert loaded_neo4j.relations(iris) == embedded.relations(iris)
    cits = sorted({c for e in embedded.entities(iris).values() for c in e.citations})
    assert loaded_neo4j.citations(cits) == embedded.citations(cits)


@pytest.mark.parametrize("text", ["永久磁石", "半導体", "semi", "ai", "EU", "経済", "nothing-matches-this"])
def test_search(loaded_neo4j: Neo4jStore, embedded: EmbeddedStore, text: str) -> None:
    for types in (None, ["Technology"], ["Material", "Measure"]):
        assert loaded_neo4j.search(text, types, 50) == embedded.search(text, types, 50)


def test_flagship_questions(loaded_neo4j: Neo4jStore, embedded: EmbeddedStore) -> None:
    answered = 0
    for question, cls in (("measures_covering_technology", "Technology"), ("measures_covering_material", "Material")):
        for iri in _iris_of(embedded, cls):
            mine = embedded.paths(question, iri)
            assert loaded_neo4j.paths(question, iri) == mine, iri
            answered += bool(mine)
    assert answered >= 5


def test_counts(loaded_neo4j: Neo4jStore, embedded: EmbeddedStore, onto: Ontology) -> None:
    a, b = loaded_neo4j.stats(), embedded.stats()
    assert a.classes == b.classes
    assert a.relations == b.relations


def test_every_query_file_runs_on_both(loaded_neo4j: Neo4jStore, embedded: EmbeddedStore) -> None:
    names = set(embedded.queries.queries)
    assert {"measures_covering_technology", "measures_covering_material"} <= names
