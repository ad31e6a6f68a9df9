"""The Reconciliation Service API 0.2 at /reconcile, every response validated against the
specification's JSON Schemas (``../shared/conformance/reconciliation-0.2/``).

The names reconciled are those of the data files (every label and alternative label, in
both languages, of the materials, laws, ministries, countries and companies), never a list
of answers written here: each name must give its own entity as the top candidate with
``match: true``, unless another entity shares the name, when there must be no match and
both must be among the ranked candidates.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft7Validator
from rdflib import RDF
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from api.app import create_app
from api.reconcile import acronym, fold, to_hiragana
from eskg.config import Settings
from eskg.ontology import SKOS, Ontology
from eskg.store.embedded import EmbeddedStore
from loaders.pipeline import Built
from tests.served import conformance

KINDS = ["Material", "Law", "GovernmentBody", "Country", "Company"]


@pytest.fixture(scope="module")
def schemas() -> dict[str, Draft7Validator]:
    folder = conformance("reconciliation-0.2")
    docs = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}
    resources = []
    for doc in docs.values():
        if "$id" in doc:
            resources.append(
                (doc["$id"], Resource.from_contents(doc, default_specification=DRAFT7))
            )
    registry: Registry[Any] = Registry().with_resources(resources)
    return {name: Draft7Validator(doc, registry=registry) for name, doc in docs.items()}


def valid(schemas: dict[str, Draft7Validator], name: str, body: Any) -> Any:
    errors = sorted(schemas[name].iter_errors(body), key=lambda e: list(e.path))
    assert not errors, f"{name}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    return body


@pytest.fixture(scope="module")
def client(settings: Settings, embedded: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(settings, embedded)) as c:
        yield c


def reconcile(
    client: TestClient,
    schemas: dict[str, Draft7Validator],
    batch: dict[str, Any],
    post: bool = True,
) -> dict[str, Any]:
    valid(schemas, "reconciliation-query-batch", batch)
    if post:
        r = client.post("/reconcile", data={"queries": json.dumps(batch, ensure_ascii=False)})
    else:
        r = client.get("/reconcile", params={"queries": json.dumps(batch, ensure_ascii=False)})
    assert r.status_code == 200, r.text
    assert r.headers["access-control-allow-origin"] == "*"
    return valid(schemas, "reconciliation-result-batch", r.json())  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def names(built: Built, onto: Ontology, settings: Settings) -> dict[str, set[str]]:
    """Every label of the data: folded name -> the short ids of the entities it names."""
    out: dict[str, set[str]] = defaultdict(set)
    for s, p, o, _ in built.compiled.dataset.quads((None, None, None, None)):
        if p in (SKOS.prefLabel, SKOS.altLabel):
            out[fold(str(o))].add(str(s).removeprefix(settings.base_iri))
    return out


@pytest.fixture(scope="module")
def seed_entities(
    built: Built, onto: Ontology, settings: Settings
) -> dict[str, list[tuple[str, str]]]:
    """Short id -> (label, lang) of every entity of the five kinds, from the data files."""
    wanted = {str(onto.classes[d].iri) for k in KINDS for d in onto.descendants(k)}
    ds = built.compiled.dataset
    ids = {s for s, _, o, _ in ds.quads((None, RDF.type, None, None)) if str(o) in wanted}
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s in ids:
        for p in (SKOS.prefLabel, SKOS.altLabel):
            for _, _, o, _ in ds.quads((s, p, None, None)):
                out[str(s).removeprefix(settings.base_iri)].append(
                    (str(o), getattr(o, "language", None) or "")
                )
    return out


def test_the_schemas_reject_invalid_examples(schemas: dict[str, Draft7Validator]) -> None:
    """The validation is real: the spec's invalid examples fail, its valid ones pass."""
    folder = conformance("reconciliation-0.2") / "examples"
    checked = 0
    for kind, schema in [
        ("manifest", "manifest"),
        ("reconciliation-result-batch", "reconciliation-result-batch"),
        ("data-extension-response", "data-extension-response"),
    ]:
        for path in (folder / kind / "invalid").glob("*.json"):
            if "authentication" in path.name:  # refers to the Swagger schema, not stored
                continue
            assert list(schemas[schema].iter_errors(json.loads(path.read_text()))), path
            checked += 1
        for path in (folder / kind / "valid").glob("*.json"):
            body = json.loads(path.read_text())
            if "authentication" in body:
                continue
            assert not list(schemas[schema].iter_errors(body)), path
    assert checked >= 5


def test_manifest(
    client: TestClient, schemas: dict[str, Draft7Validator], settings: Settings
) -> None:
    r = client.get("/reconcile")
    m = valid(schemas, "manifest", r.json())
    assert "0.2" in m["versions"] and m["identifierSpace"] == settings.base_iri
    assert m["view"]["url"] == "http://testserver/id/{{id}}"
    assert m["suggest"]["entity"]["service_url"] == "http://testserver/reconcile"
    jsonp = client.get("/reconcile", params={"callback": "cb"})
    assert jsonp.text.startswith("cb(") and jsonp.headers["content-type"].startswith(
        "text/javascript"
    )


