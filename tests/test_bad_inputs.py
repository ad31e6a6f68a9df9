"""The bad-input catalogue (docs/bad-inputs.md): one test per case.

Every bad input gets a clear message and the right status or exit code, and nothing is
written: curated data that does not load leaves the store as it was; GraphQL and SPARQL
requests, injection attempts included, leave the node and statement counts unchanged on
both stores. Test names here are the ones in the catalogue's last column.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import services_of
from eskg.config import Settings
from eskg.errors import DataNotConformingError, EskgError, InvalidInputError
from eskg.ontology import load_ontology
from eskg.queries import load_library
from eskg.store.base import Store
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore
from eskg.store.neo4j_load import counts
from loaders import yaml_source
from loaders.load import load
from loaders.pipeline import Built, build

# ----------------------------------------------------------------------------- curated data

# A small data set that conforms: a stored document, a ministry and a material.
BASE = """\
- id: doc/meti-action-plan-2024
  type: Document
  label: {ja: アクションプラン, en: Action plan}
  properties:
    date: 2024-02-02
    localCopy: 000_ca839251fed59808.txt
- id: org/meti
  type: GovernmentBody
  label: {ja: 経済産業省, en: "Ministry of Economy, Trade and Industry"}
  sources:
    - {document: doc/meti-action-plan-2024, locator: 表紙, quote: 経済産業省}
