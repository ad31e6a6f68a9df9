"""The SPARQL 1.1 Protocol endpoint at /sparql, over the embedded store."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from api import sparql
from api.app import create_app
from eskg.config import Settings
from eskg.errors import InvalidInputError
from eskg.ontology import Ontology
from eskg.queries import load_library
from eskg.store.embedded import ONTOLOGY_GRAPH, EmbeddedStore
from eskg.store.neo4j import Neo4jStore
from tests.polling import wait_until

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "data" / "sources" / "000_ca839251fed59808.txt").read_text(encoding="utf-8")

PM = "https://w3id.org/eskg/id/material/permanent-magnets"
PREFIXES = """PREFIX eskg: <https://w3id.org/eskg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
LABELS = PREFIXES + f"SELECT ?label WHERE {{ <{PM}> skos:prefLabel ?label }} ORDER BY ?label"
JA_LABEL = (
    PREFIXES + f'SELECT ?label WHERE {{ <{PM}> skos:prefLabel ?label FILTER(lang(?label) = "ja") }}'
)
RES = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def client(settings: Settings, embedded: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(settings, embedded)) as c:
        yield c


def client_with(embedded: EmbeddedStore, settings: Settings, **update: Any) -> TestClient:
    return TestClient(create_app(settings.model_copy(update=update), embedded))


def get(client: TestClient, query: str, accept: str | None = None, **params: Any) -> Any:
    headers = {"Accept": accept} if accept else {}
    return client.get("/sparql", params={"query": query, **params}, headers=headers)


