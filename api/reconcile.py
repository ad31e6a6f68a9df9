"""A W3C Reconciliation Service API v0.2 at ``/reconcile``: match a spreadsheet of names
against the graph (OpenRefine, Cocoda, any 0.2 client).

* ``GET /reconcile`` — the manifest; with ``queries=`` (GET or a POST form) a batch of
  reconciliation queries, with ``extend=`` a data extension query.
* ``/reconcile/suggest/entity|type|property?prefix=`` — auto-complete; ``cursor`` skips.
* ``/reconcile/preview?id=`` — an HTML card of an entity; ``/reconcile/properties?type=``
  — the properties data extension can fetch for a type.

Identifiers are the short ids of the data (``material/permanent-magnets``, the IRI after
``ESKG_BASE_IRI``; a full IRI is accepted too), types are ontology class names
(``SpecifiedCriticalMaterial``), properties ontology property names (``responsibleBody``).

**Matching** is one function, ``find_candidates``, over a ``LabelIndex`` of every
labelled entity (listed by ``Store.search`` and rebuilt when the data changes): each
``prefLabel`` and ``altLabel``, in every language, folded (NFKC — full-width to half-width,
half-width kana to full —, case, katakana to hiragana, spaces and punctuation dropped),
and the initials of each English name (``METI``). A name is scored against a candidate's
labels: 100 for the preferred label, 98 for an alternative one, 90 for the initials, less
for a prefix, a part or a similar spelling (character bigrams, then difflib's ratio).
``match`` is true only for the top candidate when it has the name as a label and no other
candidate has (or has it as its initials, alone), and every property constraint given
agrees: a name two entities share gives ranked candidates and no match.
"""

from __future__ import annotations

import html
import json
import re
import threading
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.deps import PublicBaseDep, SettingsDep, StoreDep
from eskg.config import Settings
from eskg.errors import InvalidInputError, NotFoundError
from eskg.model import EntityData, Lit
from eskg.ontology import ESKG, Ontology
from eskg.store.base import Store
from eskg.vocab import ALT_LABEL, LABEL, ROOT_CLASS, vocabulary

router = APIRouter(tags=["reconcile"])

MAX_QUERIES = 100  # reconciliation queries in one batch
MAX_LIMIT = 25  # candidates per query
DEFAULT_LIMIT = 5
MAX_EXTEND_IDS = 200
EXACT, ALT_EXACT, ACRONYM, AMBIGUOUS_FLOOR = 100.0, 98.0, 90.0, 85.0
CORS = {"Access-Control-Allow-Origin": "*"}  # the spec requires CORS on every endpoint
_STOP = {"of", "and", "the", "for", "on", "in", "to", "a", "an", "&"}
_PUNCT = re.compile(r"[\s\u3000・･\-‐‑–—_.,，、。'\"“”‘’()（）\[\]［］「」『』/／:：;；!！?？]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")

# ------------------------------------------------------------------ normalisation


def to_hiragana(text: str) -> str:
    """Katakana (ァ..ヶ) written as hiragana; other characters unchanged."""
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def to_katakana(text: str) -> str:
    """Hiragana (ぁ..ゖ) written as katakana."""
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def fold(text: str) -> str:
    """The form names are compared in: NFKC (full-width Ａ１ to A1, half-width ｶﾅ to カナ),
    case-folded, katakana as hiragana, without spaces and punctuation."""
    return _PUNCT.sub("", to_hiragana(unicodedata.normalize("NFKC", text).casefold()))


def acronym(label: str) -> str:
    """Initials of an English label's words, skipping small words: METI for "Ministry of
    Economy, Trade and Industry"."""
    words = re.findall(r"[A-Za-z][A-Za-z0-9]*", label)
    return "".join(w[0] for w in words if w.lower() not in _STOP).casefold()


def _is_acronym(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z0-9&]{1,11}", unicodedata.normalize("NFKC", text).strip()))


# ------------------------------------------------------------------ matching


@dataclass
class Query:
    """One reconciliation query, checked."""

    text: str
    types: list[str] = field(default_factory=list)
    strict: str = "any"
    limit: int = DEFAULT_LIMIT
    properties: list[tuple[str, list[Any]]] = field(default_factory=list)


@dataclass
class Candidate:
    iri: str
    score: float
    exact: str  # "label", "acronym" or "" (see name_score)
    features: dict[str, float]
    entity: EntityData


