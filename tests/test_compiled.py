"""The compiled GraphQL executor gives strawberry's answers, byte for byte.

A corpus is generated from the ontology and the bundled data: for every entity type, a
query reading every field the compiled executor answers (literals with and without a
language, links in both directions two levels deep, labels, properties, citations with
their documents) through fragments, inline fragments and aliases; search with type
filters; the flagship questions for every technology and material, with and without
asOf. Each is answered by strawberry (``schema.execute``) and by the compiled executor,
and the JSON must be identical. Requests the compiled path does not answer must reach
strawberry unchanged, with its statuses and messages.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from graphql import FieldNode, TypeInfo, TypeInfoVisitor, Visitor, parse, visit
from graphql.execution.values import get_variable_values
from rdflib import URIRef

from api.app import create_app
from api.compiled_exec import execute
from api.compiled_plan import Compiler
from api.context import Context
from api.schema import build_schema, validation_rules
from api.types import GENERIC_TYPE, EntityTypes, FieldSpec
from eskg.config import Settings
from eskg.ontology import Ontology
from eskg.store.base import Store
from eskg.store.embedded import EmbeddedStore

PER_TYPE = 3  # entities asked per type


def _entity_query(type_name: str, specs: Mapping[str, FieldSpec]) -> str:
    """Every compiled field of one type, through a fragment, an inline fragment and aliases."""
    fields = []
    for name, spec in sorted(specs.items()):
        if spec.direction is None:
            fields.append(name)
            if spec.prop.is_lang_string:
                fields.append(f'{name}_ja: {name}(lang: "ja")')
        else:
            fields.append(f"{name} {{ __typename id label(lang: $lang) ...Deep }}")
    specific = " ".join(fields)
    return (
        "query Q($id: ID!, $lang: String) { entity(id: $id) { __typename id iri types label "
        'ja: label(lang: "ja") labels { value lang __typename } '
        "properties { key value lang datatype } "
        "sources { iri locator quote document { id label types } } "
        f"...Own ... {{ id }} }} }} fragment Own on {type_name} {{ {specific} }} "
        "fragment Deep on Entity { iri ... on Measure { legalBasis { id } responsibleBody "
        "{ id label } } ... on Technology { broader { id } } }"
    )


def _narrow_query(type_name: str, specs: Mapping[str, FieldSpec]) -> str:
    """What a list or a card reads (the label, the literals without a language, the links'
    labels): the store reads only those properties (``Plan.needs``)."""
    fields = []
    for name, spec in sorted(specs.items()):
        if spec.direction is not None:
            fields.append(f"{name} {{ id label(lang: $lang) }}")
        elif not spec.prop.is_lang_string:
            fields.append(name)
    return (
        "query N($id: ID!, $lang: String) { entity(id: $id) { __typename id label(lang: $lang) "
        f"... on {type_name} {{ {' '.join(fields)} }} }} }}"
    )


def _ids_of(store: Store, onto: Ontology, cls: str) -> list[str]:
    rows = store.rows("entities_of_class", {"class": URIRef(str(onto.classes[cls].iri))})
    return sorted(str(r["iri"]) for r in rows)[:PER_TYPE]


def corpus(store: Store, onto: Ontology) -> list[tuple[str, dict[str, Any]]]:
    """(query, variables) pairs covering every compiled field on the given store's data."""
    out: list[tuple[str, dict[str, Any]]] = []
    generated = EntityTypes.from_ontology(onto).fields
    for type_name, specs in sorted(generated.items()):
        cls = "Entity" if type_name == GENERIC_TYPE else type_name
        query = _entity_query(type_name, specs)
        for iri in _ids_of(store, onto, cls):
            out.append((query, {"id": iri, "lang": "en"}))
        out.append((query, {"id": "no/such-entity", "lang": None}))
        # "fr" is no label language: such a request reads every property
        for iri, lang in zip(_ids_of(store, onto, cls) * 2, ("en", "ja", "fr", None)):
            out.append((_narrow_query(type_name, specs), {"id": iri, "lang": lang}))
    flagship = (
        "query F($t: ID!, $d: Date) { a: %s(%s: $t) { __typename measure { id types label } "
        'path { id __typename ... on Measure { label(lang: "ja") } } '
        "sources { iri locator quote document { id } } } "
        "b: %s(%s: $t, asOf: $d) { measure { id } } }"
    )
    for field, arg, cls in (
        ("measuresCoveringTechnology", "technology", "Technology"),
        ("measuresCoveringMaterial", "material", "Material"),
    ):
        rows = store.rows("entities_of_class", {"class": URIRef(str(onto.classes[cls].iri))})
        for r in sorted(str(r["iri"]) for r in rows):
            out.append((flagship % (field, arg, field, arg), {"t": r, "d": "2023-01-01"}))
    search = (
        "query S($t: String!, $types: [String!]) { search(text: $t, types: $types, limit: 7) "
        "{ __typename id label ... on Measure { legalBasis { id } } } }"
    )
    searches = (("半導体", None), ("magnet", ["Material"]), ("経済安全保障", ["Law", "Measure"]))
    for text, types in searches:
        out.append((search, {"t": text, "types": types}))
    out.append(('{ __typename entity(id: "org/meti") { id } }', {}))
    return out


