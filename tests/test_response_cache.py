"""The GraphQL response cache: repeated requests are answered from memory, and never
with data older than the last load (embedded: at once; Neo4j: after the check interval)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import SKOS

from api.app import create_app
from api.response_cache import ResponseStore, _Entry
from eskg.config import Settings
from eskg.ontology import Ontology
from eskg.queries import load_library
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore
from loaders.pipeline import Built

LABEL = '{ entity(id: "material/permanent-magnets") { id label(lang: "en") } }'


def relabelled(ds: Dataset, iri: str, label: str) -> Dataset:
    """A copy of the dataset where the entity's English prefLabel is ``label``."""
    out = Dataset()
    for s, p, o, g in ds.quads((None, None, None, None)):
        if s == URIRef(iri) and p == SKOS.prefLabel and getattr(o, "language", None) == "en":
            o = Literal(label, lang="en")
        (out.graph(g) if g is not None else out).add((s, p, o))
    return out


def ask(client: TestClient, query: str) -> tuple[str | None, dict[str, Any]]:
    r = client.post("/graphql", json={"query": query})
    return r.headers.get("x-eskg-cache"), r.json()


def label_of(body: dict[str, Any]) -> str:
    return str(body["data"]["entity"]["label"])


@pytest.fixture()
def own_embedded(settings: Settings, onto: Ontology, built: Built) -> EmbeddedStore:
    store = EmbeddedStore(onto, load_library(settings.queries_dir))
    store.replace_all(built.compiled.dataset)
    return store


def test_repeated_request_is_a_hit_with_the_same_answer(
    settings: Settings, own_embedded: EmbeddedStore
) -> None:
    with TestClient(create_app(settings, own_embedded)) as client:
        first = client.post("/graphql", json={"query": LABEL})
        second = client.post("/graphql", json={"query": LABEL})
        assert (first.headers["x-eskg-cache"], second.headers["x-eskg-cache"]) == ("miss", "hit")
        assert first.content == second.content
        assert second.headers["content-type"].startswith("application/json")
        assert label_of(second.json()) == "Permanent magnets"


def test_errors_and_graphiql_are_never_cached(
    settings: Settings, own_embedded: EmbeddedStore
) -> None:
    with TestClient(create_app(settings, own_embedded)) as client:
        for _ in range(2):
            r = client.post("/graphql", json={"query": "{ nosuchfield }"})
            assert r.status_code == 400 and r.headers["x-eskg-cache"] == "miss"
            r = client.post("/graphql", json={"query": '{ search(text: "x", limit: 0) { id } }'})
            assert r.json()["errors"] and r.headers["x-eskg-cache"] == "miss"
            r = client.get("/graphql", headers={"accept": "text/html"})
            assert r.status_code == 200 and r.headers["x-eskg-cache"] == "miss"


def test_embedded_answers_change_with_the_data_at_once(
    settings: Settings, own_embedded: EmbeddedStore, built: Built
) -> None:
    iri = settings.base_iri + "material/permanent-magnets"
    with TestClient(create_app(settings, own_embedded)) as client:
        assert label_of(ask(client, LABEL)[1]) == "Permanent magnets"
        assert ask(client, LABEL)[0] == "hit"
        own_embedded.replace_all(relabelled(built.compiled.dataset, iri, "Magnets, relabelled"))
        state, body = ask(client, LABEL)
        assert (state, label_of(body)) == ("miss", "Magnets, relabelled")


def test_cache_off_when_size_is_zero(settings: Settings, own_embedded: EmbeddedStore) -> None:
    off = settings.model_copy(update={"response_cache_mb": 0})
    with TestClient(create_app(off, own_embedded)) as client:
        r = client.post("/graphql", json={"query": LABEL})
        assert "x-eskg-cache" not in r.headers and label_of(r.json()) == "Permanent magnets"


def test_store_keeps_within_its_byte_budget() -> None:
    cache = ResponseStore(max_bytes=8_000)
    for i in range(100):
        cache.put(bytes([i]), _Entry([(b"content-type", b"application/json")], b"x" * 500))
    assert cache.size <= 8_000 and len(cache.entries) < 100
    assert cache.get(bytes([99])) is not None and cache.get(bytes([0])) is None
    cache.put(b"huge", _Entry([], b"x" * 5_000))  # over an eighth of the budget: not kept
    assert cache.get(b"huge") is None


@pytest.mark.neo4j
def test_neo4j_answers_follow_a_load_by_another_process(
    loaded_neo4j: Neo4jStore, neo4j_settings: Settings, onto: Ontology, built: Built
) -> None:
    """Another writer (here a second store object, as `eskg load` would be) loads new data;
    with a check interval of 0 the next request already sees it."""
    fresh = neo4j_settings.model_copy(update={"response_cache_check_seconds": 0.0})
    iri = neo4j_settings.base_iri + "material/permanent-magnets"
    writer = Neo4jStore(onto, load_library(neo4j_settings.queries_dir), neo4j_settings)
    try:
        with TestClient(create_app(fresh, loaded_neo4j)) as client:
            assert label_of(ask(client, LABEL)[1]) == "Permanent magnets"
            assert ask(client, LABEL)[0] == "hit"
            writer.replace_all(relabelled(built.compiled.dataset, iri, "Magnets, reloaded"))
            state, body = ask(client, LABEL)
            assert (state, label_of(body)) == ("miss", "Magnets, reloaded")
            assert ask(client, LABEL)[0] == "hit"
    finally:
        writer.close()


def test_concurrent_requests_share_one_version_check(
    settings: Settings, own_embedded: EmbeddedStore
) -> None:
    """A store other processes could write is asked once for requests arriving together
    (here the embedded store treated as shared: its data_version query is real SPARQL)."""
    import asyncio

    import httpx

    own_embedded.shared = True
    asked: list[object] = []
    real = own_embedded.data_version

    def counted() -> object:
        version = real()
        asked.append(version)
        return version

    own_embedded.data_version = counted  # type: ignore[method-assign]
    app = create_app(
        settings.model_copy(update={"response_cache_check_seconds": 0.0}), own_embedded
    )

    async def burst() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return list(
                await asyncio.gather(
                    *(client.post("/graphql", json={"query": LABEL}) for _ in range(20))
                )
            )

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:  # a loop of its own, whatever ran before
        responses = pool.submit(asyncio.run, burst()).result()
    assert {r.status_code for r in responses} == {200}
    assert len({r.content for r in responses}) == 1
    assert 1 <= len(asked) < 20 and len(set(map(str, asked))) == 1
