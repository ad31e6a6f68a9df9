"""The W3C SPARQL 1.1 Protocol and Service Description tests, against the served app.

The protocol manifest (``sparql11-protocol/manifest.ttl``) is read as RDF and every
request of every test is sent over HTTP as written, with ``/sparql/`` mapped onto our
``/sparql``. Three adjustments, each said where it is made:

* **query tests** run as written and must pass;
* **update tests**: this is a read-only service, so each update must be refused with a
  4xx, and the queries that follow (which would see the update's effect) must answer
  ``false``: nothing was written;
* **dataset tests** (``ut:graphData``) name graphs ``…/dataN.rdf`` that each hold
  ``<dataN.rdf> a foaf:Document``. They run against the project's own named graphs:
  graph ``dataN.rdf`` becomes the record graph ``<eN>#record`` of the N-th specified
  critical material ``eN``, which holds ``<eN> a eskg:SpecifiedCriticalMaterial``, and
  the subject ``<dataN.rdf>`` becomes ``<eN>``. Each is run a second time with graphs
  that do not exist, where it must answer ``false``: the protocol's dataset is used.

The Service Description manifest has three tests without data (returns RDF, has an
``sd:endpoint`` triple matching the address asked, conforms to the schema); the schema
check is the domains, ranges and terms of the Service Description vocabulary
(https://www.w3.org/TR/sparql11-service-description/ §3).
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection

from eskg.config import Settings
from eskg.store.embedded import EmbeddedStore
from tests.served import conformance, serving

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
W3C_GRAPH = re.compile(r"http://kasei\.us/2009/09/sparql/data/data([0-9])\.rdf")
RES = "{http://www.w3.org/2005/sparql-results#}"


@dataclass
class Request:
    method: str
    path: str
    body: bytes | None
    headers: dict[str, str]
    statuses: set[str]
    fmt: str | None
    boolean: bool | None


@dataclass
class Case:
    name: str
    title: str
    dataset: bool
    requests: list[Request] = field(default_factory=list)


def read_manifest(folder: Path) -> list[Case]:
    g = Graph().parse(folder / "manifest.ttl", format="turtle", publicID="http://manifest/")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    cases = []
    for test in Collection(g, g.value(manifest, MF.entries)):  # type: ignore[arg-type]
        name = str(test).rsplit("#", 1)[-1]
        case = Case(name, str(g.value(test, MF.name)), (test, UT.graphData, None) in g)
        action = g.value(test, MF.action)
        for req in Collection(g, g.value(action, HT.requests)):  # type: ignore[arg-type]
            body_node = g.value(req, HT.body)
            body = None
            if body_node is not None:
                encoding = str(g.value(body_node, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(body_node, CNT.chars)).encode(encoding.lower())
            headers = {}
            header_list = g.value(req, HT.headers)
            if header_list is not None:
                for h in Collection(g, header_list):
                    headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
            resp = g.value(req, HT.resp)
            boolean = g.value(resp, MF.expectedBoolean)
            fmt = g.value(resp, MF.expectedFormat)
            case.requests.append(
                Request(
                    method=str(g.value(req, HT.methodName)),
                    path=str(g.value(req, HT.absolutePath)),
                    body=body,
                    headers=headers,
                    statuses={
                        str(s).rsplit("#", 1)[-1] for s in g.objects(resp, MF.expectedStatus)
                    },
                    fmt=str(fmt) if fmt is not None else None,
                    boolean=str(boolean) == "true" if boolean is not None else None,
                )
            )
        cases.append(case)
    return cases


def _cases() -> list[Case]:
    try:
        return read_manifest(conformance("sparql11-protocol"))
    except pytest.skip.Exception:
        return []


CASES = _cases()


@pytest.fixture(scope="module")
def server(settings: Settings, embedded: EmbeddedStore) -> Iterator[str]:
    with serving(settings, embedded) as url:
        yield url


@pytest.fixture(scope="module")
def materials(embedded: EmbeddedStore, settings: Settings) -> list[str]:
    """Three specified critical materials: our stand-ins for data1..data3.rdf."""
    rows = embedded.store.query(
        "PREFIX eskg: <https://w3id.org/eskg/ontology#> SELECT ?m WHERE { "
        "GRAPH ?g { ?m a eskg:SpecifiedCriticalMaterial } } ORDER BY ?m LIMIT 3",
    )
    assert isinstance(rows, ox.QuerySolutions)
    found = [r["m"].value for r in rows]
    assert len(found) == 3
    return found


def rewrite_query(text: str, graph: dict[str, str], subject: dict[str, str]) -> str:
    """``FROM <dataN>`` names a graph, any other ``<dataN>`` the resource in it."""

    def from_clause(m: re.Match[str]) -> str:
        return m.group(1) + "<" + graph[m.group(2)] + ">"

    text = re.sub(
        r"(FROM\s+(?:NAMED\s+)?)<http://kasei\.us/2009/09/sparql/data/data([0-9])\.rdf>",
        from_clause,
        text,
    )
    return W3C_GRAPH.sub(lambda m: subject.get(m.group(1), m.group(0)), text)


def rewrite(
    req: Request, graph: dict[str, str], subject: dict[str, str]
) -> tuple[str, bytes | None]:
    """The request's path and body on our graphs (``graph``: N -> graph IRI)."""
    parts = urlsplit(req.path)
    params = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key == "query":
            value = rewrite_query(value, graph, subject)
        else:
            value = W3C_GRAPH.sub(lambda m: graph.get(m.group(1), m.group(0)), value)
        params.append((key, value))
    path = "/sparql" + (("?" + urlencode(params)) if params else "")
    body = req.body
    if body is None or b"kasei.us" not in body:  # only the dataset tests name those graphs
        return path, body
    if req.headers.get("content-type", "").startswith("application/sparql"):
        text = body.decode("utf-8")
        body = rewrite_query(text, graph, subject).encode("utf-8")
    elif req.headers.get("content-type") == "application/x-www-form-urlencoded":
        form = [(k, rewrite_query(v, graph, subject)) for k, v in parse_qsl(body.decode())]
        body = urlencode(form).encode()
    return path, body