def labels_of(entity: EntityData) -> list[tuple[str, Lit, bool]]:
    """(property, literal, preferred) of every name of an entity."""
    out = [(LABEL, lit, True) for lit in entity.values(LABEL)]
    return out + [(ALT_LABEL, lit, False) for lit in entity.values(ALT_LABEL)]


def name_score(query: str, entity: EntityData) -> tuple[float, str]:
    """How well a name fits an entity's labels, and how exactly: ``label`` when one of its
    labels is the name (folded), ``acronym`` when the initials of an English label are,
    else ``""``."""
    q = fold(query)
    if not q:
        return 0.0, ""
    best, exact = 0.0, ""
    for _, lit, preferred in labels_of(entity):
        label = fold(lit.value)
        if not label:
            continue
        if label == q:
            score = EXACT if preferred else ALT_EXACT
            exact = "label"
        elif lit.lang == "en" and len(q) >= 2 and acronym(lit.value) == q and _is_acronym(query):
            score = ACRONYM
            exact = exact or "acronym"
        elif label.startswith(q) or q.startswith(label):
            score = 60 + 25 * min(len(q), len(label)) / max(len(q), len(label))
        elif q in label or label in q:
            score = 45 + 25 * min(len(q), len(label)) / max(len(q), len(label))
        else:
            score = 70 * SequenceMatcher(None, q, label).ratio()
        best = max(best, score)
    return round(best, 1), exact


def _kinds(onto: Ontology, entity: EntityData) -> set[str]:
    return {a for t in entity.types for a in onto.ancestors(t)}


def property_agrees(
    store: Store, base_iri: str, entity: EntityData, pid: str, values: list[Any]
) -> bool:
    """Whether one of the entity's values of ``pid`` (a literal, or a related entity by id,
    IRI or name) equals one of ``values``."""
    base = store.onto.properties[pid]
    wanted_ids = {str(v["id"]) for v in values if isinstance(v, dict) and "id" in v}
    wanted_text = {fold(str(v)) for v in values if not isinstance(v, dict)}
    wanted_text |= {fold(str(v["name"])) for v in values if isinstance(v, dict) and "name" in v}
    if not base.is_object:
        return any(fold(lit.value) in wanted_text for lit in entity.values(pid))
    others = [r.other for r in store.relations([entity.iri]).get(entity.iri, []) if r.prop == pid]
    if any(o in wanted_ids or short_id(base_iri, o) in wanted_ids for o in others):
        return True
    if not wanted_text:
        return False
    names = store.entities(others)
    return any(fold(lit.value) in wanted_text for e in names.values() for _, lit, _ in labels_of(e))


def short_id(base_iri: str, iri: str) -> str:
    """The id of an IRI under the base (the data's short id)."""
    return iri.removeprefix(base_iri)


@dataclass
class LabelIndex:
    """Every labelled entity with its names folded, built from ``Store.search`` (an empty
    text lists every entity with a label) and the entities' labels; rebuilt when the
    store's ``data_version`` changes. Folding (kana, NFKC) cannot be written as the store's
    case-insensitive substring search, and a search per spelling cost ~10 ms on the
    embedded store; a search index in the store (a later issue) can take its place."""

    version: object
    entities: dict[str, EntityData]
    names: list[tuple[str, str, frozenset[str]]]  # (folded label, iri, its bigrams)
    by_name: dict[str, set[str]]
    by_acronym: dict[str, set[str]]


_indexes: dict[int, LabelIndex] = {}
_index_lock = threading.Lock()


def _bigrams(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1)) or frozenset({text})


def label_index(store: Store) -> LabelIndex:
    """The index of this store's current data."""
    version = store.data_version()
    with _index_lock:
        cached = _indexes.get(id(store))
        if cached is not None and cached.version == version:
            return cached
        root = store.onto.classes[ROOT_CLASS].iri
        every = [str(r["iri"]) for r in store.rows("entities_of_class", {"class": root})]
        entities = store.entities(every)
        names, by_name, by_acronym = [], defaultdict(set), defaultdict(set)
        for iri, entity in entities.items():
            for _, lit, _ in labels_of(entity):
                folded = fold(lit.value)
                if folded:
                    names.append((folded, iri, _bigrams(folded)))
                    by_name[folded].add(iri)
                if lit.lang == "en" and len(lit.value.split()) >= 2:
                    by_acronym[acronym(lit.value)].add(iri)
        index = LabelIndex(version, entities, names, dict(by_name), dict(by_acronym))
        _indexes[id(store)] = index
        return index


