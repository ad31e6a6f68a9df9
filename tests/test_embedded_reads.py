"""The embedded store's index reads (``eskg/store/embedded_reads.py``) answer exactly what
their named SPARQL queries answer: every IRI of the bundled data and of synthetic data,
read both ways from the same Oxigraph store."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from cli import synthetic
from eskg.config import Settings
from eskg.ontology import Ontology
from eskg.queries import load_library
from eskg.store.embedded import EmbeddedStore
from eskg.store.embedded_reads import FLAGSHIP_PATHS
from eskg.vocab import FLAGSHIP_QUESTIONS


def _by_sparql(store: EmbeddedStore, settings: Settings, onto: Ontology) -> EmbeddedStore:
    """A store reading the same data through the named queries' SPARQL."""
    ref = EmbeddedStore(onto, load_library(settings.queries_dir))
    ref.native = False
    ref.store = store.store
    return ref


def _iris(store: EmbeddedStore) -> list[str]:
    """Every IRI in subject or object position, and one the data does not hold."""
    found: set[str] = {"https://w3id.org/eskg/id/not-there"}
    for q in store.store.quads_for_pattern(None, None, None, None):
        for term in (q.subject, q.object, q.graph_name):
            if isinstance(term, ox.NamedNode):
                found.add(term.value)
    return sorted(found)


def _same(store: EmbeddedStore, ref: EmbeddedStore, onto: Ontology) -> int:
    """Compare every read both ways; the number of flagship answers seen."""
    iris = _iris(store)
    for i in range(0, len(iris), 200):
        batch = iris[i : i + 200]
        assert store.entities(batch) == ref.entities(batch)
        assert store.relations(batch) == ref.relations(batch)
        assert store.citations(batch) == ref.citations(batch)
    answers = 0
    for q in FLAGSHIP_QUESTIONS:
        question = q.question
        assert question in FLAGSHIP_PATHS, f"{question} has no index read"
        targets = [
            iri
            for iri, e in store.entities(iris).items()
            if set(e.types) & set(onto.descendants(q.target_class))
        ]
        assert targets, question
        for iri in targets:
            mine = store.paths(question, iri)
            assert mine == ref.paths(question, iri), (question, iri)
            answers += len(mine)
    return answers


def test_index_reads_match_sparql_on_the_bundled_data(
    embedded: EmbeddedStore, settings: Settings, onto: Ontology
) -> None:
    assert _same(embedded, _by_sparql(embedded, settings, onto), onto) > 20


@pytest.fixture(scope="module")
def synthetic_store(settings: Settings, onto: Ontology) -> EmbeddedStore:
    store = EmbeddedStore(onto, load_library(settings.queries_dir))
    store.replace_with_nquads(synthetic.generate(15_000).nquads().encode("utf-8"))
    return store


def test_index_reads_match_sparql_on_synthetic_data(
    synthetic_store: EmbeddedStore, settings: Settings, onto: Ontology
) -> None:
    ref = _by_sparql(synthetic_store, settings, onto)
    assert _same(synthetic_store, ref, onto) > 20


def test_a_question_without_an_index_read_runs_its_sparql(
    embedded: EmbeddedStore, settings: Settings, onto: Ontology, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = _by_sparql(embedded, settings, onto)
    tech = settings.base_iri + "tech/semiconductors"
    expected = ref.paths("measures_covering_technology", tech)
    assert expected
    monkeypatch.delitem(embedded.terms.paths, "measures_covering_technology")
    assert embedded.paths("measures_covering_technology", tech) == expected