def bindings(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/sparql-results+json"
    rows: list[dict[str, Any]] = response.json()["results"]["bindings"]
    return rows


def wait_idle(seconds: float = 60.0) -> float:
    """Seconds until no SPARQL worker thread is left running."""
    started = time.perf_counter()
    wait_until(
        lambda: sparql.running_queries() == 0,
        seconds,
        "every SPARQL worker thread to finish",
        detail=lambda: f"still running: {sparql.running_queries()}",
    )
    return time.perf_counter() - started


# ------------------------------------------------------------------ SELECT


def test_select_get_json_is_the_default(client: TestClient) -> None:
    rows = bindings(get(client, JA_LABEL))
    assert rows == [{"label": {"type": "literal", "value": "永久磁石", "xml:lang": "ja"}}]


@pytest.mark.parametrize("how", ["get", "form", "body"])
@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_select_every_method_and_format(client: TestClient, how: str, accept: str) -> None:
    headers = {"Accept": accept}
    if how == "get":
        r = client.get("/sparql", params={"query": LABELS}, headers=headers)
    elif how == "form":
        r = client.post("/sparql", data={"query": LABELS}, headers=headers)
    else:
        headers["Content-Type"] = "application/sparql-query"
        r = client.post("/sparql", content=LABELS.encode("utf-8"), headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == accept
    if accept.endswith("json"):
        values = [
            (b["label"]["value"], b["label"]["xml:lang"]) for b in r.json()["results"]["bindings"]
        ]
        assert values == [("Permanent magnets", "en"), ("永久磁石", "ja")]
    elif accept.endswith("xml"):
        root = ET.fromstring(r.content)
        assert [v.get("name") for v in root.iter(RES + "variable")] == ["label"]
        lits = [
            (lit.text, lit.get("{http://www.w3.org/XML/1998/namespace}lang"))
            for lit in root.iter(RES + "literal")
        ]
        assert lits == [("Permanent magnets", "en"), ("永久磁石", "ja")]
    elif accept == "text/csv":
        assert list(csv.reader(io.StringIO(r.text))) == [
            ["label"],
            ["Permanent magnets"],
            ["永久磁石"],
        ]
    else:
        assert r.text.splitlines() == ["?label", '"Permanent magnets"@en', '"永久磁石"@ja']


def test_accept_wildcards_and_quality(client: TestClient) -> None:
    r = get(client, JA_LABEL, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    assert r.headers["content-type"] == "application/sparql-results+xml"
    r = get(client, JA_LABEL, "text/csv;q=0.5, text/tab-separated-values")
    assert r.headers["content-type"].startswith("text/tab-separated-values")
    r = get(client, JA_LABEL, "text/*")
    assert r.headers["content-type"].startswith("text/csv")
    r = get(client, JA_LABEL, "*/*")
    assert r.headers["content-type"] == "application/sparql-results+json"
    assert r.headers["vary"] == "Accept"


def test_provenance_pattern_named_graph_to_verbatim_quote(client: TestClient) -> None:
    q = (
        PREFIXES
        + f"""SELECT ?label ?quote ?doc WHERE {{
        GRAPH ?g {{ <{PM}> skos:prefLabel ?label }}
        ?g eskg:citation ?c . ?c eskg:quote ?quote ; eskg:document ?doc }}"""
    )
    rows = bindings(get(client, q))
    ja = [r for r in rows if r["label"]["value"] == "永久磁石"]
    assert ja
    assert {r["doc"]["value"] for r in ja} == {"https://w3id.org/eskg/id/doc/meti-action-plan-2024"}
    assert all("永久磁石" in r["quote"]["value"] and r["quote"]["value"] in SEED for r in ja)


def test_default_graph_is_the_union_unless_a_dataset_is_given(
    client: TestClient, embedded: EmbeddedStore
) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    in_store = len(embedded.store)
    onto = len(
        list(embedded.store.quads_for_pattern(None, None, None, ox.NamedNode(ONTOLOGY_GRAPH)))
    )
    assert int(bindings(get(client, count))[0]["n"]["value"]) == in_store
    r = get(client, count, **{"default-graph-uri": ONTOLOGY_GRAPH})
    assert int(bindings(r)[0]["n"]["value"]) == onto
    from_clause = f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY_GRAPH}> WHERE {{ ?s ?p ?o }}"
    assert int(bindings(get(client, from_clause))[0]["n"]["value"]) == onto
    in_graphs = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = client.post("/sparql", data={"query": in_graphs, "named-graph-uri": ONTOLOGY_GRAPH})
    assert int(bindings(r)[0]["n"]["value"]) == onto


# ------------------------------------------------------------------ ASK, CONSTRUCT, DESCRIBE


def test_ask(client: TestClient) -> None:
    yes = PREFIXES + f'ASK {{ <{PM}> skos:prefLabel "永久磁石"@ja }}'
    no = PREFIXES + f'ASK {{ <{PM}> skos:prefLabel "no such label"@ja }}'
    assert get(client, yes).json() == {"head": {}, "boolean": True}
    assert get(client, no).json() == {"head": {}, "boolean": False}
    root = ET.fromstring(get(client, yes, "application/sparql-results+xml").content)
    assert root.find(RES + "boolean").text == "true"  # type: ignore[union-attr]


def test_construct_turtle_parses_back_with_rdflib(client: TestClient) -> None:
    q = PREFIXES + f"CONSTRUCT {{ <{PM}> skos:prefLabel ?l }} WHERE {{ <{PM}> skos:prefLabel ?l }}"
    r = get(client, q)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/turtle")
    assert "@prefix skos:" in r.text
    g = Graph().parse(data=r.text, format="turtle")
    assert set(g) == {
        (URIRef(PM), SKOS.prefLabel, Literal("永久磁石", lang="ja")),
        (URIRef(PM), SKOS.prefLabel, Literal("Permanent magnets", lang="en")),
    }
    for accept, fmt in [
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ]:
        r = get(client, q, accept)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].split(";")[0] == accept
        assert set(Graph().parse(data=r.text, format=fmt)) == set(g)


def test_describe(client: TestClient) -> None:
    text = get(client, f"DESCRIBE <{PM}>").text
    assert "@prefix skos:" in text and "@prefix eskg:" in text and "@prefix foaf:" not in text
    g = Graph().parse(data=text, format="turtle")
    assert (URIRef(PM), SKOS.prefLabel, Literal("永久磁石", lang="ja")) in g


# ------------------------------------------------------------------ refused


UPDATES = [
    f'PREFIX skos: <http://www.w3.org/2004/02/skos/core#> INSERT DATA {{ <{PM}> skos:prefLabel "x"@ja }}',
    "DELETE WHERE { ?s ?p ?o }",
    "# comment\nPREFIX a: <http://a/>\nBASE <http://b/>\nclear all",
    "DROP ALL",
    "LOAD <http://example.org/data.ttl>",
    "CREATE GRAPH <http://example.org/g>",
    "WITH <http://a/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_and_the_store_is_unchanged(
    client: TestClient, embedded: EmbeddedStore, update: str
) -> None:
    before = len(embedded.store)
    for r in [
        get(client, update),
        client.post("/sparql", data={"query": update}),
        client.post("/sparql", data={"update": update}),
        client.post(
            "/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-query"}
        ),
        client.post(
            "/sparql",
            content=update.encode(),
            headers={"Content-Type": "application/sparql-update"},
        ),
    ]:
        assert r.status_code == 403, r.text
        assert "not allowed" in r.json()["error"] and "read-only" in r.json()["error"]
    assert len(embedded.store) == before
    ask = PREFIXES + f'ASK {{ <{PM}> skos:prefLabel "x"@ja }}'
    assert get(client, ask).json()["boolean"] is False