def _lookup(index: LabelIndex, text: str, limit: int) -> set[str]:
    """IRIs whose names equal, contain, are contained in, or resemble the folded text."""
    q = fold(text)
    if not q:
        return set()
    found = set(index.by_name.get(q, set()))
    if _is_acronym(text):
        found |= index.by_acronym.get(q, set())
    found |= {iri for name, iri, _ in index.names if (q in name or (len(name) >= 2 and name in q))}
    if len(found) < limit * 2:
        grams = _bigrams(q)
        similar = sorted(
            ((len(grams & g) / len(grams | g), iri) for _, iri, g in index.names),
            reverse=True,
        )
        found |= {iri for overlap, iri in similar[: limit * 4] if overlap >= 0.3}
    return found


def find_candidates(store: Store, query: Query, base_iri: str) -> list[Candidate]:
    """The ranked candidates of one query (the whole matching logic of the service)."""
    onto = store.onto
    index = label_index(store)
    if query.text:
        iris = _lookup(index, query.text, query.limit)
    else:  # properties only: every entity is a candidate
        iris = set(index.entities)
    entities = {iri: index.entities[iri] for iri in sorted(iris)}
    wanted = set(query.types)
    found: list[Candidate] = []
    for iri, entity in entities.items():
        features: dict[str, float] = {}
        score, exact = name_score(query.text, entity) if query.text else (0.0, "")
        if query.text and score < 30:
            continue
        features["name"] = score
        if wanted:
            typed = bool(wanted & _kinds(onto, entity))
            if query.strict == "all":
                typed = wanted <= _kinds(onto, entity)
            if not typed and query.strict != "should":
                continue
            if not typed:
                score -= 20
        if query.properties:
            agree = sum(property_agrees(store, base_iri, entity, p, v) for p, v in query.properties)
            ratio = agree / len(query.properties)
            features["properties"] = round(ratio, 2)
            score = score * (0.7 + 0.3 * ratio) if query.text else 100 * ratio
            exact = exact if ratio == 1.0 else ""
            if not query.text and ratio == 0:
                continue
        found.append(Candidate(iri, round(max(score, 0.0), 1), exact, features, entity))
    found.sort(key=lambda c: (-c.score, c.iri))
    return found


def is_match(found: list[Candidate], index: int) -> bool:
    """The top candidate, when it has the name as a label and no other candidate has, or
    has it as its only acronym."""
    c = found[index]
    if index != 0 or not c.exact or c.score < AMBIGUOUS_FLOOR:
        return False
    rivals = {"label"} if c.exact == "label" else {"label", "acronym"}
    return not any(o.exact in rivals for o in found[1:])


# ------------------------------------------------------------------ protocol


def _lang(text: str) -> str:
    return "ja" if _CJK.search(text) else "en"


def display_name(entity: EntityData, lang: str) -> str:
    names = {lit.lang or "": lit.value for lit in entity.values(LABEL)}
    return (
        names.get(lang)
        or names.get("en")
        or names.get("ja")
        or next(iter(names.values()), entity.iri)
    )


def type_json(onto: Ontology, name: str, lang: str = "en") -> dict[str, str]:
    cls = onto.classes[name]
    label = cls.labels.get(lang) or cls.labels.get("en") or name
    other = cls.labels.get("ja" if lang == "en" else "en")
    return {"id": name, "name": f"{label} ({other})" if other else label}


def _description(entity: EntityData, lang: str) -> str:
    other = "en" if lang == "ja" else "ja"
    return display_name(entity, other)


def parse_query(onto: Ontology, key: str, raw: Any) -> Query:
    """One query of a batch, or a 400 naming its fault."""
    if not isinstance(raw, dict):
        raise InvalidInputError(f"query {key!r} must be an object with a `query` string")
    unknown = set(raw) - {"query", "type", "limit", "properties", "type_strict"}
    if unknown:
        raise InvalidInputError(f"query {key!r}: unknown fields {sorted(unknown)}")
    text = raw.get("query", "")
    if not isinstance(text, str):
        raise InvalidInputError(f"query {key!r}: `query` must be a string")
    types = raw.get("type", [])
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise InvalidInputError(f"query {key!r}: `type` must be a type id or a list of them")
    types = [class_name(onto, t) for t in types]
    limit = raw.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or limit < 1:
        raise InvalidInputError(f"query {key!r}: `limit` must be a positive number")
    strict = raw.get("type_strict", "any")
    if strict not in ("any", "should", "all"):
        raise InvalidInputError(f"query {key!r}: `type_strict` must be any, should or all")
    props: list[tuple[str, list[Any]]] = []
    for prop in raw.get("properties") or []:
        if not isinstance(prop, dict) or not isinstance(prop.get("pid"), str) or "v" not in prop:
            raise InvalidInputError(f"query {key!r}: each property needs `pid` and `v`")
        if prop["pid"] not in onto.properties:
            raise InvalidInputError(
                f"query {key!r}: unknown property {prop['pid']!r}; "
                "/reconcile/suggest/property?prefix= lists them"
            )
        values = prop["v"] if isinstance(prop["v"], list) else [prop["v"]]
        props.append((prop["pid"], values))
    if not text.strip() and not props:
        raise InvalidInputError(f"query {key!r}: give a `query` string or `properties`")
    return Query(text.strip(), types, strict, min(int(limit), MAX_LIMIT), props)