def boolean_of(response: httpx.Response) -> bool:
    media = response.headers["content-type"].split(";")[0]
    if media == "application/sparql-results+json":
        return bool(json.loads(response.content)["boolean"])
    assert media == "application/sparql-results+xml", media
    node = ET.fromstring(response.content).find(f"{RES}boolean")
    assert node is not None and node.text is not None
    return node.text.strip() == "true"


def check_format(response: httpx.Response, fmt: str) -> None:
    media = response.headers["content-type"].split(";")[0]
    if fmt == "boolean":
        boolean_of(response)
    elif fmt == "tabular":
        assert media in {
            "application/sparql-results+json",
            "application/sparql-results+xml",
            "text/csv",
            "text/tab-separated-values",
        }, media
        if media == "application/sparql-results+json":
            assert "bindings" in response.json()["results"]
        elif media == "text/csv":
            list(csv.reader(io.StringIO(response.text)))
    else:
        rdflib_name = {
            "application/rdf+xml": "xml",
            "text/turtle": "turtle",
            "application/n-triples": "nt",
        }
        assert media in rdflib_name, f"{media} is not one of RDF/XML, Turtle, N-Triples"
        Graph().parse(data=response.content, format=rdflib_name[media])


def status_class(code: int) -> str:
    return f"StatusCode{code // 100}xx"


def send(server: str, req: Request, path: str, body: bytes | None) -> httpx.Response:
    return httpx.request(req.method, server + path, content=body, headers=req.headers, timeout=30)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_protocol(case: Case, server: str, materials: list[str], embedded: EmbeddedStore) -> None:
    graph = {str(i + 1): iri + "#record" for i, iri in enumerate(materials)}
    subject = {str(i + 1): iri for i, iri in enumerate(materials)}
    before = len(embedded.store)
    is_update = case.name.startswith("update_")
    for index, req in enumerate(case.requests):
        path, body = rewrite(req, graph, subject)
        r = send(server, req, path, body)
        if is_update and index == 0:
            # a read-only service refuses every update (the manifest expects 2xx from a
            # writable one)
            assert 400 <= r.status_code < 500, (case.name, r.status_code, r.text)
            assert "read-only" in r.json()["error"]
            continue
        assert status_class(r.status_code) in req.statuses, (case.name, r.status_code, r.text)
        if req.fmt:
            check_format(r, req.fmt)
        if req.boolean is not None:
            # after a refused update, what it would have written is not there
            expected = False if is_update else req.boolean
            assert boolean_of(r) is expected, (case.name, r.text)
    assert len(embedded.store) == before
    if case.dataset:
        # the same requests on graphs that do not exist: the protocol's dataset decides
        absent = {k: v.replace("#record", "#absent") for k, v in graph.items()}
        for req in case.requests:
            path, body = rewrite(req, absent, subject)
            r = send(server, req, path, body)
            assert r.status_code == 200 and boolean_of(r) is False, (case.name, r.text)


def test_the_manifest_was_read() -> None:
    if not CASES:
        conformance("sparql11-protocol")  # skips with the reason
    names = {c.name for c in CASES}
    assert len(CASES) == 34 and "query_content_type_construct" in names
    assert sum(c.dataset for c in CASES) >= 6


# ------------------------------------------------------------------ service description