"""
CITE = "  sources:\n    - {document: doc/meti-action-plan-2024, locator: 表紙, quote: 経済産業省}\n"
WIDGET = (
    "- id: material/test-widget\n"
    "  type: SpecifiedCriticalMaterial\n"
    "  label: {ja: 部品, en: Widget}\n" + CITE
)


def data_dir(tmp_path: Path, extra: str | bytes) -> Path:
    folder = tmp_path / "data"
    folder.mkdir(exist_ok=True)
    (folder / "base.yaml").write_text(BASE, encoding="utf-8")
    target = folder / "zz-test.yaml"
    if isinstance(extra, bytes):
        target.write_bytes(extra)
    else:
        target.write_text(extra, encoding="utf-8")
    return folder


def refused(
    tmp_path: Path, settings: Settings, extra: str | bytes, kind: type[EskgError]
) -> EskgError:
    """Build the data and return the error; it must be of ``kind`` with its exit code."""
    with pytest.raises(kind) as err:
        build(settings, data_dir(tmp_path, extra))
    assert err.value.exit_code == (1 if kind is DataNotConformingError else 2)
    return err.value


def test_base_data_conforms(tmp_path: Path, settings: Settings) -> None:
    assert build(settings, data_dir(tmp_path, WIDGET)).compiled.records == 3


def test_yaml_malformed(tmp_path: Path, settings: Settings) -> None:
    err = refused(tmp_path, settings, "- id: material/x\n  type: [unclosed\n", InvalidInputError)
    assert "zz-test.yaml:" in err.message and "malformed YAML" in err.message


def test_yaml_not_a_list(tmp_path: Path, settings: Settings) -> None:
    err = refused(tmp_path, settings, "id: material/x\ntype: Material\n", InvalidInputError)
    assert "must be a YAML list of records" in err.message


def test_yaml_item_not_a_mapping(tmp_path: Path, settings: Settings) -> None:
    err = refused(tmp_path, settings, "- just a string\n", InvalidInputError)
    assert "each top-level item must be a mapping" in err.message


def test_yaml_python_tag_refused(tmp_path: Path, settings: Settings) -> None:
    evil = "- !!python/object/apply:os.system ['touch /tmp/eskg-pwned']\n"
    err = refused(tmp_path, settings, evil, InvalidInputError)
    assert "malformed YAML" in err.message and "constructor" in err.message
    assert not Path("/tmp/eskg-pwned").exists()


def test_yaml_alias_bomb_bounded(tmp_path: Path, settings: Settings) -> None:
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n'
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        bomb += f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
    err = refused(tmp_path, settings, bomb, InvalidInputError)
    assert "must be a YAML list of records" in err.message


def test_bad_id(tmp_path: Path, settings: Settings) -> None:
    err = refused(
        tmp_path, settings, WIDGET.replace("material/test-widget", "Material X"), InvalidInputError
    )
    assert "zz-test.yaml:1" in err.message and "'id' must be lower-case" in err.message


def test_unknown_record_key(tmp_path: Path, settings: Settings) -> None:
    err = refused(tmp_path, settings, WIDGET + "  colour: red\n", InvalidInputError)
    assert "unknown key(s) ['colour']" in err.message


def test_wrong_type_label_list(tmp_path: Path, settings: Settings) -> None:
    bad = WIDGET.replace("{ja: 部品, en: Widget}", "[部品, Widget]")
    err = refused(tmp_path, settings, bad, InvalidInputError)
    assert "'label' must map a language" in err.message


def test_wrong_type_date_quoted(tmp_path: Path, settings: Settings) -> None:
    bad = WIDGET + '  properties:\n    designatedOn: "20 December 2022"\n'
    err = refused(tmp_path, settings, bad, DataNotConformingError)
    assert "designatedOn" in err.message and "expected a date written as YYYY-MM-DD" in err.message


def test_wrong_type_boolean(tmp_path: Path, settings: Settings) -> None:
    fig = (
        "- id: figure/test\n  type: Figure\n  label: {ja: 数字, en: Figure}\n"
        "  properties: {value: 1, approximate: maybe}\n" + CITE
    )
    err = refused(tmp_path, settings, fig, DataNotConformingError)
    assert "'approximate'" in err.message and "expected true or false" in err.message


def test_wrong_type_number(tmp_path: Path, settings: Settings) -> None:
    fig = (
        "- id: figure/test\n  type: Figure\n  label: {ja: 数字, en: Figure}\n"
        "  properties: {value: lots}\n" + CITE
    )
    err = refused(tmp_path, settings, fig, DataNotConformingError)
    assert "'value'" in err.message and "expected a number" in err.message


def test_invalid_date(tmp_path: Path, settings: Settings) -> None:
    bad = WIDGET + "  properties:\n    designatedOn: 2022-13-45\n"
    err = refused(tmp_path, settings, bad, InvalidInputError)
    assert "zz-test.yaml:7" in err.message and "invalid date '2022-13-45'" in err.message


def test_unknown_class(tmp_path: Path, settings: Settings) -> None:
    bad = WIDGET.replace("SpecifiedCriticalMaterial", "SpecifiedCriticalMaterail")
    err = refused(tmp_path, settings, bad, DataNotConformingError)
    assert "unknown class 'SpecifiedCriticalMaterail'" in err.message
    assert "did you mean SpecifiedCriticalMaterial" in err.message


def test_unknown_property(tmp_path: Path, settings: Settings) -> None:
    err = refused(
        tmp_path,
        settings,
        WIDGET + "  properties:\n    designatedAt: 2022-12-20\n",
        DataNotConformingError,
    )
    assert "unknown property 'designatedAt'" in err.message and "designatedOn" in err.message


def test_unknown_relation(tmp_path: Path, settings: Settings) -> None:
    err = refused(
        tmp_path,
        settings,
        WIDGET + "  relations:\n    responsibleBodyy: org/meti\n",
        DataNotConformingError,
    )
    assert "unknown relation 'responsibleBodyy'" in err.message


def test_property_outside_domain(tmp_path: Path, settings: Settings) -> None:
    err = refused(
        tmp_path,
        settings,
        WIDGET + "  properties:\n    approximate: true\n",
        DataNotConformingError,
    )
    assert "property 'approximate' does not apply to" in err.message


def test_dangling_reference(tmp_path: Path, settings: Settings) -> None:
    err = refused(
        tmp_path,
        settings,
        WIDGET + "  relations:\n    responsibleBody: org/metii\n",
        DataNotConformingError,
    )
    assert "points to unknown id 'org/metii'" in err.message and "org/meti" in err.message


def test_dangling_source_document(tmp_path: Path, settings: Settings) -> None:
    bad = WIDGET.replace("document: doc/meti-action-plan-2024", "document: doc/nowhere")
    err = refused(tmp_path, settings, bad, DataNotConformingError)
    assert "source document 'doc/nowhere' is not a record" in err.message


def test_duplicate_id_conflicting_facts(tmp_path: Path, settings: Settings) -> None:
    dup = "- id: org/meti\n  type: GovernmentBody\n  label: {ja: 重複, en: Other name}\n" + CITE
    err = refused(tmp_path, settings, dup, DataNotConformingError)
    assert "duplicate id: already defined at" in err.message and "base.yaml" in err.message


def test_extension_of_unknown_id(tmp_path: Path, settings: Settings) -> None:
    ext = "- id: org/nobody\n  relations:\n    jurisdiction: org/meti\n" + CITE
    err = refused(tmp_path, settings, ext, DataNotConformingError)
    assert "extends an id that no record defines" in err.message


def test_missing_sources(tmp_path: Path, settings: Settings) -> None:
    bad = WIDGET.replace(CITE, "")
    err = refused(tmp_path, settings, bad, DataNotConformingError)
    assert "no 'sources': every fact needs a citation" in err.message


def test_empty_quote(tmp_path: Path, settings: Settings) -> None:
    err = refused(
        tmp_path, settings, WIDGET.replace("quote: 経済産業省", 'quote: " "'), InvalidInputError
    )
    assert "'quote' must be non-empty text" in err.message


def test_quote_not_in_source(tmp_path: Path, settings: Settings) -> None:
    err = refused(
        tmp_path,
        settings,
        WIDGET.replace("quote: 経済産業省", "quote: 存在しない引用文"),
        DataNotConformingError,
    )
    assert "quote not found verbatim" in err.message and "zz-test.yaml:5" in err.message
    assert "nothing was loaded" in err.message


def test_missing_japanese_label(tmp_path: Path, settings: Settings) -> None:
    err = refused(
        tmp_path,
        settings,
        WIDGET.replace("{ja: 部品, en: Widget}", "{en: Widget}"),
        DataNotConformingError,
    )
    assert "zz-test.yaml:1" in err.message and "prefLabel" in err.message


def test_oversized_file(tmp_path: Path, settings: Settings) -> None:
    big = "#" * (yaml_source.MAX_FILE_BYTES + 1)
    err = refused(tmp_path, settings, big, InvalidInputError)
    assert f"over the {yaml_source.MAX_FILE_BYTES}-byte limit" in err.message


def test_non_utf8_bytes(tmp_path: Path, settings: Settings) -> None:
    err = refused(tmp_path, settings, b"- id: material/\xff\xfe\n", InvalidInputError)
    assert "not UTF-8 (byte 15" in err.message and "save the file as UTF-8" in err.message


def test_failed_load_writes_nothing_embedded(tmp_path: Path, settings: Settings) -> None:
    on_disk = settings.model_copy(update={"embedded_path": tmp_path / "store"})
    good = data_dir(tmp_path, WIDGET)

    def statements() -> int:
        store = EmbeddedStore(
            load_ontology(settings.ontology_dir),
            load_library(settings.queries_dir),
            tmp_path / "store",
        )
        n = len(store.store)
        del store
        gc.collect()
        return n

    load(on_disk, ["embedded"], good)
    gc.collect()
    before = statements()
    (good / "zz-test.yaml").write_text(WIDGET + "  relations:\n    responsibleBody: org/x\n")
    with pytest.raises(DataNotConformingError):
        load(on_disk, ["embedded"], good)
    assert statements() == before > 0


@pytest.mark.neo4j
def test_failed_load_writes_nothing_neo4j(
    tmp_path: Path, neo4j_settings: Settings, loaded_once: Neo4jStore
) -> None:
    before = counts(loaded_once.driver, neo4j_settings.neo4j_database)
    bad = data_dir(tmp_path, WIDGET + "  relations:\n    responsibleBody: org/x\n")
    with pytest.raises(DataNotConformingError):
        load(neo4j_settings, ["neo4j"], bad)
    assert counts(loaded_once.driver, neo4j_settings.neo4j_database) == before


# ----------------------------------------------------------------------------- the API


@pytest.fixture(scope="module")
def loaded_once(neo4j_store: Neo4jStore, built: Built) -> Neo4jStore:
    """The session's Neo4j holding the bundled data, loaded once for this module."""
    with neo4j_store.driver.session() as session:
        session.run("MATCH (n) DETACH DELETE n").consume()
    neo4j_store.replace_all(built.compiled.dataset)
    return neo4j_store