def class_name(onto: Ontology, ident: str) -> str:
    name = ident.removeprefix(str(ESKG))
    if name not in onto.classes:
        raise InvalidInputError(
            f"unknown type {ident!r}; types are ontology classes such as "
            f"{', '.join(vocabulary(onto).offered[:4])} (/reconcile/suggest/type?prefix= lists "
            "them)"
        )
    return name


def reconcile_batch(store: Store, batch: dict[str, Any], base_iri: str) -> dict[str, Any]:
    """The result batch of a query batch."""
    if len(batch) > MAX_QUERIES:
        raise InvalidInputError(f"{len(batch)} queries in one batch; send at most {MAX_QUERIES}")
    queries = {k: parse_query(store.onto, k, v) for k, v in batch.items()}
    out: dict[str, Any] = {}
    for key, q in queries.items():
        found = find_candidates(store, q, base_iri)[: q.limit]
        lang = _lang(q.text)
        out[key] = {
            "result": [
                {
                    "id": short_id(base_iri, c.iri),
                    "name": display_name(c.entity, lang),
                    "description": _description(c.entity, lang),
                    "score": c.score,
                    "match": is_match(found, i),
                    "type": [type_json(store.onto, t, lang) for t in c.entity.types],
                    "features": [{"id": k, "value": v} for k, v in c.features.items()],
                }
                for i, c in enumerate(found)
            ]
        }
    return out


def manifest(store: Store, settings: Settings, base: str) -> dict[str, Any]:
    onto = store.onto
    service = base + "/reconcile"
    return {
        "versions": ["0.2"],
        "name": "eskg: Japan's economic-security policy knowledge graph (日本の経済安全保障)",
        "identifierSpace": settings.base_iri,
        "schemaSpace": str(ESKG),
        "serviceVersion": "0.1.0",
        "view": {"url": base + "/id/{{id}}"},
        "defaultTypes": [type_json(onto, t) for t in vocabulary(onto).offered],
        "preview": {"url": service + "/preview?id={{id}}", "width": 420, "height": 220},
        "suggest": {
            kind: {"service_url": service, "service_path": f"/suggest/{kind}"}
            for kind in ("entity", "type", "property")
        },
        "extend": {
            "propose_properties": {"service_url": service, "service_path": "/properties"},
            "property_settings": [
                {
                    "type": "number",
                    "default": 10,
                    "label": "Limit",
                    "name": "limit",
                    "help_text": "Most values returned per property",
                },
            ],
        },
    }


def resolve_id(base_iri: str, ident: str) -> str:
    """The IRI of an id (a full IRI is kept)."""
    return ident if ident.startswith(("http://", "https://")) else base_iri + ident


def _value_json(lit: Lit) -> dict[str, Any]:
    dt = (lit.datatype or "").rsplit("#", 1)[-1]
    if dt in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger"):
        return {"int": int(lit.value)}
    if dt in ("decimal", "double", "float"):
        return {"float": float(lit.value)}
    if dt == "date":
        return {"date": f"{lit.value}T00:00:00Z"}
    if dt == "dateTime":
        return {"date": lit.value if "Z" in lit.value or "+" in lit.value else lit.value + "Z"}
    return {"str": lit.value}