def test_service_is_refused_but_the_word_in_strings_and_iris_is_not(client: TestClient) -> None:
    for q in [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o . SERVICE ?endpoint { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o .SERVICE<http://127.0.0.1:9/sparql>{ ?s ?p ?o } }",
        'SELECT * WHERE { BIND("#" AS ?x) # "\nSERVICE <http://127.0.0.1:9/> {} }',
        # Glued to the term before it, Oxigraph still reads the keyword.
        "SELECT * WHERE { ?s ?p 1SERVICE <http://127.0.0.1:9/> {} }",
        "SELECT * WHERE { ?s ?p trueSERVICE <http://127.0.0.1:9/> {} }",
        "PREFIX e: <http://a/> SELECT * WHERE { ?s ?p e:.SERVICE <http://127.0.0.1:9/> {} }",
        # A local-name escape is not a comment or a string.
        "PREFIX e: <http://a/> SELECT * WHERE { ?s ?p e:a\\# . SERVICE <http://127.0.0.1:9/> {} }",
        "PREFIX e: <http://a/> SELECT * WHERE { ?s ?p e:a\\' . SERVICE <http://127.0.0.1:9/> {} } #'",
    ]:
        r = get(client, q)
        assert r.status_code == 400, q
        assert "SERVICE" in r.json()["error"] and "not allowed" in r.json()["error"]
    for ok in [
        'SELECT ?x WHERE { BIND("SERVICE <http://x/>" AS ?x) ?s <http://e.org/SERVICE> ?x } # SERVICE',
        "SELECT ?service WHERE { ?service ?p _:service }",
        "PREFIX e: <https://w3id.org/eskg/ontology#> SELECT * WHERE { ?s e:service ?o }",
    ]:
        assert get(client, ok).status_code == 200, ok


def test_graph_iris_are_names_never_fetched(client: TestClient) -> None:
    remote = "<http://127.0.0.1:9/data.ttl>"
    for q in [
        f"SELECT * FROM {remote} WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED {remote} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ GRAPH {remote} {{ ?s ?p ?o }} }}",
    ]:
        assert bindings(get(client, q)) == []
    assert get(client, f"DESCRIBE {remote}").text.strip() == ""


SERVICE_E = "<http://127.0.0.1:9/>"  # Oxigraph refuses port 9 before connecting
GLUED_TERMS = ["1", "1.5", "1e3", "-1", "true", "false", "e:x", "e:x..", "e:x:", "e:x-", "e:",
               "e:.", "e:-", "e:x\\#", "e:x\\'", "?o", "$o", "_:b", "_:b.", "[]", "()",
               "'x'@en", "'x'", "<http://a/x>", "e:x,1"]  # fmt: skip


def test_the_service_check_refuses_whatever_oxigraph_would_call() -> None:
    """Every spelling that Oxigraph evaluates as SERVICE is refused by the lexical check."""
    xsd = "http://www.w3.org/2001/XMLSchema#"
    store = ox.Store()
    for value, dt in [("1", "integer"), ("1.5", "decimal"), ("1e3", "double"), ("-1", "integer"),
                      ("true", "boolean"), ("false", "boolean")]:  # fmt: skip
        o = ox.Literal(value, datatype=ox.NamedNode(xsd + dt))
        store.add(ox.Quad(ox.NamedNode("http://a/s"), ox.NamedNode("http://a/p"), o))
    for iri in ["http://a/x", "http://a/x#", "http://a/x'", "http://a/x.."]:
        store.add(
            ox.Quad(ox.NamedNode("http://a/s"), ox.NamedNode("http://a/p"), ox.NamedNode(iri))
        )
    store.add(
        ox.Quad(
            ox.NamedNode("http://a/s"), ox.NamedNode("http://a/p"), ox.Literal("x", language="en")
        )
    )
    attempted = 0
    for term in GLUED_TERMS:
        for sep in ["", " ", "\n", ".", "#c\n"]:
            for word in ["SERVICE", "service", "sErViCe"]:
                for after in [" ", "", " SILENT "]:
                    q = f"PREFIX e: <http://a/> SELECT * {{ ?s ?p {term}{sep}{word}{after}{SERVICE_E} {{}} }}"
                    try:
                        list(store.query(q))  # type: ignore[arg-type]
                        continue
                    except SyntaxError:
                        continue
                    except (OSError, RuntimeError):
                        attempted += 1
                    with pytest.raises(InvalidInputError):
                        sparql.check_query(q)
    assert attempted > 100


def test_lexical_checks_stay_fast_on_hostile_text(client: TestClient) -> None:
    def post(query: str) -> Any:
        headers = {"Content-Type": "application/sparql-query"}
        return client.post("/sparql", content=query.encode(), headers=headers)

    started = time.perf_counter()
    r = post("PREFIX a: <http://a/>" + "          PREFIX a: <http://a/>" * 2000 + " {")
    assert r.status_code == 400 and "malformed" in r.json()["error"]
    r = post('"""' + "'''" * 3001 + " x" * 50000)
    assert r.status_code == 400
    assert time.perf_counter() - started < 5.0


def test_malformed_query_gives_the_parser_message(client: TestClient) -> None:
    r = get(client, "SELECT ?x WHERE { ?x ?p }")
    assert r.status_code == 400
    error = r.json()["error"]
    assert error.startswith("malformed SPARQL query at line 1, column ")
    assert "near '" in error and len(error) < 300 and "u{" not in error
    assert get(client, "").status_code == 400
    assert "missing SPARQL query" in get(client, "").json()["error"]
    r = client.get("/sparql", params=[("query", JA_LABEL), ("query", JA_LABEL)])
    assert r.status_code == 400 and "once" in r.json()["error"]
    assert get(client, JA_LABEL, **{"default-graph-uri": "not an iri"}).status_code == 400


def test_unsupported_accept_and_content_type(client: TestClient) -> None:
    r = get(client, JA_LABEL, "text/html")
    assert r.status_code == 406
    error = r.json()["error"]
    for media in [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ]:
        assert media in error
    r = get(client, f"DESCRIBE <{PM}>", "text/csv")
    assert r.status_code == 406
    assert "text/turtle" in r.json()["error"] and "application/ld+json" in r.json()["error"]
    r = client.post("/sparql", content=JA_LABEL.encode(), headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_neo4j_store_answers_503(settings: Settings, onto: Ontology) -> None:
    """No connection is made: the endpoint refuses before touching the store."""
    cfg = settings.model_copy(update={"neo4j_uri": "bolt://127.0.0.1:1"})
    store = Neo4jStore(onto, load_library(settings.queries_dir), cfg)
    try:
        with TestClient(create_app(cfg, store)) as c:
            r = get(c, JA_LABEL)
        assert r.status_code == 503
        assert "embedded store" in r.json()["error"]
    finally:
        store.close()


# ------------------------------------------------------------------ limits


def test_result_cap_truncates_and_says_so(embedded: EmbeddedStore, settings: Settings) -> None:
    with client_with(embedded, settings, sparql_result_cap=3) as c:
        r = get(c, "SELECT ?s WHERE { ?s ?p ?o }")
        assert len(bindings(r)) == 3
        assert r.headers["x-eskg-results-truncated"] == "true"
        r = get(c, "SELECT ?s WHERE { ?s ?p ?o }", "text/csv")
        assert len(r.text.splitlines()) == 4 and r.headers["x-eskg-results-truncated"] == "true"
        r = get(c, LABELS)  # two rows: under the cap
        assert len(bindings(r)) == 2 and "x-eskg-results-truncated" not in r.headers
        r = get(c, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
        assert len(r.text.splitlines()) == 3 and r.headers["x-eskg-results-truncated"] == "true"
    with client_with(embedded, settings, sparql_result_cap=2) as c:
        r = get(c, LABELS)  # exactly the cap: nothing was cut
        assert len(bindings(r)) == 2 and "x-eskg-results-truncated" not in r.headers


@pytest.mark.parametrize("fmt", ["JSON", "XML", "CSV", "TSV"])
def test_rows_are_written_exactly_as_oxigraph_writes_them(
    client: TestClient, embedded: EmbeddedStore, fmt: str
) -> None:
    """The capped rows go through Oxigraph's own writer: byte-equal to a direct run."""
    q = (
        PREFIXES
        + """SELECT ?s ?label ?n ?b ?t WHERE {
        ?s a eskg:SpecifiedCriticalMaterial ; skos:prefLabel ?label .
        OPTIONAL { ?s eskg:nope ?n } BIND(BNODE() AS ?b) BIND(STRLEN(?label) AS ?t) } ORDER BY ?s ?label"""
    )
    writer = getattr(ox.QueryResultsFormat, fmt)
    result = embedded.store.query(q, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    direct = result.serialize(format=writer) or b""
    r = get(client, q, writer.media_type.split(";")[0])
    assert r.status_code == 200, r.text

    def no_bnodes(data: bytes) -> bytes:  # BNODE() differs between runs
        return re.sub(rb'(_:|"bnode","value":"|<bnode>)[0-9a-f]+', rb"\1B", data)

    assert no_bnodes(r.content) == no_bnodes(direct)
    assert "永久磁石".encode() in r.content


def test_timeout_answers_503_and_the_engine_finishes_later(
    embedded: EmbeddedStore, settings: Settings
) -> None:
    # An aggregate: the engine computes millions of pairs before the first row.
    heavy = PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b skos:prefLabel ?y }"
    wait_idle()
    with client_with(embedded, settings, sparql_timeout=0.05) as c:
        started = time.perf_counter()
        r = get(c, heavy)
        waited = time.perf_counter() - started
        assert r.status_code == 503, r.text
        assert "did not finish within 0.05 s" in r.json()["error"]
        assert waited < 5.0  # generous: the machine may be busy
        # A cheap query still answers meanwhile.
        assert bindings(get(c, JA_LABEL))[0]["label"]["value"] == "永久磁石"
    wait_idle()


def test_timeout_stops_a_streaming_query_at_its_next_row(
    embedded: EmbeddedStore, settings: Settings
) -> None:
    # 140 million rows, read one by one: the worker sees the request gave up and stops.
    endless = "SELECT * WHERE { ?a ?p ?x . ?b ?q ?y }"
    wait_idle()
    with client_with(embedded, settings, sparql_timeout=0.3, sparql_result_cap=10**9) as c:
        r = get(c, endless)
        assert r.status_code == 503, r.text
    assert wait_idle(10.0) < 5.0


def test_bounded_number_of_running_queries(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    wait_idle()  # a query still finishing from an earlier test holds the real semaphore
    monkeypatch.setattr(sparql, "_running", threading.BoundedSemaphore(1))
    assert sparql._running.acquire(blocking=False)
    try:
        r = get(client, JA_LABEL)
        assert r.status_code == 503 and "already running" in r.json()["error"]
    finally:
        sparql._running.release()
    assert get(client, JA_LABEL).status_code == 200


def test_openapi_lists_the_endpoint(client: TestClient) -> None:
    paths = json.loads(client.get("/openapi.json").text)["paths"]
    assert {"get", "post"} <= set(paths["/sparql"])


def test_worker_is_told_to_stop_when_the_client_goes_away() -> None:
    started = threading.Event()
    stopped = threading.Event()

    def endless(cancel: threading.Event) -> sparql.Answer:
        started.set()
        if cancel.wait(30):
            stopped.set()
        return sparql.Answer(b"", "text/plain", False)

    async def request_then_disconnect() -> None:
        task = asyncio.create_task(sparql.run_in_worker(endless, 60))
        await asyncio.to_thread(started.wait, 10)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    wait_idle()
    # A fresh thread has no running event loop, whatever earlier tests (Playwright's sync
    # API, for one) left in the main thread.
    errors: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(request_then_disconnect())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread
            errors.append(exc)

    runner = threading.Thread(target=run)
    runner.start()
    runner.join(60)
    if errors:
        raise errors[0]
    assert stopped.wait(5)
    assert wait_idle(5) < 1.0