def test_every_name_of_the_seed_reconciles_to_its_entity(
    client: TestClient,
    schemas: dict[str, Draft7Validator],
    seed_entities: dict[str, list[tuple[str, str]]],
    names: dict[str, set[str]],
) -> None:
    queries: dict[str, tuple[str, str]] = {}
    for ident, labels in sorted(seed_entities.items()):
        for label, lang in labels:
            queries[f"q{len(queries)}"] = (ident, label)
    assert len(queries) > 150  # five kinds, two languages, alt labels
    batch_ids = list(queries)
    unique = shared = 0
    for start in range(0, len(batch_ids), 50):
        keys = batch_ids[start : start + 50]
        answer = reconcile(client, schemas, {k: {"query": queries[k][1]} for k in keys})
        for key in keys:
            ident, label = queries[key]
            result = answer[key]["result"]
            owners = names[fold(label)]
            if len(owners) == 1:
                unique += 1
                assert result and result[0]["id"] == ident, (label, result[:3])
                assert result[0]["match"] is True, (label, result[:3])
                assert all(not c["match"] for c in result[1:])
            else:
                shared += 1
                assert not any(c["match"] for c in result), (label, result[:3])
                ranked = {c["id"] for c in result}
                assert owners <= ranked, (label, owners, ranked)
    assert unique > 100 and shared >= 2


def test_kana_full_width_and_case_variants(
    client: TestClient,
    schemas: dict[str, Draft7Validator],
    seed_entities: dict[str, list[tuple[str, str]]],
    names: dict[str, set[str]],
) -> None:
    batch: dict[str, Any] = {}
    expect: dict[str, str] = {}
    for ident, labels in sorted(seed_entities.items()):
        for label, lang in labels:
            if len(names[fold(label)]) != 1:
                continue
            if lang == "ja" and to_hiragana(label) != label:  # katakana written in hiragana
                variant = to_hiragana(label)
            elif lang == "en":  # full-width upper case: ＰＥＲＭＡＮＥＮＴ ＭＡＧＮＥＴＳ
                variant = "".join(
                    chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in label.upper()
                )
            else:
                continue
            key = f"v{len(batch)}"
            batch[key], expect[key] = {"query": variant}, ident
    assert len(batch) > 80
    keys = list(batch)
    for start in range(0, len(keys), 50):
        part = {k: batch[k] for k in keys[start : start + 50]}
        answer = reconcile(client, schemas, part, post=start % 100 == 0)
        for key, query in part.items():
            assert answer[key]["result"], query
            top = answer[key]["result"][0]
            assert top["id"] == expect[key] and top["match"], (query, answer[key]["result"][:2])


def test_a_type_resolves_a_shared_name(
    client: TestClient,
    schemas: dict[str, Draft7Validator],
    names: dict[str, set[str]],
    embedded: EmbeddedStore,
    settings: Settings,
) -> None:
    """A name two entities of different classes share matches the one of the type asked."""
    onto = embedded.onto
    checked = 0
    for name, owners in sorted(names.items()):
        if len(owners) != 2:
            continue
        a, b = sorted(owners)
        found = embedded.entities([settings.base_iri + a, settings.base_iri + b])
        ea, eb = found[settings.base_iri + a], found[settings.base_iri + b]
        above_b = {x for t in eb.types for x in onto.ancestors(t)}
        only_a = sorted(t for t in ea.types if t not in above_b)
        if not only_a:
            continue
        query = {"query": label_of(ea, name), "type": only_a[0]}
        answer = reconcile(client, schemas, {"q": query})["q"]["result"]
        assert answer[0]["id"] == a and answer[0]["match"], (query, answer[:3])
        assert b not in {c["id"] for c in answer}
        checked += 1
    assert checked >= 2


def label_of(entity: Any, folded: str) -> str:
    return str(
        next(
            lit.value
            for prop, lit in entity.literals
            if prop in ("prefLabel", "altLabel") and fold(lit.value) == folded
        )
    )


def test_acronyms_of_english_names(
    client: TestClient,
    schemas: dict[str, Draft7Validator],
    built: Built,
    settings: Settings,
    seed_entities: dict[str, list[tuple[str, str]]],
    names: dict[str, set[str]],
) -> None:
    """The initials of a long English name find it, when no other name has them."""
    initials: dict[str, set[str]] = defaultdict(set)
    for s, p, o, _ in built.compiled.dataset.quads((None, None, None, None)):
        if p in (SKOS.prefLabel, SKOS.altLabel) and getattr(o, "language", None) == "en":
            initials[acronym(str(o))].add(str(s).removeprefix(settings.base_iri))
    batch = {
        f"a{len(initials[a])}{a}": {"query": a.upper()}
        for ident, labels in seed_entities.items()
        for label, lang in labels
        if lang == "en"
        and len(label.split()) >= 3
        and len(a := acronym(label)) >= 3
        and initials[a] == {ident}
        and a not in names
    }
    assert len(batch) >= 3
    answer = reconcile(client, schemas, batch)
    for key, q in batch.items():
        owner = next(iter(initials[q["query"].lower()]))
        result = answer[key]["result"]
        assert result and result[0]["id"] == owner and result[0]["match"], (q, result[:2])