def strawberry_answer(
    schema: Any, store: Store, settings: Settings, query: str, variables: dict[str, Any]
) -> str:
    run = schema.execute(
        query, variable_values=variables, context_value=Context(store=store, settings=settings)
    )
    # a thread of its own: a browser test earlier in the session may leave a running loop
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(asyncio.run, run).result()
    assert not result.errors, result.errors
    return json.dumps(result.data)


def compiled_answer(
    compiler: Compiler, store: Store, settings: Settings, query: str, variables: dict[str, Any]
) -> str:
    plan = compiler.plan(query, None)
    assert plan is not None, f"the corpus query does not compile: {query}"
    coerced = get_variable_values(
        compiler.schema, plan.operation.variable_definitions or (), variables
    )
    assert not isinstance(coerced, list), coerced
    return json.dumps(execute(plan, store, settings, coerced))


def check_parity(store: Store, onto: Ontology, settings: Settings) -> int:
    schema = build_schema(onto, settings)
    compiler = Compiler(schema._schema, validation_rules(settings), settings.graphql_max_tokens)
    items = corpus(store, onto)
    for query, variables in items:
        expected = strawberry_answer(schema, store, settings, query, variables)
        assert compiled_answer(compiler, store, settings, query, variables) == expected, (
            query,
            variables,
        )
    return len(items)


def test_compiled_answers_equal_strawberry_on_embedded(
    embedded: EmbeddedStore, onto: Ontology, settings: Settings
) -> None:
    assert check_parity(embedded, onto, settings) > 100


def test_the_corpus_reads_every_field_the_compiled_path_answers(
    embedded: EmbeddedStore, onto: Ontology, settings: Settings
) -> None:
    """The fields the compiled path answers are read from the schema
    (``compiled_plan.answered_fields``), so a field added to a type is compiled at once;
    the corpus, which compares the two paths, must then read it too."""
    schema = build_schema(onto, settings)
    compiler = Compiler(schema._schema, validation_rules(settings), settings.graphql_max_tokens)
    read: dict[str, set[str]] = {}
    info = TypeInfo(schema._schema)

    class Collect(Visitor):
        def enter_field(self, node: FieldNode, *_: Any) -> None:
            parent = info.get_parent_type()
            assert parent is not None
            read.setdefault(parent.name, set()).add(node.name.value)

    for query, _ in corpus(embedded, onto):
        visit(parse(query), TypeInfoVisitor(info, Collect()))
    interface = compiler.answered["Entity"]
    assert {"iri", "label", "sources"} <= interface and "relations" not in interface
    for type_name, fields in compiler.answered.items():
        own = fields - interface if type_name in compiler.types.fields else fields
        missing = own - read.get(type_name, set()) - {"__typename"}
        assert not missing, f"the corpus reads none of {type_name}.{sorted(missing)}"


@pytest.mark.neo4j
def test_compiled_answers_equal_strawberry_on_neo4j(
    loaded_neo4j: Store, onto: Ontology, neo4j_settings: Settings
) -> None:
    assert check_parity(loaded_neo4j, onto, neo4j_settings) > 100