#: The Service Description vocabulary (§3): each property's domain and range.
SD_PROPERTIES: dict[str, tuple[str | None, str | None]] = {
    "endpoint": ("Service", None),
    "feature": ("Service", "Feature"),
    "defaultEntailmentRegime": ("Service", "EntailmentRegime"),
    "entailmentRegime": ("NamedGraph", "EntailmentRegime"),
    "defaultSupportedEntailmentProfile": ("Service", "EntailmentProfile"),
    "supportedEntailmentProfile": ("NamedGraph", "EntailmentProfile"),
    "extensionFunction": ("Service", "Function"),
    "extensionAggregate": ("Service", "Aggregate"),
    "languageExtension": ("Service", "Language"),
    "supportedLanguage": ("Service", "Language"),
    "propertyFeature": ("Service", None),
    "defaultDataset": ("Service", "Dataset"),
    "availableGraphs": ("Service", "GraphCollection"),
    "resultFormat": ("Service", None),
    "inputFormat": ("Service", None),
    "defaultGraph": ("Dataset", "Graph"),
    "namedGraph": ("GraphCollection", "NamedGraph"),
    "name": ("NamedGraph", None),
    "graph": ("NamedGraph", "Graph"),
}
SD_INSTANCES = {
    "Language": {"SPARQL10Query", "SPARQL11Query", "SPARQL11Update"},
    "Feature": {
        "DereferencesURIs",
        "UnionDefaultGraph",
        "RequiresDataset",
        "EmptyGraphs",
        "BasicFederatedQuery",
    },
}
SD_CLASSES = {
    "Service",
    "Feature",
    "Language",
    "Function",
    "Aggregate",
    "EntailmentRegime",
    "EntailmentProfile",
    "GraphCollection",
    "Dataset",
    "Graph",
    "NamedGraph",
}
SUBCLASSES = {"Dataset": {"GraphCollection"}}  # sd:Dataset is a sd:GraphCollection
SD_RDF = {"text/turtle": "turtle", "application/rdf+xml": "xml", "application/ld+json": "json-ld"}


def sd_types(g: Graph, node: Any) -> set[str]:
    out = {
        str(t).removeprefix(str(SD))
        for t in g.objects(node, RDF.type)
        if str(t).startswith(str(SD))
    }
    for cls, supers in SUBCLASSES.items():
        if cls in out:
            out |= supers
    return out


def conforms_to_sd_schema(g: Graph) -> list[str]:
    problems = []
    for s, p, o in g:
        for term in (p, o) if p != RDF.type else (o,):
            if isinstance(term, URIRef) and str(term).startswith(str(SD)):
                local = str(term).removeprefix(str(SD))
                known = set(SD_PROPERTIES) | SD_CLASSES | set().union(*SD_INSTANCES.values())
                if local not in known:
                    problems.append(f"unknown term sd:{local}")
        if not str(p).startswith(str(SD)):
            continue
        domain, range_ = SD_PROPERTIES.get(str(p).removeprefix(str(SD)), (None, None))
        if domain and domain not in sd_types(g, s):
            problems.append(f"{s} uses sd:{p} but is not a sd:{domain}")
        if range_ in SD_INSTANCES:
            if str(o).removeprefix(str(SD)) not in SD_INSTANCES[range_]:
                problems.append(f"{o} is not a sd:{range_}")
        elif range_ and range_ not in sd_types(g, o) and not isinstance(o, URIRef):
            problems.append(f"{o} (object of sd:{p}) is not typed sd:{range_}")
    services = list(g.subjects(RDF.type, SD.Service))
    if len(services) != 1:
        problems.append(f"{len(services)} sd:Service resources")
    return problems


def test_service_description_manifest_is_there() -> None:
    folder = conformance("sparql11-service-description")
    g = Graph().parse(folder / "manifest.ttl", format="turtle", publicID="http://manifest/")
    names = {str(o) for o in g.objects(None, MF.name)}
    assert names == {
        "GET on endpoint returns RDF",
        "Service description contains a matching sd:endpoint triple",
        "Service description conforms to schema",
    }


@pytest.mark.parametrize("media", list(SD_RDF))
def test_service_description(server: str, media: str) -> None:
    conformance("sparql11-service-description")
    endpoint = server + "/sparql"
    r = httpx.get(endpoint, headers={"Accept": media})
    # returns-rdf
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media
    g = Graph().parse(data=r.content, format=SD_RDF[media])
    # has-endpoint-triple: the address asked for
    assert (None, SD.endpoint, URIRef(endpoint)) in g
    # conforms-to-schema
    assert conforms_to_sd_schema(g) == []
    assert (URIRef(endpoint), SD.supportedLanguage, SD.SPARQL11Query) in g


def test_the_schema_check_finds_faults() -> None:
    bad = Graph().parse(
        data="@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
        "<x> a sd:Service ; sd:supportedLanguage sd:SPARQL12Query ; sd:endpointt <x> .\n"
        "<y> sd:defaultGraph [ a sd:Graph ] .",
        format="turtle",
    )
    problems = conforms_to_sd_schema(bad)
    assert any("SPARQL12Query" in p for p in problems)
    assert any("endpointt" in p for p in problems)
    assert any("sd:Dataset" in p for p in problems)


def test_default_answer_is_turtle_and_a_browser_gets_the_page(server: str) -> None:
    r = httpx.get(server + "/sparql")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = httpx.get(server + "/sparql", headers={"Accept": browser})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert (
        httpx.get(server + "/sparql?format=jsonld")
        .headers["content-type"]
        .startswith("application/ld+json")
    )
    assert httpx.get(server + "/sparql", headers={"Accept": "image/png"}).status_code == 406