def extend(store: Store, query: Any, base_iri: str) -> dict[str, Any]:
    """A data extension response: the values of some properties of some entities."""
    onto = store.onto
    if (
        not isinstance(query, dict)
        or not isinstance(query.get("ids"), list)
        or not isinstance(query.get("properties"), list)
    ):
        raise InvalidInputError('extend needs {"ids": [...], "properties": [{"id": ...}]}')
    ids = [str(i) for i in query["ids"]][:MAX_EXTEND_IDS]
    props = []
    for p in query["properties"]:
        pid = p.get("id") if isinstance(p, dict) else None
        if pid not in onto.properties:
            raise InvalidInputError(
                f"extend: unknown property {pid!r}; /reconcile/properties?type= lists them"
            )
        raw_limit = (p.get("settings") or {}).get("limit", 10)
        try:
            limit = max(1, int(raw_limit))
        except (TypeError, ValueError):
            raise InvalidInputError(f"extend: limit of {pid!r} must be a number") from None
        props.append((pid, limit))
    iris = {i: resolve_id(base_iri, i) for i in ids}
    entities = store.entities(list(iris.values()))
    relations = store.relations(list(iris.values()))
    linked = {r.other for rs in relations.values() for r in rs}
    names = store.entities(sorted(linked))
    rows: dict[str, Any] = {}
    for ident, iri in iris.items():
        entity = entities.get(iri)
        row: dict[str, list[dict[str, Any]]] = {}
        for pid, limit in props:
            if entity is None:
                row[pid] = []
            elif onto.properties[pid].is_object:
                others = [
                    r.other
                    for r in relations.get(iri, [])
                    if r.prop == pid and r.direction == "OUT"
                ]
                row[pid] = [
                    {
                        "id": short_id(base_iri, o),
                        "name": display_name(names[o], "en") if o in names else o,
                    }
                    for o in others[:limit]
                ]
            else:
                row[pid] = [_value_json(lit) for lit in entity.values(pid)[:limit]]
        rows[ident] = row
    meta = []
    for pid, _ in props:
        prop = onto.properties[pid]
        item: dict[str, Any] = {"id": pid, "name": prop.labels.get("en", pid)}
        if prop.is_object and prop.range and prop.range[0] in onto.classes:
            item["type"] = type_json(onto, prop.range[0])
        meta.append(item)
    return {"meta": meta, "rows": rows}


def suggest_entities(store: Store, prefix: str, cursor: int, base_iri: str) -> dict[str, Any]:
    found = find_candidates(store, Query(prefix.strip(), limit=MAX_LIMIT), base_iri)
    lang = _lang(prefix)
    return {
        "result": [
            {
                "id": short_id(base_iri, c.iri),
                "name": display_name(c.entity, lang),
                "description": _description(c.entity, lang),
                "notable": [type_json(store.onto, t, lang) for t in c.entity.types],
            }
            for c in found[cursor : cursor + 10]
        ]
    }


def _term_rank(prefix: str, name: str, labels: dict[str, str]) -> float:
    q = fold(prefix)
    best = 0.0
    for text in [name, *labels.values()]:
        t = fold(text)
        if not q:
            best = max(best, 1.0)
        elif t == q:
            best = max(best, 3.0)
        elif t.startswith(q):
            best = max(best, 2.0)
        elif q in t:
            best = max(best, 1.0)
    return best


def suggest_terms(onto: Ontology, kind: str, prefix: str, cursor: int) -> dict[str, Any]:
    lang = _lang(prefix)
    if kind == "type":
        ranked = sorted(
            ((_term_rank(prefix, c.name, c.labels), c.name) for c in onto.classes.values()),
            key=lambda x: (-x[0], x[1]),
        )
        return {
            "result": [type_json(onto, n, lang) for r, n in ranked if r > 0][cursor : cursor + 10]
        }
    ranked = sorted(
        ((_term_rank(prefix, p.name, p.labels), p.name) for p in onto.properties.values()),
        key=lambda x: (-x[0], x[1]),
    )
    return {
        "result": [
            {
                "id": n,
                "name": onto.properties[n].labels.get(lang) or n,
                "description": onto.properties[n].comment,
            }
            for r, n in ranked
            if r > 0
        ][cursor : cursor + 10]
    }


def propose_properties(onto: Ontology, type_id: str, limit: int | None) -> dict[str, Any]:
    name = class_name(onto, type_id)
    kinds = set(onto.ancestors(name))
    props = [p for p in onto.properties.values() if kinds & set(p.domain)]
    props.sort(key=lambda p: p.name)
    out: dict[str, Any] = {
        "type": name,
        "properties": [
            {"id": p.name, "name": p.labels.get("en", p.name), "description": p.comment}
            for p in props[: limit or None]
        ],
    }
    if limit is not None:
        out["limit"] = limit
    return out