def test_property_constraints(client: TestClient, schemas: dict[str, Draft7Validator]) -> None:
    base = {"query": "永久磁石", "type": "SpecifiedCriticalMaterial"}
    right = {**base, "properties": [{"pid": "responsibleBody", "v": {"id": "org/meti"}}]}
    by_name = {**base, "properties": [{"pid": "responsibleBody", "v": "経済産業省"}]}
    wrong = {**base, "properties": [{"pid": "responsibleBody", "v": {"id": "org/mof"}}]}
    answer = reconcile(client, schemas, {"right": right, "name": by_name, "wrong": wrong})
    assert answer["right"]["result"][0]["match"] and answer["name"]["result"][0]["match"]
    top = answer["wrong"]["result"][0]
    assert top["id"] == "material/permanent-magnets" and not top["match"]
    assert top["score"] < answer["right"]["result"][0]["score"]


def test_suggest_preview_and_extension(
    client: TestClient, schemas: dict[str, Draft7Validator]
) -> None:
    r = client.get("/reconcile/suggest/entity", params={"prefix": "えいきゅう"})
    body = valid(schemas, "suggest-entities-response", r.json())
    r = client.get("/reconcile/suggest/entity", params={"prefix": "永久"})
    assert valid(schemas, "suggest-entities-response", r.json())["result"][0]["id"] == (
        "material/permanent-magnets"
    )
    assert isinstance(body["result"], list)
    types = valid(
        schemas,
        "suggest-types-response",
        client.get("/reconcile/suggest/type", params={"prefix": "法"}).json(),
    )
    assert "Law" in {t["id"] for t in types["result"]}
    props = valid(
        schemas,
        "suggest-properties-response",
        client.get("/reconcile/suggest/property", params={"prefix": "respon"}).json(),
    )
    assert "responsibleBody" in {p["id"] for p in props["result"]}
    preview = client.get("/reconcile/preview", params={"id": "material/permanent-magnets"})
    assert preview.status_code == 200 and "永久磁石" in preview.text
    proposal = valid(
        schemas,
        "data-extension-property-proposal",
        client.get(
            "/reconcile/properties", params={"type": "SpecifiedCriticalMaterial", "limit": 50}
        ).json(),
    )
    assert "responsibleBody" in {p["id"] for p in proposal["properties"]}
    query = {
        "ids": ["material/permanent-magnets", "org/meti", "no/such"],
        "properties": [
            {"id": "responsibleBody"},
            {"id": "designatedOn"},
            {"id": "prefLabel", "settings": {"limit": "1"}},
        ],
    }
    valid(schemas, "data-extension-query", query)
    for r in (
        client.post("/reconcile", data={"extend": json.dumps(query)}),
        client.get("/reconcile", params={"extend": json.dumps(query)}),
    ):
        out = valid(schemas, "data-extension-response", r.json())
        row = out["rows"]["material/permanent-magnets"]
        assert {"id": "org/meti", "name": "Ministry of Economy, Trade and Industry"} in row[
            "responsibleBody"
        ]
        assert row["designatedOn"] and row["designatedOn"][0]["date"].startswith("20")
        assert len(row["prefLabel"]) == 1 and out["rows"]["no/such"]["responsibleBody"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"queries": "{not json"},
        {"queries": "[1, 2]"},
        {"queries": json.dumps({"q": {"query": "x", "type": "NoSuchClass"}})},
        {"queries": json.dumps({"q": {"query": 3}})},
        {"queries": json.dumps({"q": {"query": "x", "limit": -1}})},
        {"queries": json.dumps({"q": {"query": "x", "properties": [{"pid": "nope", "v": "1"}]}})},
        {"queries": json.dumps({f"q{i}": {"query": "x"} for i in range(101)})},
        {"extend": json.dumps({"ids": ["a"], "properties": [{"id": "nope"}]})},
        {"extend": "[]"},
    ],
)
def test_bad_requests_are_4xx_naming_the_fault(client: TestClient, params: dict[str, str]) -> None:
    for r in (client.get("/reconcile", params=params), client.post("/reconcile", data=params)):
        assert r.status_code == 400, r.text
        assert r.json()["error"]
    assert client.get("/reconcile/suggest/nothing").status_code == 404
    assert client.get("/reconcile/preview", params={"id": "no/such"}).status_code == 404
    assert client.get("/reconcile/properties", params={"type": "Nope"}).status_code == 400
    assert (
        client.get("/reconcile/suggest/entity", params={"prefix": "x", "cursor": "-1"}).status_code
        == 400
    )