@pytest.fixture(scope="module")
def embedded_client(settings: Settings, embedded: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(settings, embedded)) as c:
        yield c


@pytest.fixture(scope="module")
def neo4j_client(neo4j_settings: Settings, loaded_once: Neo4jStore) -> Iterator[TestClient]:
    with TestClient(create_app(neo4j_settings, loaded_once)) as c:
        yield c


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store_client(request: pytest.FixtureRequest) -> tuple[Store, TestClient]:
    client: TestClient = request.getfixturevalue(f"{request.param}_client")
    store: Store = services_of(client.app).store
    return store, client


def size(store: Store) -> tuple[int, ...]:
    """What a write would change: statements (embedded) or nodes and relationships (Neo4j)."""
    if isinstance(store, EmbeddedStore):
        return (len(store.store),)
    assert isinstance(store, Neo4jStore)
    return counts(store.driver, store.settings.neo4j_database)


def post(client: TestClient, query: str, variables: dict[str, Any] | None = None) -> Any:
    """POST a GraphQL request; the body is encoded by json (ASCII), so any string travels."""
    body = json.dumps({"query": query, "variables": variables or {}})
    return client.post("/graphql", content=body, headers={"content-type": "application/json"})


def error_of(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert "Traceback" not in response.text and 'File "' not in response.text
    message: str = body["errors"][0]["message"]
    return message


def test_graphql_too_deep(store_client: tuple[Store, TestClient]) -> None:
    _, client = store_client
    deep = '{ entity(id: "org/meti") { ' + "relations { target { " * 8 + "id" + " } }" * 8 + " } }"
    assert "exceeds maximum operation depth" in error_of(post(client, deep), 400)


def test_graphql_too_many_aliases(store_client: tuple[Store, TestClient]) -> None:
    _, client = store_client
    wide = "{ " + " ".join(f'a{i}: entity(id: "org/meti") {{ id }}' for i in range(40)) + " }"
    assert "40 aliases found. Allowed: 30" in error_of(post(client, wide), 400)


def test_graphql_too_many_tokens(store_client: tuple[Store, TestClient]) -> None:
    _, client = store_client
    costly = '{ search(text: "a") { ' + "id " * 2500 + "} }"
    assert "more than 2000 tokens" in error_of(post(client, costly), 400)


def test_graphql_too_costly(store_client: tuple[Store, TestClient]) -> None:
    """Within depth, alias and token limits, but nested lists multiply: refused before running."""
    _, client = store_client
    fan_out = (
        '{ search(text: "a", limit: 200) { id relations { target { relations { target {'
        " relations { target { id } } } } } } } }"
    )
    started = time.monotonic()
    message = error_of(post(client, fan_out), 400)
    assert "query too costly" in message and "ESKG_GRAPHQL_MAX_COST" in message
    assert time.monotonic() - started < 5


def test_graphql_unknown_field(store_client: tuple[Store, TestClient]) -> None:
    _, client = store_client
    assert "Cannot query field 'password'" in error_of(post(client, "{ password }"), 400)


def test_graphql_unknown_argument(store_client: tuple[Store, TestClient]) -> None:
    _, client = store_client
    message = error_of(post(client, '{ entity(id: "org/meti", where: "1=1") { id } }'), 400)
    assert "Unknown argument 'where'" in message


def test_graphql_huge_limit_int32(store_client: tuple[Store, TestClient]) -> None:
    _, client = store_client
    message = error_of(post(client, '{ search(text: "a", limit: 99999999999) { id } }'), 400)
    assert "Int cannot represent non 32-bit signed integer" in message


@pytest.mark.parametrize(
    "query",
    [
        '{ search(text: "a", limit: 100000) { id } }',
        '{ search(text: "a", limit: 0) { id } }',
        '{ entities(type: "Material", limit: 5000) { total } }',
        '{ entities(type: "Material", offset: -1) { total } }',
        '{ entity(id: "org/meti") { relations(limit: 100000) { type } } }',
        '{ shortestPaths(from: "org/meti", to: "country/jp", maxLength: 60) { path { id } } }',
    ],
    ids=["search", "search-zero", "entities", "entities-offset", "relations", "shortest"],
)
def test_graphql_huge_limit(store_client: tuple[Store, TestClient], query: str) -> None:
    """Out-of-range page sizes are execution errors: 200 with a clear message, no data."""
    _, client = store_client
    message = error_of(post(client, query), 200)
    assert "must be" in message and ("limit" in message or "offset" in message)


def test_graphql_empty_search_text(store_client: tuple[Store, TestClient]) -> None:
    _, client = store_client
    assert "text must not be empty" in error_of(post(client, '{ search(text: "  ") { id } }'), 200)


def test_graphql_unknown_type_filter(store_client: tuple[Store, TestClient]) -> None:
    _, client = store_client
    message = error_of(post(client, '{ search(text: "a", types: ["Secret"]) { id } }'), 200)
    assert "unknown type 'Secret'" in message


def test_graphql_bad_date_argument(store_client: tuple[Store, TestClient]) -> None:
    _, client = store_client
    q = '{ measuresCoveringMaterial(material: "material/permanent-magnets", asOf: "2024-13-45") { measure { id } } }'
    assert "2024-13-45" in error_of(post(client, q), 400)


def test_graphql_mutation_refused(store_client: tuple[Store, TestClient]) -> None:
    store, client = store_client
    before = size(store)
    message = error_of(post(client, 'mutation { load(path: "/etc/passwd") }'), 400)
    assert "mutation operation is not supported" in message
    assert size(store) == before


def test_graphql_mutation_by_get_refused(embedded_client: TestClient) -> None:
    response = embedded_client.get("/graphql", params={"query": "mutation { x }"})
    assert (
        response.status_code == 400 and "mutations are not allowed when using GET" in response.text
    )


def test_graphql_wrong_content_type(embedded_client: TestClient) -> None:
    response = embedded_client.post(
        "/graphql", content="{ __typename }", headers={"content-type": "text/plain"}
    )
    assert response.status_code in (400, 415) and "Unsupported content type" in response.text


def test_graphql_body_not_json(embedded_client: TestClient) -> None:
    response = embedded_client.post(
        "/graphql", content="{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400 and "Unable to parse request body as JSON" in response.text


def test_graphql_batch_refused(embedded_client: TestClient) -> None:
    response = embedded_client.post("/graphql", json=[{"query": "{ __typename }"}] * 50)
    assert response.status_code == 400 and "Batching is not enabled" in response.text


def test_graphql_variables_not_object(embedded_client: TestClient) -> None:
    response = embedded_client.post("/graphql", json={"query": "{ __typename }", "variables": "x"})
    assert response.status_code == 400 and "`variables` must be an object" in response.text


def test_graphql_oversized_body(embedded_client: TestClient, settings: Settings) -> None:
    filler = "#" * (settings.max_body_bytes + 1)
    response = embedded_client.post("/graphql", json={"query": filler + "\n{ __typename }"})
    assert response.status_code == 413
    assert "ESKG_MAX_BODY_BYTES" in response.json()["error"]


def test_oversized_chunked_body(embedded_client: TestClient, settings: Settings) -> None:
    """A body without Content-Length is counted as it arrives."""

    def chunks() -> Iterator[bytes]:
        yield b'{"query": "'
        for _ in range(settings.max_body_bytes // 65536 + 2):
            yield b" " * 65536
        yield b'{ __typename }"}'

    response = embedded_client.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


# Strings that would change a query built by concatenation, in every string argument.
INJECTIONS = [
    "' OR 1=1 --",
    '" OR "1"="1',
    'org/meti" } ] } UNION { ?s ?p ?o } #',
    "} UNION { ?s ?p ?o }",
    "<http://x> } ; DROP ALL ; SELECT * { ?s ?p ?o",
    "MATCH (n) DETACH DELETE n",
    "x'}) MATCH (n) DETACH DELETE n //",
    "x` MATCH (n) DETACH DELETE n //",
    "$iris) DETACH DELETE n RETURN 1 //",
    "\\'; INSERT DATA { <a:b> <a:c> <a:d> } #",
    "{{}}[[]]()<>\\\\\"'`;:$?#",
    "\x00\x01\x1f",
    "%00%27%22",
]
# Every string argument of the root fields, as a query with one variable.
STRING_ARGUMENTS = {
    "entity.id": "query($v: ID!) { entity(id: $v) { id label } }",
    "search.text": "query($v: String!) { search(text: $v) { id } }",
    "search.types": 'query($v: String!) { search(text: "a", types: [$v]) { id } }',
    "measuresCoveringTechnology.technology": (
        "query($v: ID!) { measuresCoveringTechnology(technology: $v) { measure { id } } }"
    ),
    "measuresCoveringMaterial.material": (
        "query($v: ID!) { measuresCoveringMaterial(material: $v) { measure { id } } }"
    ),
    "entities.type": "query($v: String!) { entities(type: $v) { total } }",
    "shortestPaths.from": 'query($v: ID!) { shortestPaths(from: $v, to: "org/meti") { path { id } } }',
    "shortestPaths.to": 'query($v: ID!) { shortestPaths(from: "org/meti", to: $v) { path { id } } }',
    "Entity.label.lang": 'query($v: String) { entity(id: "org/meti") { label(lang: $v) } }',
    "Entity.relations.type": (
        'query($v: String) { entity(id: "org/meti") { relations(type: $v) { type } } }'
    ),
}


def sane(field: str, body: dict[str, Any]) -> None:
    """An injection finds nothing or is refused with a clear message; it never leaks rows."""
    errors = body.get("errors") or []
    for e in errors:
        assert e["message"] != "Unexpected error.", (field, e)
        assert "Traceback" not in e["message"]
    data = body.get("data") or {}
    if field == "entity.id":
        assert data.get("entity") is None
    elif field in ("search.types", "entities.type"):
        assert errors and "unknown type" in errors[0]["message"]
    elif field == "Entity.label.lang":
        assert data["entity"]["label"] == "Ministry of Economy, Trade and Industry"
    elif field == "Entity.relations.type":
        assert data["entity"]["relations"] == []
    elif not errors:
        (value,) = data.values()
        assert value == [] or field == "search.text"
        if field == "search.text":
            assert len(value) <= 20  # the default page, not the whole graph


@pytest.mark.parametrize("field", list(STRING_ARGUMENTS))
def test_injection_in_string_argument(store_client: tuple[Store, TestClient], field: str) -> None:
    store, client = store_client
    before = size(store)
    for attempt in INJECTIONS:
        response = post(client, STRING_ARGUMENTS[field], {"v": attempt})
        assert response.status_code == 200, (attempt, response.text)
        sane(field, response.json())
    assert size(store) == before


def test_injection_in_question_arguments(store_client: tuple[Store, TestClient]) -> None:
    """The competency-question field, when the served schema has it: name and arguments."""
    store, client = store_client
    q = '{ __type(name: "Query") { fields { name } } }'
    names = {f["name"] for f in post(client, q).json()["data"]["__type"]["fields"]}
    if "question" not in names:
        pytest.skip("no question field in this schema")
    queries = [
        "query($v: String!) { question(name: $v) { columns } }",
        'query($v: String) { question(name: "figures_of_kind", arguments: [{name: "kind", text: $v}]) { rows { value } } }',
        'query($v: ID) { question(name: "entity_citations", arguments: [{name: "entity", id: $v}]) { rows { value } } }',
        'query($v: String!) { question(name: "figures_of_kind", arguments: [{name: $v, text: "x"}]) { columns } }',
    ]
    before = size(store)
    for query in queries:
        for attempt in INJECTIONS:
            response = post(client, query, {"v": attempt})
            assert response.status_code == 200, (attempt, response.text)
            body = response.json()
            for e in body.get("errors") or []:
                assert e["message"] != "Unexpected error.", (query, attempt)
            if not body.get("errors"):
                assert body["data"]["question"]["rows"] == [], (query, attempt)
    assert size(store) == before


def test_injection_inline_literal(store_client: tuple[Store, TestClient]) -> None:
    """The same strings written into the query text, escaped as GraphQL strings."""
    store, client = store_client
    before = size(store)
    for attempt in INJECTIONS:
        literal = json.dumps(attempt)
        response = post(
            client, f"{{ entity(id: {literal}) {{ id }} s: search(text: {literal}) {{ id }} }}"
        )
        assert response.status_code == 200, response.text
        assert response.json()["data"]["entity"] is None
    assert size(store) == before


# ----------------------------------------------------------------------------- SPARQL


def sparql(client: TestClient, body: str | bytes, content_type: str) -> Any:
    return client.post("/sparql", content=body, headers={"content-type": content_type})


def test_sparql_malformed(embedded_client: TestClient, embedded: EmbeddedStore) -> None:
    response = sparql(embedded_client, "SELEC * WHERE { ?s ?p ?o", "application/sparql-query")
    assert response.status_code == 400
    assert response.json()["error"].startswith("malformed SPARQL query at line 1, column ")


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "PREFIX x: <urn:x#>\nDROP ALL",
        "# harmless?\nCLEAR DEFAULT",
        "LOAD <http://127.0.0.1:1/evil.ttl>",
        "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "SELECT * { ?s ?p ?o } ; INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    ],
    ids=["insert", "delete", "drop", "clear", "load", "with", "smuggled"],
)
def test_sparql_update_refused(
    embedded_client: TestClient, embedded: EmbeddedStore, update: str
) -> None:
    before = len(embedded.store)
    for response in (
        sparql(embedded_client, update, "application/sparql-query"),
        embedded_client.get("/sparql", params={"query": update}),
    ):
        assert response.status_code in (400, 403), response.text
        message = response.json()["error"]
        assert "not allowed" in message or "malformed SPARQL" in message
    assert len(embedded.store) == before


def test_sparql_update_parameter_refused(
    embedded_client: TestClient, embedded: EmbeddedStore
) -> None:
    before = len(embedded.store)
    form = "update=INSERT+DATA+%7B+%3Curn%3Aa%3E+%3Curn%3Ab%3E+%3Curn%3Ac%3E+%7D"
    for response in (
        sparql(embedded_client, form, "application/x-www-form-urlencoded"),
        sparql(
            embedded_client, "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "application/sparql-update"
        ),
        embedded_client.get("/sparql", params={"update": "DROP ALL"}),
    ):
        assert response.status_code == 403
        assert (
            "SPARQL Update is not allowed: this endpoint is read-only" in response.json()["error"]
        )
    assert len(embedded.store) == before


def test_sparql_service_refused(embedded_client: TestClient) -> None:
    q = "SELECT * { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"
    response = sparql(embedded_client, q, "application/sparql-query")
    assert (
        response.status_code == 400 and "SERVICE (federated query) is not allowed" in response.text
    )


def test_sparql_wrong_content_type(embedded_client: TestClient) -> None:
    response = sparql(embedded_client, "SELECT * { ?s ?p ?o }", "application/json")
    assert response.status_code == 415 and "application/sparql-query" in response.json()["error"]


def test_sparql_non_utf8(embedded_client: TestClient) -> None:
    response = sparql(embedded_client, b"SELECT * { ?s ?p \xff }", "application/sparql-query")
    assert response.status_code == 400 and "not UTF-8" in response.json()["error"]


def test_sparql_missing_query(embedded_client: TestClient) -> None:
    # GET /sparql without a query is the service description; an empty query is refused
    response = embedded_client.get("/sparql", params={"query": ""})
    assert response.status_code == 400 and "missing SPARQL query" in response.json()["error"]
    response = sparql(embedded_client, "", "application/sparql-query")
    assert response.status_code == 400 and "missing SPARQL query" in response.json()["error"]


def test_sparql_oversized_body(embedded_client: TestClient, settings: Settings) -> None:
    q = "SELECT * { ?s ?p ?o } #" + "x" * settings.max_body_bytes
    response = sparql(embedded_client, q, "application/sparql-query")
    assert response.status_code == 413 and "ESKG_MAX_BODY_BYTES" in response.json()["error"]


@pytest.mark.neo4j
def test_sparql_on_neo4j_store(neo4j_client: TestClient) -> None:
    response = neo4j_client.get("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 503 and "SPARQL needs the embedded store" in response.text
