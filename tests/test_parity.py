"""Every named question gives the same answers on Neo4j and on the embedded store."""

from __future__ import annotations

from pathlib import Path

import pytest

from eskg.model import (
    EntityData,
    FromNodes,
    FromQuestion,
    FromSearch,
    Hop,
    Projection,
    RelationData,
)
from eskg.ontology import Ontology
from eskg.store import neo4j as neo4j_module
from eskg.store.base import flagship_reads
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore
from loaders.pipeline import Built

pytestmark = pytest.mark.neo4j


def _iris_of(store: EmbeddedStore, cls: str) -> list[str]:
    assert cls.isalpha()
    rows = store.store.query(
        "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s a ?c } GRAPH <https://w3id.org/eskg/ontology> "
        f"{{ ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>* <https://w3id.org/eskg/ontology#{cls}> }} }}"
    )
    return sorted(r["s"].value for r in rows)  # type: ignore[union-attr]


def test_entities_relations_and_citations(
    loaded_neo4j: Neo4jStore, embedded: EmbeddedStore
) -> None:
    iris = _iris_of(embedded, "Entity")
    assert len(iris) > 30
    assert loaded_neo4j.entities(iris) == embedded.entities(iris)
    assert loaded_neo4j.relations(iris) == embedded.relations(iris)
    cits = sorted({c for e in embedded.entities(iris).values() for c in e.citations})
    assert loaded_neo4j.citations(cits) == embedded.citations(cits)


def test_one_statement_read(loaded_neo4j: Neo4jStore, embedded: EmbeddedStore) -> None:
    """Neo4j's composed read (one statement) answers what the three reads answer, on
    both stores, for every mix of empty and non-empty parts and for unknown IRIs."""
    iris = _iris_of(embedded, "Entity")
    cits = sorted({c for e in embedded.entities(iris).values() for c in e.citations})
    assert cits
    unknown = "https://w3id.org/eskg/id/not-there"
    ents, rels, cites = iris[:40] + [unknown], iris[20:60] + [unknown], cits[:30] + [unknown]
    for e in (ents, []):
        for r in (rels, []):
            for c in (cites, []):
                start = FromNodes(tuple(e), tuple(r), tuple(c))
                one, other = loaded_neo4j.traverse(start), embedded.traverse(start)
                assert (one.entities, one.citations) == (other.entities, other.citations)
                # an IRI without relations: [] or left out (the callers read .get(iri, []))
                assert {k: v for k, v in one.relations.items() if v} == {
                    k: v for k, v in other.relations.items() if v
                }
                assert one.relations == loaded_neo4j.relations(r) if r else not one.relations
                assert one.citations == loaded_neo4j.citations(c) if c else not one.citations
                documents = [x.document for x in one.citations.values()]
                assert one.entities == loaded_neo4j.entities(e + documents)
    assert loaded_neo4j.traverse(FromNodes(tuple(cites))).entities == {}  # a citation is no entity


BROADER = Hop(frozenset({("broader", "OUT"), ("broader", "IN")}))
MEASURE_LINKS = Hop(
    frozenset({("legalBasis", "OUT"), ("responsibleBody", "OUT"), ("coversTechnology", "OUT")})
)


def _projected(data: EntityData, only: Projection) -> EntityData:
    """What a read with ``only`` must return of an entity at least."""
    return EntityData(
        data.iri,
        data.types,
        [(k, v) for k, v in data.literals if (k, v.lang) in only.literals],
        data.citations if only.citations else [],
    )


def test_a_projected_read_returns_the_literals_asked(
    loaded_neo4j: Neo4jStore, embedded: EmbeddedStore
) -> None:
    """A read with a Projection gives, on Neo4j, exactly the classes, literals, (when
    asked) citations and relations of the links it names; the embedded store may give
    more. Every kind of batched read takes it."""
    iris = _iris_of(embedded, "Entity")
    whole = embedded.entities(iris)
    labels = Projection(frozenset({("prefLabel", "en"), ("prefLabel", "ja")}))
    dated = Projection(
        frozenset({("prefLabel", "ja"), ("inForceFrom", None), ("status", None)}), citations=True
    )
    assert any(v.values("inForceFrom") for v in whole.values())
    links = Projection(
        frozenset(), links=frozenset({"broader", "coversTechnology"}), link_citations=False
    )
    got_rels = loaded_neo4j.traverse(FromNodes((), tuple(iris)), (), links).relations
    assert {i: r for i, r in got_rels.items() if r} == {
        i: [
            RelationData(r.prop, r.direction, r.other, (), r.valid_from, r.valid_until)
            for r in rels
            if r.prop in {"broader", "coversTechnology"}
        ]
        for i, rels in embedded.relations(iris).items()
        if any(r.prop in {"broader", "coversTechnology"} for r in rels)
    }
    assert sum(map(len, got_rels.values())) > 20
    answered = 0
    for only in (labels, dated, links, Projection()):
        got = loaded_neo4j.traverse(FromNodes(tuple(iris)), (), only).entities
        assert got == {i: _projected(d, only) for i, d in whole.items()}
        assert embedded.traverse(FromNodes(tuple(iris)), (), only).entities == whole
        ahead = loaded_neo4j.traverse(FromSearch("半導体", None, 10), (), only)
        assert ahead.entities == {i: _projected(whole[i], only) for i in ahead.entities}
        for tech in _iris_of(embedded, "Technology"):
            ahead = loaded_neo4j.traverse(FromNodes((tech,), (tech,)), (BROADER,), only)
            assert ahead.entities == {i: _projected(whole[i], only) for i in ahead.entities}
            start = FromQuestion("measures_covering_technology", tech, True, True)
            ahead = loaded_neo4j.traverse(start, (MEASURE_LINKS,), only)
            found = ahead.answers
            assert ahead.entities == {i: _projected(whole[i], only) for i in ahead.entities}
            answered += bool(found)
    assert answered > 3


