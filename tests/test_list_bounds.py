"""The list bounds of the cost limit are counted by the load and stored with the data
(issue 19): equal to what the ``max_degree`` and ``max_links`` aggregates compute, on the
seed and synthetic data and on both stores, read back without an aggregate by the first
GraphQL request after a load; a store loaded by an earlier version (no bounds stored)
falls back to the aggregates once, with a warning saying to reload."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.cost import aggregate_bounds
from cli import synthetic
from eskg.bounds import DataBounds
from eskg.config import Settings
from eskg.ontology import Ontology
from eskg.queries import load_library
from eskg.store.base import Store
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore
from eskg.store.read_only import ReadOnlyEmbeddedStore
from eskg.store.search_index import index_path
from loaders.pipeline import Built
from loaders.rdf_file import load_file

AGGREGATES = frozenset({"max_degree", "max_links"})
ENTITY = '{ entity(id: "org/meti") { id relations { type target { id } } } }'


def _recording(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the named questions ``store.rows`` is asked from now on."""
    asked: list[str] = []
    rows: Callable[[str, dict[str, object]], list[dict[str, object]]] = store.rows

    def recorded(question: str, params: dict[str, object]) -> list[dict[str, object]]:
        asked.append(question)
        return rows(question, params)

    monkeypatch.setattr(store, "rows", recorded)
    return asked


def _same(store: Store) -> DataBounds:
    """The stored bounds, checked to equal the aggregates' and to be non-trivial."""
    stored = store.list_bounds()
    assert stored is not None
    computed = aggregate_bounds(store)
    assert stored.relations == computed.relations > 1
    assert dict(stored.links) == dict(computed.links)
    assert {d for _, d in stored.links} == {"IN", "OUT"}
    return stored


def test_embedded_bounds_are_the_aggregates_on_seed_data(embedded: EmbeddedStore) -> None:
    stored = _same(embedded)
    # keyed by the ontology's property names, as the cost limit looks them up
    props = {p.name for p in embedded.onto.object_properties}
    assert {p for p, _ in stored.links} <= props


def test_embedded_bounds_are_the_aggregates_on_synthetic_data(
    settings: Settings, onto: Ontology
) -> None:
    store = EmbeddedStore(onto, load_library(settings.queries_dir))
    store.replace_with_nquads(synthetic.generate(15_000).nquads().encode("utf-8"))
    _same(store)


@pytest.mark.neo4j
def test_neo4j_bounds_are_the_aggregates(empty_neo4j: Neo4jStore, built: Built) -> None:
    assert empty_neo4j.list_bounds() == DataBounds()  # no data: nothing to bound
    empty_neo4j.replace_all(built.compiled.dataset)  # a first load (parallel units)
    first = _same(empty_neo4j)
    empty_neo4j.replace_all(built.compiled.dataset)  # over the graph (one transaction)
    assert _same(empty_neo4j) == first
    empty_neo4j.replace_all(synthetic.generate(15_000).dataset())
    _same(empty_neo4j)


@pytest.mark.neo4j
def test_both_stores_store_the_same_bounds(
    embedded: EmbeddedStore, loaded_neo4j: Neo4jStore
) -> None:
    assert loaded_neo4j.list_bounds() == embedded.list_bounds()


@pytest.mark.neo4j
def test_neo4j_bounds_of_another_load_are_not_taken(empty_neo4j: Neo4jStore, built: Built) -> None:
    empty_neo4j.replace_all(built.compiled.dataset)  # written into below, so not loaded_neo4j
    with empty_neo4j.driver.session() as session:
        session.run("MATCH (b:ListBounds) SET b.load = 'an-earlier-load'").consume()
    assert empty_neo4j.list_bounds() is None
    with empty_neo4j.driver.session() as session:
        session.run("MATCH (b:ListBounds) DELETE b").consume()
    assert empty_neo4j.list_bounds() is None


def test_load_from_file_stores_the_bounds_of_the_file(
    settings: Settings, onto: Ontology, tmp_path: Path
) -> None:
    data = tmp_path / "s.nq"
    data.write_text(synthetic.generate(15_000).nquads(), encoding="utf-8")
    on_disk = settings.model_copy(update={"embedded_path": tmp_path / "store"})
    load_file(on_disk, ["embedded"], data, check=False)
    store = ReadOnlyEmbeddedStore(onto, load_library(settings.queries_dir), tmp_path / "store")
    fresh = EmbeddedStore(onto, load_library(settings.queries_dir))
    fresh.replace_with_nquads(data.read_bytes())
    assert _same(store) == fresh.list_bounds()


@pytest.mark.neo4j
def test_neo4j_load_from_file_stores_the_bounds(
    empty_neo4j: Neo4jStore, neo4j_settings: Settings, tmp_path: Path
) -> None:
    data = tmp_path / "s.nq"
    data.write_text(synthetic.generate(15_000).nquads(), encoding="utf-8")
    load_file(neo4j_settings, ["neo4j"], data, check=False)
    _same(empty_neo4j)


def test_a_failed_load_keeps_the_old_bounds(
    settings: Settings, onto: Ontology, built: Built
) -> None:
    store = EmbeddedStore(onto, load_library(settings.queries_dir))
    store.replace_all(built.compiled.dataset)
    before = store.list_bounds()
    with pytest.raises(SyntaxError):
        store.replace_with_nquads(b"<urn:a> <urn:b> <urn:c> <urn:g> .\n<not a quad\n")
    assert store.list_bounds() == before


def test_the_first_request_after_a_load_runs_no_aggregate(
    store_and_settings: tuple[Store, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, settings = store_and_settings
    asked = _recording(store, monkeypatch)
    settings = settings.model_copy(update={"response_cache_mb": 0})
    with TestClient(create_app(settings, store)) as client:
        answer = client.post("/graphql", json={"query": ENTITY})
        assert answer.status_code == 200, answer.text
        assert answer.json()["data"]["entity"]["relations"]
    assert not AGGREGATES & set(asked), asked


def test_a_store_of_an_earlier_version_falls_back_once_and_warns(
    settings: Settings,
    onto: Ontology,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = tmp_path / "s.nq"
    data.write_text(synthetic.generate(15_000).nquads(), encoding="utf-8")
    on_disk = settings.model_copy(
        update={"embedded_path": tmp_path / "store", "response_cache_mb": 0}
    )
    load_file(on_disk, ["embedded"], data, check=False)
    with sqlite3.connect(index_path(tmp_path / "store")) as conn:  # as an earlier version wrote it
        conn.execute("DROP TABLE bounds")
    store = ReadOnlyEmbeddedStore(onto, load_library(settings.queries_dir), tmp_path / "store")
    assert store.list_bounds() is None
    asked = _recording(store, monkeypatch)
    query = '{ search(text: "battery", limit: 2) { id relations { type } } }'
    with (
        caplog.at_level(logging.WARNING, "eskg.api"),
        TestClient(create_app(on_disk, store)) as client,
    ):
        for _ in range(3):
            assert client.post("/graphql", json={"query": query}).status_code == 200
    assert sorted(q for q in asked if q in AGGREGATES) == sorted(AGGREGATES)  # once each
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("no list bounds" in m and "eskg load" in m for m in warned), warned