def _statements_sent(
    store: Store, monkeypatch: pytest.MonkeyPatch, parameters: list[dict[str, Any]] | None = None
) -> list[tuple[str, str]]:
    """A list that collects the (name, text) of every statement the Neo4j store sends (and
    their parameters into ``parameters``)."""
    sent: list[tuple[str, str]] = []
    real = store.run_text  # type: ignore[attr-defined]

    def spy(name: str, text: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        sent.append((name, text))
        if parameters is not None:
            parameters.append(params)
        return real(name, text, params)  # type: ignore[no-any-return]

    monkeypatch.setattr(store, "run_text", spy)
    return sent


@pytest.mark.neo4j
def test_levels_below_an_entity_a_search_or_a_flagship_answer_are_one_statement(
    loaded_neo4j: Store, onto: Ontology, neo4j_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Below an entity, a search's results or a flagship answer's measures, every level is
    read ahead in one statement (after the search's own) (the links each level selects come from the query),
    and the answer is still strawberry's."""
    schema = build_schema(onto, neo4j_settings)
    compiler = Compiler(
        schema._schema, validation_rules(neo4j_settings), neo4j_settings.graphql_max_tokens
    )
    query = (
        "query Q($id: ID!) { entity(id: $id) { id label ... on Technology { broader { id label } "
        "incomingBroader { id ... on Technology { incomingCoversTechnology { id label } } } "
        "incomingCoversTechnology { id label ... on Measure { legalBasis { id label } "
        "responsibleBody { id label } } } } } }"
    )
    sent = _statements_sent(loaded_neo4j, monkeypatch)

    def one_statement(text: str, variables: dict[str, Any], before: tuple[str, ...] = ()) -> str:
        sent.clear()
        got = compiled_answer(compiler, loaded_neo4j, neo4j_settings, text, variables)
        names = [name for name, _ in sent]
        assert names[: len(before)] == list(before) and len(names) == len(before) + 1, names
        assert got == strawberry_answer(schema, loaded_neo4j, neo4j_settings, text, variables)
        return got

    rows = loaded_neo4j.rows(
        "entities_of_class", {"class": URIRef(str(onto.classes["Technology"].iri))}
    )
    technologies = sorted(str(r["iri"]) for r in rows)
    two = three = 0
    for iri in technologies:
        got = one_statement(query, {"id": iri})
        two += '"incomingCoversTechnology": [{' in got
        three += '"legalBasis": [{' in got or '"responsibleBody": [{' in got
    assert two >= 5 and three >= 1, (two, three)
    search = (
        'query S($t: String!) { search(text: $t, types: ["Measure"], limit: 40) { id '
        "... on Measure { legalBasis { id label } coversTechnology { id ... on Technology { "
        "broader { id } } } } } }"
    )
    # a search asks the full-text index for candidates first and ranks them in Python
    # (search_text.rank), then reads what it found and every level below in one statement
    for text in ("ai", "半導体", "nothing-matches-this"):
        one_statement(search, {"t": text}, ("search_labels",))
    flagship = (
        "query F($t: ID!) { measuresCoveringTechnology(technology: $t) { measure { id "
        "legalBasis { id label } responsibleBody { id } } path { id } "
        "sources { locator document { id } } } }"
    )
    answered = sum(
        '"legalBasis": [{' in one_statement(flagship, {"t": iri}) for iri in technologies
    )
    assert answered >= 3, answered


@pytest.mark.neo4j
def test_a_request_reads_only_the_properties_its_fields_read(
    loaded_neo4j: Store, onto: Ontology, neo4j_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Neo4j the statement returns the entities' IRI, classes and the properties the
    fields read (the keys it is sent), or every property when a field reads keys that
    cannot be named in advance; the answer is strawberry's either way."""
    schema = build_schema(onto, neo4j_settings)
    compiler = Compiler(
        schema._schema, validation_rules(neo4j_settings), neo4j_settings.graphql_max_tokens
    )
    sent: list[dict[str, Any]] = []  # the parameters of every statement sent
    _statements_sent(loaded_neo4j, monkeypatch, sent)

    def props(query: str, variables: dict[str, Any]) -> set[tuple[str, ...] | None]:
        sent.clear()
        got = compiled_answer(compiler, loaded_neo4j, neo4j_settings, query, variables)
        assert sent
        # the property keys each statement returns of its entities (None: every one)
        found = {None if p["keys"] is None else tuple(p["keys"]) for p in sent if "keys" in p}
        assert got == strawberry_answer(schema, loaded_neo4j, neo4j_settings, query, variables)
        return found

    tech = min(
        str(r["iri"])
        for r in loaded_neo4j.rows(
            "entities_of_class", {"class": URIRef(str(onto.classes["Technology"].iri))}
        )
    )
    labels = ("iri", "types", "prefLabel_en", "prefLabel_ja")
    whole = None
    entity = "query Q($id: ID!) { entity(id: $id) { id %s ... on Technology { broader { id } } } }"
    assert props(entity % "label", {"id": tech}) == {labels}
    # the links selected, and none of their citations
    assert any(p.get("types") == ["BROADER"] and p["link_citations"] is False for p in sent)
    assert props(entity % 'label(lang: "ja") types __typename', {"id": tech}) == {labels}
    assert props(entity % "iri", {"id": tech}) == {("iri", "types")}
    assert props(entity % "label sources { iri }", {"id": tech}) == {
        ("iri", "types", "citations", "prefLabel_en", "prefLabel_ja")
    }
    for reads_all in (
        'label(lang: "fr")',
        "labels { value }",
        "properties { key }",
        "... on Technology { description }",
    ):
        assert props(entity % reads_all, {"id": tech}) == {whole}, reads_all
    flagship = (
        "query F($t: ID!%s) { measuresCoveringTechnology(technology: $t%s) "
        "{ measure { id label ... on Measure { status } } } }"
    )
    assert props(flagship % ("", ""), {"t": tech}) == {
        ("iri", "types", "prefLabel_en", "prefLabel_ja", "status")
    }
    dated = props(flagship % (", $d: Date", ", asOf: $d"), {"t": tech, "d": "2023-01-01"})
    assert len(dated) == 1 and "inForceFrom" in (dated.pop() or ())


# ------------------------------------------------------------------ over HTTP


@pytest.fixture()
def client(settings: Settings, embedded: EmbeddedStore) -> Iterator[TestClient]:
    off = settings.model_copy(update={"response_cache_mb": 0})
    with TestClient(create_app(off, embedded)) as c:
        yield c


def post(client: TestClient, query: str, **variables: Any) -> Any:
    return client.post("/graphql", json={"query": query, "variables": variables})


def test_compiled_path_answers_the_contract_over_http(client: TestClient) -> None:
    r = post(
        client,
        "query($m: ID!) { measuresCoveringMaterial(material: $m) { measure { id } } }",
        m="material/permanent-magnets",
    )
    assert r.status_code == 200
    assert r.headers["x-eskg-executor"] == "compiled"
    assert r.headers["content-type"] == "application/json"
    assert r.json()["data"]["measuresCoveringMaterial"]


@pytest.mark.parametrize(
    "query",
    [
        '{ entity(id: "org/meti") { relations { type } } }',  # not compiled: relations
        "{ __schema { queryType { name } } }",  # introspection
        '{ entity(id: "org/meti") { id @include(if: true) } }',  # directives
        "{ questions { name } }",  # other root fields
    ],
)
def test_other_requests_reach_strawberry(client: TestClient, query: str) -> None:
    r = post(client, query)
    assert r.status_code == 200, r.text
    assert "x-eskg-executor" not in r.headers
    assert r.json()["data"] and "errors" not in r.json()


def test_errors_are_worded_by_strawberry(client: TestClient) -> None:
    bad_limit = post(client, '{ search(text: "a", limit: 100000) { id } }')
    assert bad_limit.status_code == 200 and "x-eskg-executor" not in bad_limit.headers
    assert "limit must be between" in bad_limit.json()["errors"][0]["message"]
    syntax = post(client, "{ entity(id: ")
    assert syntax.status_code == 400 and "Syntax Error" in syntax.json()["errors"][0]["message"]
    wrong_var = post(client, "query($id: ID!) { entity(id: $id) { id } }", id=["x"])
    assert wrong_var.status_code == 400 and "x-eskg-executor" not in wrong_var.headers
    surrogate = client.post(
        "/graphql",
        content=b'{"query": "query($i: ID!) { entity(id: $i) { id } }", '
        b'"variables": {"i": "\\ud800"}}',
        headers={"content-type": "application/json"},
    )
    assert "not valid Unicode" in surrogate.json()["errors"][0]["message"]


def test_compiled_path_can_be_turned_off(settings: Settings, embedded: EmbeddedStore) -> None:
    off = settings.model_copy(update={"response_cache_mb": 0, "graphql_compiled": False})
    with TestClient(create_app(off, embedded)) as c:
        r = post(c, '{ entity(id: "org/meti") { id } }')
    assert r.json() == {"data": {"entity": {"id": "org/meti"}}}
    assert "x-eskg-executor" not in r.headers


def test_a_timeout_is_answered_once_with_the_limit_named(
    settings: Settings, embedded: EmbeddedStore
) -> None:
    tight = settings.model_copy(update={"response_cache_mb": 0, "query_timeout": 1e-9})
    with TestClient(create_app(tight, embedded)) as c:
        r = post(c, '{ search(text: "半導体") { id } }')
    assert r.status_code == 200 and r.headers["x-eskg-executor"] == "compiled"
    assert r.json()["data"] is None
    assert "ESKG_QUERY_TIMEOUT" in r.json()["errors"][0]["message"]


def test_concurrent_compiled_requests_get_their_own_answers(client: TestClient) -> None:
    q = (
        "query($id: ID!) { entity(id: $id) { id label ... on Measure { legalBasis { id } } "
        "sources { locator document { id } } } }"
    )
    ids = [
        "org/meti",
        "material/permanent-magnets",
        "tech/semiconductors",
        "measure/espa-critical-materials-designation",
        "no/such-thing",
    ] * 6
    sequential = [post(client, q, id=i).json() for i in ids]
    with ThreadPoolExecutor(8) as pool:
        concurrent = list(pool.map(lambda i: post(client, q, id=i), ids))
    assert all(r.headers["x-eskg-executor"] == "compiled" for r in concurrent)
    assert [r.json() for r in concurrent] == sequential
    assert sum(1 for s in sequential if s["data"]["entity"] is None) == 6
