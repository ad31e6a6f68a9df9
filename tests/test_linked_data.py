"""Linked data read by other tools unchanged, over a served app: rdflib parsing entity
URLs as JSON-LD (fetching the context) and RDF/XML, 406 instead of HTML, the ontology at
its IRI, statement graph IRIs, VoID/DCAT addresses on the port served, and the home page's
schema.org Dataset."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
import pytest
from rdflib import RDF, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from eskg.config import Settings
from eskg.describe import VOID
from eskg.ontology import ESKG, OntClass, Ontology, OntProperty
from eskg.store.embedded import EmbeddedStore
from tests.served import serving

MAGNETS = "material/permanent-magnets"


@pytest.fixture(scope="module")
def server(settings: Settings, embedded: EmbeddedStore) -> Iterator[str]:
    with serving(settings, embedded) as url:
        yield url


def turtle(url: str) -> Graph:
    r = httpx.get(url, headers={"Accept": "text/turtle"})
    assert r.status_code == 200, r.text
    return Graph().parse(data=r.text, format="turtle")


@pytest.mark.parametrize("ident", [MAGNETS, "org/meti", "law/espa"])
def test_jsonld_is_compacted_and_rdflib_reads_it_from_the_url(server: str, ident: str) -> None:
    url = f"{server}/id/{ident}"
    r = httpx.get(url, headers={"Accept": "application/ld+json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/ld+json")
    doc = r.json()
    assert doc["@context"] == f"{server}/context.jsonld"  # compacted against a served context
    assert any(str(n.get("@id", "")).startswith("eskgid:") for n in doc["@graph"])
    # the default graph holds every statement: the same triples as the Turtle (a union)
    g = Graph().parse(url + "?format=jsonld", format="json-ld")
    expected = turtle(url)
    assert len(g) > 10 and isomorphic(g, expected)
    # a quad-aware reader also gets each statement in its named graph
    ds = Dataset().parse(url + "?format=jsonld", format="json-ld")
    trig = Dataset().parse(data=httpx.get(url, params={"format": "trig"}).text, format="trig")
    named = {
        (s, p, o, c)
        for s, p, o, c in trig.quads()
        if c is not None and c != trig.default_graph.identifier
    }
    got = {
        (s, p, o, c)
        for s, p, o, c in ds.quads()
        if c is not None and c != ds.default_graph.identifier
    }
    assert named and named <= got


def test_context_document(server: str, settings: Settings) -> None:
    r = httpx.get(server + "/context.jsonld")
    assert r.headers["content-type"].startswith("application/ld+json")
    ctx = r.json()["@context"]
    assert ctx["eskg"] == str(ESKG) and ctx["eskgid"] == settings.base_iri


def test_rdfxml_and_406_never_html(server: str) -> None:
    url = f"{server}/id/{MAGNETS}"
    r = httpx.get(url, headers={"Accept": "application/rdf+xml"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/rdf+xml")
    assert isomorphic(Graph().parse(data=r.content, format="xml"), turtle(url))
    for accept in ["text/n3", "application/x-rdf-unknown", "image/png"]:
        r = httpx.get(url, headers={"Accept": accept})
        assert r.status_code == 406 and not r.headers["content-type"].startswith("text/html")
        assert "application/rdf+xml" in r.json()["error"]
    assert (
        httpx.get(url, headers={"Accept": "text/html"})
        .headers["content-type"]
        .startswith("text/html")
    )


def test_statement_graphs_dereference(server: str, settings: Settings) -> None:
    g = turtle(f"{server}/id/{MAGNETS}")
    stmts = sorted({str(s) for s in g.subjects(ESKG.citation, None) if "/stmt/" in str(s)})
    assert len(stmts) >= 3
    for iri in stmts:
        local = server + "/id/" + iri.removeprefix(settings.base_iri)
        ds = Dataset().parse(data=httpx.get(local, params={"format": "trig"}).text, format="trig")
        graph = ds.graph(URIRef(iri))
        assert len(graph) == 1  # the one statement the graph holds
        ((s, p, o),) = list(graph)
        assert (s, p, o) in g
        cites = list(ds.default_graph.objects(URIRef(iri), ESKG.citation))
        assert cites and all((c, ESKG.document, None) in ds.default_graph for c in cites)
    assert httpx.get(server + "/id/stmt/0000", headers={"Accept": "text/turtle"}).status_code == 404


def test_ontology_at_its_iri(server: str, onto: Ontology) -> None:
    url = server + "/ontology"
    ttl = httpx.get(url, headers={"Accept": "text/turtle"})
    assert ttl.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=ttl.text, format="turtle")
    assert isomorphic(g, onto.graph)
    j = Graph().parse(
        data=httpx.get(url, headers={"Accept": "application/ld+json"}).text, format="json-ld"
    )
    assert isomorphic(j, onto.graph)
    page = httpx.get(url, headers={"Accept": "text/html,*/*;q=0.8"}).text
    terms: list[OntClass | OntProperty] = [*onto.classes.values(), *onto.properties.values()]
    for term in terms:
        assert f'id="{term.name}"' in page
        for lang in ("ja", "en"):
            label = term.labels.get(lang)
            assert label, f"{term.name} has no {lang} label"
            assert label.replace("&", "&amp;").replace("'", "&#x27;") in page, (term.name, label)


def test_void_follows_the_address_served(server: str) -> None:
    g = Graph().parse(data=httpx.get(server + "/.well-known/void").text, format="turtle")
    endpoints = set(g.objects(None, VOID.sparqlEndpoint))
    assert endpoints == {URIRef(server + "/sparql")}
    dumps = {str(o) for o in g.objects(None, VOID.dataDump)}
    assert dumps and all(d.startswith(server + "/dumps/") for d in dumps)
    nq = httpx.get(server + "/dumps/eskg.nq").text
    assert f"<{server}/sparql>" in nq and "127.0.0.1:8000" not in nq.replace(server, "")


def test_public_url_setting_wins(settings: Settings, embedded: EmbeddedStore) -> None:
    public = "https://example.org/eskg"
    with serving(settings.model_copy(update={"public_url": public}), embedded) as url:
        g = Graph().parse(data=httpx.get(url + "/.well-known/void").text, format="turtle")
        assert set(g.objects(None, VOID.sparqlEndpoint)) == {URIRef(public + "/sparql")}
        doc = httpx.get(f"{url}/id/{MAGNETS}", params={"format": "jsonld"}).json()
        assert doc["@context"] == public + "/context.jsonld"


def test_home_page_carries_a_schema_org_dataset(server: str, settings: Settings) -> None:
    page = httpx.get(server + "/").text
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL)
    assert found
    about = json.loads(found.group(1))
    g = Graph().parse(
        data=json.dumps({**about, "@context": {"@vocab": "https://schema.org/"}}), format="json-ld"
    )
    ds = URIRef(settings.dataset_iri)
    sdo = "https://schema.org/"
    assert (ds, RDF.type, URIRef(sdo + "Dataset")) in g
    for prop in ("name", "description"):
        langs = {o.language for o in g.objects(ds, URIRef(sdo + prop)) if isinstance(o, Literal)}
        assert langs == {"ja", "en"}, prop
    assert about["license"] == settings.data_license
    assert re.fullmatch(r"\d{4}-\d\d-\d\d/\d{4}-\d\d-\d\d", about["temporalCoverage"])
    urls = {d["contentUrl"] for d in about["distribution"]}
    assert f"{server}/dumps/eskg.nq" in urls
    for url in urls:
        assert httpx.head(url).status_code in (200, 405) or httpx.get(url).status_code == 200
