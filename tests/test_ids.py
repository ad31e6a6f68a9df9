"""Dereferenceable IRIs: ``/id/{path}`` as HTML, Turtle, JSON-LD, N-Triples, TriG."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, Dataset, Graph, Literal, URIRef

from api.app import create_app
from eskg.config import Settings
from eskg.export import canonical_lines, dataset_quads, export_embedded
from eskg.ontology import ESKG, SKOS, Ontology
from eskg.queries import load_library
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore

ID = "https://w3id.org/eskg/id/"
MAGNETS = "material/permanent-magnets"


@pytest.fixture(scope="module")
def client(settings: Settings, embedded: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(settings, store=embedded)) as c:
        yield c


def inline_context(client: TestClient, body: bytes) -> bytes:
    """The JSON-LD with its context (a URL on the test client's host) written in."""
    doc = json.loads(body)
    assert doc["@context"] == "http://testserver/context.jsonld"
    doc["@context"] = client.get("/context.jsonld").json()["@context"]
    return json.dumps(doc).encode()


def test_turtle_by_accept(client: TestClient) -> None:
    r = client.get(f"/id/{MAGNETS}", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    s = URIRef(ID + MAGNETS)
    assert (s, RDF.type, ESKG.SpecifiedCriticalMaterial) in g
    assert (s, SKOS.prefLabel, Literal("永久磁石", lang="ja")) in g
    assert (s, ESKG.responsibleBody, URIRef(ID + "org/meti")) in g
    assert any(g.triples((URIRef(ID + "measure/espa-supply-chain-support"), None, s)))
    quotes = list(g.objects(None, ESKG.quote))
    assert any("永久磁石" in str(q) for q in quotes)
    assert (URIRef(ID + MAGNETS + "#record"), ESKG.citation, None) in g


@pytest.mark.parametrize(
    "fmt,media,rdflib_format",
    [
        ("jsonld", "application/ld+json", "json-ld"),
        ("nt", "application/n-triples", "nt"),
        ("trig", "application/trig", "trig"),
        ("nq", "application/n-quads", "nquads"),
    ],
)
def test_other_formats_by_query_and_accept(
    client: TestClient, fmt: str, media: str, rdflib_format: str
) -> None:
    by_query = client.get(f"/id/{MAGNETS}", params={"format": fmt})
    by_accept = client.get(f"/id/{MAGNETS}", headers={"Accept": f"{media}, text/html;q=0.5"})
    for r in (by_query, by_accept):
        assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert by_query.content == by_accept.content
    ds = Dataset()
    data = inline_context(client, by_query.content) if fmt == "jsonld" else by_query.content
    ds.parse(data=data, format=rdflib_format)
    assert len(ds) > 10 or len(list(ds.quads((None, None, None, None)))) > 10


def test_entity_quads_are_those_of_the_dump(
    client: TestClient, embedded: EmbeddedStore, settings: Settings
) -> None:
    r = client.get(f"/id/{MAGNETS}", params={"format": "nq"})
    ds = Dataset()
    ds.parse(data=r.content, format="nquads")
    mine = set(canonical_lines(dataset_quads(ds)))
    dump = set(canonical_lines(export_embedded(embedded, settings).quads))
    assert mine and mine <= dump


def test_html_for_browsers(client: TestClient) -> None:
    r = client.get(
        f"/id/{MAGNETS}", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    body = r.text
    assert "<h1>永久磁石</h1>" in body and "Permanent magnets" in body
    assert 'href="/id/org/meti"' in body and "経済産業省" in body
    assert "<blockquote>" in body and 'href="/id/doc/meti-action-plan-2024"' in body


def test_citation_iris_resolve(client: TestClient) -> None:
    ttl = client.get(f"/id/{MAGNETS}", headers={"Accept": "text/turtle"}).text
    g = Graph().parse(data=ttl, format="turtle")
    cit = next(iter(g.subjects(RDF.type, ESKG.Citation)))
    r = client.get("/id/" + str(cit)[len(ID) :], params={"format": "ttl"})
    assert r.status_code == 200
    assert (cit, ESKG.document, None) in Graph().parse(data=r.text, format="turtle")


def test_unknown_id_is_404(client: TestClient) -> None:
    r = client.get("/id/material/no-such-thing", headers={"Accept": "text/turtle"})
    assert r.status_code == 404
    assert "no entity, citation or statement graph" in r.json()["error"]
    page = client.get("/id/material/<b>x</b>", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "<b>x</b>" not in page.text and "&lt;b&gt;" in page.text
    bad = client.get(f"/id/{MAGNETS}", params={"format": "xml"})
    assert bad.status_code == 400


def test_html_escapes_everything(settings: Settings, onto: Ontology) -> None:
    evil = '<script>alert("x")</script>'
    ds = Dataset()
    s = URIRef(ID + "org/evil")
    g = ds.graph(URIRef(ID + "org/evil#record"))
    g.add((s, RDF.type, ESKG.Organisation))
    g.add((s, SKOS.prefLabel, Literal(evil, lang="ja")))
    g.add((s, ESKG.note, Literal(evil)))
    cit = URIRef(ID + "citation/evil")
    ds.add((URIRef(ID + "org/evil#record"), ESKG.citation, cit))
    ds.add((cit, RDF.type, ESKG.Citation))
    ds.add((cit, ESKG.document, s))
    ds.add((cit, ESKG.locator, Literal(evil)))
    ds.add((cit, ESKG.quote, Literal(evil)))
    store = EmbeddedStore(onto, load_library(settings.queries_dir))
    store.replace_all(ds)
    with TestClient(create_app(settings, store=store)) as c:
        body = c.get("/id/org/evil", headers={"Accept": "text/html"}).text
    assert "<script>" not in body and "&lt;script&gt;" in body


@pytest.mark.neo4j
def test_neo4j_and_embedded_answer_the_same(
    loaded_neo4j: Neo4jStore, client: TestClient, settings: Settings
) -> None:
    with TestClient(
        create_app(settings.model_copy(update={"store": "neo4j"}), store=loaded_neo4j)
    ) as neo:
        for path in (MAGNETS, "org/meti", "law/espa"):
            a = client.get(f"/id/{path}", params={"format": "nq"})
            b = neo.get(f"/id/{path}", params={"format": "nq"})
            assert a.status_code == b.status_code
            assert a.content == b.content, path
