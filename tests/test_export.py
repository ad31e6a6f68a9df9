"""``eskg export`` and ``/dumps/``: every format, the description, both stores alike."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from rdflib import RDF, Dataset, Graph, Literal, URIRef

from api.app import create_app
from cli.main import main
from eskg.config import Settings
from eskg.describe import DCAT, FORMATS, VOID
from eskg.export import canonical_lines, dataset_quads, export_embedded, export_neo4j
from eskg.ontology import DCTERMS
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore
from loaders.pipeline import Built

DATASET = URIRef("https://w3id.org/eskg/dataset")
DESCRIPTION = "https://w3id.org/eskg/dataset/description"
RDFLIB = {"nq": "nquads", "trig": "trig", "jsonld": "json-ld", "ttl": "turtle", "nt": "nt"}


def _parse(data: bytes, fmt: str) -> Dataset:
    ds = Dataset()
    ds.parse(data=data, format=RDFLIB[fmt])
    return ds


def _description(ds: Dataset) -> Graph:
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        if s == DATASET or str(s).startswith(str(DATASET) + "#") or str(s).endswith("/sparql"):
            g.add((s, p, o))
    return g


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_carries_data_and_description(
    embedded: EmbeddedStore, settings: Settings, built: Built, fmt: str
) -> None:
    dump = export_embedded(embedded, settings)
    ds = _parse(dump.serialize(fmt), fmt)
    desc = _description(ds)
    assert (DATASET, RDF.type, DCAT.Dataset) in desc and (DATASET, RDF.type, VOID.Dataset) in desc
    assert (
        DATASET,
        DCTERMS.license,
        URIRef("https://creativecommons.org/licenses/by/4.0/"),
    ) in desc
    triples = desc.value(DATASET, VOID.triples)
    assert triples is not None and int(str(triples)) == built.quads
    entities = desc.value(DATASET, VOID.entities)
    assert entities is not None and int(str(entities)) == embedded.stats().entities
    version = str(desc.value(DATASET, DCAT.version))
    assert version.startswith(("0.", "1.")) and "+" in version
    assert desc.value(DATASET, DCTERMS.modified) is not None
    assert (DATASET, VOID.sparqlEndpoint, URIRef("http://127.0.0.1:8000/sparql")) in desc
    assert len(list(desc.objects(DATASET, DCAT.distribution))) == len(FORMATS)
    assert len(list(desc.objects(DATASET, DCTERMS["title"]))) == 2
    if FORMATS[fmt].quads:
        graphs = {str(g) for _, _, _, g in ds.quads((DATASET, None, None, None))}
        assert graphs == {DESCRIPTION}, "the description sits in its own graph"
        got = canonical_lines(dataset_quads(ds, skip_graphs=[DESCRIPTION]))
        assert got == canonical_lines(dataset_quads(built.compiled.dataset))
    else:
        union = {(s, p, o) for s, p, o, _ in dataset_quads(built.compiled.dataset)}
        assert union <= {(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))}


def test_version_is_the_data_not_the_time(embedded: EmbeddedStore, settings: Settings) -> None:
    a = export_embedded(embedded, settings)
    b = export_embedded(embedded, settings)
    assert a.version == b.version
    assert a.serialize("nq").count(b"\n") == b.serialize("nq").count(b"\n")


@pytest.mark.neo4j
def test_neo4j_and_embedded_dumps_hold_the_same_data(
    loaded_neo4j: Neo4jStore, embedded: EmbeddedStore, settings: Settings
) -> None:
    started = time.perf_counter()
    neo = export_neo4j(loaded_neo4j, settings)
    seconds = time.perf_counter() - started
    emb = export_embedded(embedded, settings)
    assert canonical_lines(neo.quads) == canonical_lines(emb.quads)
    assert neo.version == emb.version and neo.counts == emb.counts
    print(f"neo4j export: {neo.counts} in {seconds:.2f} s")  # shown with -s


@pytest.mark.neo4j
def test_cli_export_from_neo4j(
    loaded_neo4j: Neo4jStore,
    neo4j_settings: Settings,
    built: Built,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from eskg.config import get_settings

    monkeypatch.setenv("NEO4J_URI", neo4j_settings.neo4j_uri)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_settings.neo4j_password)
    get_settings.cache_clear()
    try:
        out = tmp_path / "eskg.nq"
        res = CliRunner().invoke(
            main, ["export", "--from", "neo4j", "--format", "nq", "--output", str(out)]
        )
        assert res.exit_code == 0, res.output
        ds = _parse(out.read_bytes(), "nq")
        got = canonical_lines(dataset_quads(ds, skip_graphs=[DESCRIPTION]))
        assert got == canonical_lines(dataset_quads(built.compiled.dataset))
        stdout = CliRunner().invoke(main, ["export", "--from", "neo4j", "--format", "ttl"])
        assert stdout.exit_code == 0
        assert b"eskg:Citation" in stdout.stdout_bytes
    finally:
        get_settings.cache_clear()


@pytest.mark.neo4j
def test_neo4j_export_refuses_a_graph_of_two_loads(
    empty_neo4j: Neo4jStore, built: Built, settings: Settings
) -> None:
    """A load that commits between the export's reads would mix two graphs: refused."""
    from eskg.errors import StoreUnavailableError

    empty_neo4j.replace_all(built.compiled.dataset)
    with empty_neo4j.driver.session() as session:
        session.run("MATCH (n:Resource) WITH n LIMIT 1 SET n.load = 'another-load'").consume()
    with pytest.raises(StoreUnavailableError, match="reloaded while the export read it"):
        export_neo4j(empty_neo4j, settings)