def preview(store: Store, ident: str, base: str, base_iri: str) -> str:
    iri = resolve_id(base_iri, ident)
    entity = store.entities([iri]).get(iri)
    if entity is None:
        raise NotFoundError(f"no entity with the id {ident!r}")
    e = html.escape
    names = " / ".join(e(lit.value) for lit in entity.values(LABEL))
    types = ", ".join(e(type_json(store.onto, t)["name"]) for t in entity.types)
    facts = "".join(
        f"<tr><th>{e(name)}</th><td>{e(lit.value)}</td></tr>"
        for name, lit in entity.literals
        if name != LABEL
    )[:4000]
    link = f"{base}/id/{short_id(base_iri, iri)}"
    return (
        '<!doctype html><html><head><meta charset="utf-8"><style>body{font-family:sans-serif;'
        "font-size:13px;margin:6px}th{text-align:left;padding-right:6px;vertical-align:top}"
        f'</style></head><body><a href="{e(link)}" target="_blank"><b>{names}</b></a>'
        f"<div>{types}</div><table>{facts}</table></body></html>"
    )


# ------------------------------------------------------------------ HTTP


def _json(body: dict[str, Any], request: Request) -> Response:
    callback = request.query_params.get("callback")
    if callback and re.fullmatch(r"[A-Za-z_$][\w$.]{0,63}", callback):  # JSONP, optional in 0.2
        text = f"{callback}({json.dumps(body, ensure_ascii=False)})"
        return Response(text, media_type="text/javascript", headers=CORS)
    return JSONResponse(body, headers=CORS)


def _decode(name: str, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise InvalidInputError(f"`{name}` is not JSON: {exc}") from exc


async def _service(
    request: Request, fields: dict[str, str], store: Store, settings: Settings, base: str
) -> Response:
    base_iri = settings.base_iri
    if "queries" in fields:
        batch = _decode("queries", fields["queries"])
        if not isinstance(batch, dict):
            raise InvalidInputError("`queries` must be a JSON object of queries keyed by id")
        return _json(await run_in_threadpool(reconcile_batch, store, batch, base_iri), request)
    if "extend" in fields:
        query = _decode("extend", fields["extend"])
        return _json(await run_in_threadpool(extend, store, query, base_iri), request)
    return _json(manifest(store, settings, base), request)


@router.get("/reconcile", summary="Reconciliation API 0.2: manifest, or ?queries= / ?extend=")
async def reconcile_get(
    request: Request, store: StoreDep, settings: SettingsDep, base: PublicBaseDep
) -> Response:
    return await _service(request, dict(request.query_params), store, settings, base)


@router.post("/reconcile", summary="Reconciliation API 0.2: form queries= or extend=")
async def reconcile_post(
    request: Request, store: StoreDep, settings: SettingsDep, base: PublicBaseDep
) -> Response:
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    return await _service(request, {**dict(request.query_params), **fields}, store, settings, base)


def _cursor(request: Request) -> int:
    raw = request.query_params.get("cursor", "0")
    if not raw.isdigit():
        raise InvalidInputError(f"`cursor` must be a non-negative integer, not {raw!r}")
    return int(raw)


@router.get("/reconcile/suggest/{kind}", summary="Suggest entities, types or properties")
async def suggest(
    kind: str, request: Request, store: StoreDep, settings: SettingsDep, prefix: str = ""
) -> Response:
    cursor = _cursor(request)
    if kind == "entity":
        if not prefix.strip():
            return _json({"result": []}, request)
        return _json(
            await run_in_threadpool(suggest_entities, store, prefix, cursor, settings.base_iri),
            request,
        )
    if kind in ("type", "property"):
        return _json(suggest_terms(store.onto, kind, prefix, cursor), request)
    raise NotFoundError(f"no suggest service {kind!r}; use entity, type or property")


@router.get("/reconcile/preview", summary="An HTML card of one entity", response_model=None)
async def preview_card(
    store: StoreDep, settings: SettingsDep, base: PublicBaseDep, id: str
) -> Response:
    body = await run_in_threadpool(preview, store, id, base, settings.base_iri)
    return HTMLResponse(body, headers=CORS)


@router.get("/reconcile/properties", summary="Properties data extension can fetch for a type")
async def properties(
    request: Request, store: StoreDep, type: str, limit: int | None = None
) -> Response:
    if limit is not None and limit < 1:
        raise InvalidInputError("`limit` must be a positive integer")
    return _json(propose_properties(store.onto, type, limit), request)