@pytest.mark.parametrize("text", ["半導体", "semi", "ai", "nothing-matches-this"])
def test_search_with_its_reads(
    loaded_neo4j: Neo4jStore, embedded: EmbeddedStore, text: str
) -> None:
    """Neo4j's search with the entities found and the levels below (one statement)
    answers what the search and separate reads answer, on both stores."""
    for types in (None, ["Technology"], ["Measure"]):
        for steps in ((), (MEASURE_LINKS,)):
            start = FromSearch(text, tuple(types) if types else None, 30)
            ahead = reads = loaded_neo4j.traverse(start, steps)
            found = ahead.found
            assert found == embedded.search(text, types, 30)
            assert {i: reads.entities[i] for i in found if i in reads.entities} == (
                loaded_neo4j.entities(found)
            )
            if steps:
                assert set(ahead.asked_relations) >= set(found)
                assert loaded_neo4j.relations(found).items() <= reads.relations.items()
            else:
                assert reads.relations == {} and ahead.asked_entities == found
            other = embedded.traverse(start, steps)
            assert reads.entities == other.entities
            assert {k: v for k, v in reads.relations.items() if v} == {
                k: v for k, v in other.relations.items() if v
            }
            assert (set(ahead.asked_entities), set(ahead.asked_relations)) == (
                set(other.asked_entities),
                set(other.asked_relations),
            )


def test_levels_read_ahead(loaded_neo4j: Neo4jStore, embedded: EmbeddedStore) -> None:
    """Neo4j reads every level in one statement what the embedded store reads level by
    level: the entities linked by the steps' links, relations where a step says so."""
    below = frozenset({("coversTechnology", "IN"), ("broader", "OUT"), ("broader", "IN")})
    down = Hop(below, frozenset({("coversTechnology", "IN"), ("broader", "IN")}))
    last = Hop(
        frozenset({("legalBasis", "OUT"), ("responsibleBody", "OUT"), ("coversTechnology", "IN")})
    )
    deep = 0
    for steps in ((down, last), (down, Hop(below, below), last), (Hop(below),), ()):
        for iri in [*_iris_of(embedded, "Technology"), "https://w3id.org/eskg/id/not-there"]:
            first = (iri,) if steps else ()
            one = loaded_neo4j.traverse(FromNodes((iri,), first), steps)
            other = embedded.traverse(FromNodes((iri,), first), steps)
            assert one.entities == other.entities
            assert {k: v for k, v in one.relations.items() if v} == {
                k: v for k, v in other.relations.items() if v
            }
            assert not one.citations
            assert set(one.asked_entities) == set(other.asked_entities) >= set(one.entities)
            assert set(one.asked_relations) == set(other.asked_relations) >= set(one.relations)
            deep += len(steps) > 1 and len(one.entities) > 5
    assert deep >= 3


def test_flagship_with_its_reads(loaded_neo4j: Neo4jStore, embedded: EmbeddedStore) -> None:
    """Neo4j's flagship answers with their reads (and the levels below the measures) in
    one statement answer what the paths and separate reads answer, on both stores."""
    asked = deep = 0
    for question, cls in (
        ("measures_covering_technology", "Technology"),
        ("measures_covering_material", "Material"),
    ):
        for iri in [*_iris_of(embedded, cls), "https://w3id.org/eskg/id/not-there"]:
            for nodes, sources, steps in (
                (True, True, ()),
                (True, False, ()),
                (False, True, ()),
                (False, False, ()),
                (True, True, (MEASURE_LINKS,)),
                (False, False, (MEASURE_LINKS,)),
            ):
                start = FromQuestion(question, iri, nodes, sources)
                ahead = reads = loaded_neo4j.traverse(start, steps)
                other = embedded.traverse(start, steps)
                found, again = ahead.answers, other.answers
                assert found == again == loaded_neo4j.paths(question, iri)
                assert (reads.entities, reads.citations) == (
                    other.entities,
                    other.citations,
                )
                assert {k: v for k, v in reads.relations.items() if v} == {
                    k: v for k, v in other.relations.items() if v
                }
                assert (set(ahead.asked_entities), set(ahead.asked_relations)) == (
                    set(other.asked_entities),
                    set(other.asked_relations),
                )
                assert bool(steps) or not reads.relations
                asked += bool(found and reads.citations and reads.entities)
                # the measures' relations read, and the entities they link to
                deep += (
                    bool(steps)
                    and any(reads.relations.values())
                    and (len(ahead.asked_entities) > len(flagship_reads(found, nodes, sources)[0]))
                )
    assert asked >= 5 and deep >= 5