def test_cli_export_store_down_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from eskg.config import get_settings

    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    get_settings.cache_clear()
    try:
        res = CliRunner().invoke(main, ["export", "--from", "neo4j"])
    finally:
        get_settings.cache_clear()
    assert res.exit_code == 2
    assert "Neo4j" in res.output and "not answering" in res.output


@pytest.fixture(scope="module")
def client(settings: Settings, embedded: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(settings, store=embedded)) as c:
        yield c


def test_dumps_listing(client: TestClient) -> None:
    body = client.get("/dumps/").json()
    assert {d["file"] for d in body["dumps"]} == {f"eskg.{e}" for e in FORMATS}
    page = client.get("/dumps/", headers={"Accept": "text/html"})
    assert page.headers["content-type"].startswith("text/html")
    assert 'href="/dumps/eskg.nq"' in page.text


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_dumps_served_with_media_types(client: TestClient, built: Built, fmt: str) -> None:
    r = client.get(f"/dumps/eskg.{fmt}")
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == FORMATS[fmt].media_type
    ds = _parse(r.content, fmt)
    want = canonical_lines(dataset_quads(built.compiled.dataset))
    if FORMATS[fmt].quads:
        assert canonical_lines(dataset_quads(ds, skip_graphs=[DESCRIPTION])) == want
    assert (DATASET, DCAT.version, Literal(r.headers["x-eskg-version"])) in _description(ds)
    again = client.get(f"/dumps/eskg.{fmt}", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304


def test_unknown_dump_is_404(client: TestClient) -> None:
    r = client.get("/dumps/eskg.xml")
    assert r.status_code == 404 and "eskg.nq" in r.json()["error"]


def test_well_known_void(client: TestClient) -> None:
    r = client.get("/.well-known/void")
    assert r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    assert (DATASET, RDF.type, VOID.Dataset) in g
    # the address the request reached (the test client's), not a configured default
    assert (DATASET, VOID.dataDump, URIRef("http://testserver/dumps/eskg.nq")) in g
    j = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert j.headers["content-type"].startswith("application/ld+json")
    assert (DATASET, DCTERMS.license, None) in Graph().parse(data=j.text, format="json-ld")
    assert (DATASET, DCAT.version, Literal(r.headers["x-eskg-version"])) in g
