"""/sparql beyond the protocol tests: the query page, ``format=``/``output=``, the base
IRI and short parse errors."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from api.app import create_app
from eskg.config import Settings
from eskg.store.embedded import EmbeddedStore

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SELECT = (
    "PREFIX eskg: <https://w3id.org/eskg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/"
    "skos/core#> SELECT ?m ?l WHERE { ?m a eskg:SpecifiedCriticalMaterial ; skos:prefLabel ?l"
    ' FILTER(lang(?l) = "ja") } ORDER BY ?m'
)


@pytest.fixture(scope="module")
def client(settings: Settings, embedded: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(settings, embedded)) as c:
        yield c


def page_examples(client: TestClient) -> list[dict[str, str]]:
    page = client.get("/sparql", headers={"Accept": BROWSER})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    found = re.search(
        r'<script type="application/json" id="examples">(.*?)</script>', page.text, re.DOTALL
    )
    assert found
    examples: list[dict[str, str]] = json.loads(found.group(1).replace("<\\/", "</"))
    return examples


def test_the_page_is_self_contained(client: TestClient) -> None:
    text = client.get("/sparql", headers={"Accept": BROWSER}).text
    assert "<textarea" in text and "PREFIX eskg: <https://w3id.org/eskg/ontology#>" in text
    # nothing is loaded from elsewhere: no external script, style, font or image
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", text)
    assert "@import" not in text and "url(" not in text


def test_every_example_of_the_page_runs_and_answers(
    client: TestClient, embedded: EmbeddedStore
) -> None:
    examples = page_examples(client)
    assert {e["name"] for e in examples} == set(embedded.queries.queries)
    empty = []
    for ex in examples:
        r = client.post("/sparql", data={"query": ex["query"]})
        assert r.status_code == 200, (ex["name"], r.text)
        if not r.json()["results"]["bindings"]:
            empty.append(ex["name"])
    # docs/sparql-examples.md shows rows for all but a few questions
    docs = Path(__file__).resolve().parent.parent / "docs" / "sparql-examples.md"
    documented_empty = docs.read_text(encoding="utf-8").count("No rows for these arguments.")
    assert len(empty) <= documented_empty, empty


@pytest.mark.parametrize(
    "name,param,media",
    [
        ("csv", "format", "text/csv"),
        ("tsv", "output", "text/tab-separated-values"),
        ("xml", "format", "application/sparql-results+xml"),
        ("json", "output", "application/sparql-results+json"),
        ("text/csv", "format", "text/csv"),
    ],
)
def test_format_and_output_choose_the_result_format(
    client: TestClient, name: str, param: str, media: str
) -> None:
    # the parameter wins over Accept, for clients that cannot set it
    r = client.get(
        "/sparql",
        params={"query": SELECT, param: name},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media
    if media == "text/csv":
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert rows and all(row["m"].startswith("https://w3id.org/eskg/id/") for row in rows)


@pytest.mark.parametrize(
    "name,rdflib_format",
    [("ttl", "turtle"), ("nt", "nt"), ("rdfxml", "xml"), ("jsonld", "json-ld")],
)
def test_format_for_graphs(client: TestClient, name: str, rdflib_format: str) -> None:
    q = "CONSTRUCT { ?m ?p ?o } WHERE { ?m ?p ?o } LIMIT 5"
    r = client.post("/sparql", data={"query": q, "format": name})
    assert r.status_code == 200, r.text
    assert len(Graph().parse(data=r.content, format=rdflib_format)) == 5


def test_bad_format_values(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": SELECT, "format": "xlsx"})
    assert r.status_code == 406 and "csv" in r.json()["error"]
    r = client.get("/sparql", params={"query": "ASK {}", "format": "ttl"})
    assert r.status_code == 406 and "ASK" in r.json()["error"]
    r = client.get("/sparql", params={"query": SELECT, "format": "csv", "output": "json"})
    assert r.status_code == 400 and "one result format" in r.json()["error"]


def test_relative_iris_resolve_against_the_endpoint(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}", "format": "nt"})
    assert r.status_code == 200
    assert r.text.strip() == (
        '<http://testserver/s> <http://testserver/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    )
    r = client.get("/sparql", params={"query": "SELECT ?x WHERE { BIND(<> AS ?x) }"})
    assert r.json()["results"]["bindings"][0]["x"]["value"] == "http://testserver/sparql"


@pytest.mark.parametrize(
    "query,line,column",
    [
        ("ASK {", 1, 6),
        (
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nSELECT ?x WHERE {\n ?x skos:prefLabel\n}",
            4,
            1,
        ),
        ("SELECT ?x WHERE { FILTER(?x = ) }", 1, None),
    ],
)
def test_parse_errors_are_short_with_line_and_column(
    client: TestClient, query: str, line: int, column: int | None
) -> None:
    r = client.get("/sparql", params={"query": query})
    assert r.status_code == 400
    error = r.json()["error"]
    assert error.startswith(f"malformed SPARQL query at line {line}, column ")
    if column is not None:
        assert f"column {column} " in error
    assert len(error) < 300 and "\\u{" not in error and "..=" not in error