def test_one_statement_read_refuses_a_query_it_cannot_wrap(tmp_path: Path) -> None:
    """A named query the composition cannot wrap fails when the store is built, naming
    the file, not in the middle of a request."""
    from eskg.errors import ConfigurationError
    from eskg.queries import QueryLibrary
    from eskg.store.neo4j_batch import nodes_statement, question_statement

    src = Path(__file__).resolve().parent.parent / "queries"
    for name, old, new in (
        ("relations_of", "UNWIND iris", "UNWIND $iris"),
        ("citations_by_iri", "c.quote AS quote", "c.quote AS text"),
        ("measures_covering_material", "AS nodes", "AS path"),
    ):
        folder = tmp_path / name
        folder.mkdir()
        for f in src.iterdir():
            folder.joinpath(f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
        target = folder / f"{name}.cypher"
        target.write_text(target.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        with pytest.raises(ConfigurationError, match=name):
            library = QueryLibrary(folder)
            nodes_statement(library, 0)
            question_statement(library, "measures_covering_material", 0)
    assert "CALL" in nodes_statement(QueryLibrary(src), 0)


@pytest.mark.parametrize(
    "text",
    [
        "永久磁石",
        "半導体",
        "semi",
        "ai",
        "EU",
        "経済",
        "nothing-matches-this",
        "磁石",
        "韓国",
        "経",
        "ー",  # two- and one-character Japanese
        "ぱなそにっく",
        "オウ",  # kana folded both ways
        "ＥＵ",
        "ｒａｒｅ",
        "ﾚｱ",  # full-width and half-width
        "semic",
        "weste",
        "ministry of",
        "economic sec",  # English words and prefixes
        "uk",
        "rok",  # acronyms of English names
        "産構審",
        "NEDO",  # alternative labels
        "半導体 ai",
        "2022",
        "a",
    ],
)
def test_search(loaded_neo4j: Neo4jStore, embedded: EmbeddedStore, text: str) -> None:
    found = 0
    for types in (None, ["Technology"], ["Material", "Measure"]):
        mine = embedded.search(text, types, 50)
        assert loaded_neo4j.search(text, types, 50) == mine
        found += len(mine)
    assert found or text == "nothing-matches-this"


SEARCHED = ("半導体", "ai", "semi", "経", "ministry of", "uk", "a")
COUNTED = (
    "MATCH (n:Resource) WHERE n.searchNames IS NOT NULL RETURN n.iri AS iri, "
    "n.searchRelations AS stored, COUNT { (n)-[r]-(:Resource) WHERE r.graph IS NOT NULL } AS counted"
)


def _relation_counts(store: Neo4jStore) -> list[tuple[object, object]]:
    with store.driver.session() as session:
        return [(r["stored"], r["counted"]) for r in session.run(COUNTED)]


def test_search_keys_of_both_loads(loaded_neo4j: Neo4jStore, built: Built) -> None:
    """Both loads (a first one, created in parallel units, and one over the existing
    graph, merged in one transaction) write each searchable entity's relation count as
    the search statement would count it."""
    for _ in range(2):  # the fixture's first load, then a load over it
        rows = _relation_counts(loaded_neo4j)
        assert len(rows) > 30 and any(counted for _, counted in rows)
        assert all(stored == counted for stored, counted in rows)
        loaded_neo4j.replace_all(built.compiled.dataset)


def test_search_without_load_keys_or_beyond_its_rows(
    loaded_neo4j: Neo4jStore, embedded: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ranking does not depend on the shortcuts: nodes without the stored relation
    count (a graph loaded before it was written) are counted when searched, and when the
    best rows asked hold fewer matches than the limit the store asks for every
    candidate (here forced by asking for fewer rows than the limit)."""
    monkeypatch.setattr(neo4j_module, "SEARCH_SLACK", -45)  # 5 rows for a limit of 50
    for text in SEARCHED:
        assert loaded_neo4j.search(text, None, 50) == embedded.search(text, None, 50)
    monkeypatch.undo()
    with loaded_neo4j.driver.session() as session:
        session.run("MATCH (n:Resource) REMOVE n.searchRelations").consume()
    for text in SEARCHED:
        for types in (None, ["Technology"]):
            assert loaded_neo4j.search(text, types, 5) == embedded.search(text, types, 5)


def test_flagship_questions(loaded_neo4j: Neo4jStore, embedded: EmbeddedStore) -> None:
    answered = 0
    for question, cls in (
        ("measures_covering_technology", "Technology"),
        ("measures_covering_material", "Material"),
    ):
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
