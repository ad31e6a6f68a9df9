"""Linked data that other tools read unchanged: compacted JSON-LD with a context served at
``/context.jsonld``, the ontology at its IRI (``https://w3id.org/eskg/ontology`` maps to
``/ontology``), statement graph IRIs (``/id/stmt/<hash>``) and the schema.org ``Dataset``
description the home page carries.

**JSON-LD shape** (``/id/...`` as ``application/ld+json``): ``{"@context": "<public>/
context.jsonld", "@graph": [...]}``. The default graph holds *every* statement of the
answer (the union of its graphs, as ``/sparql``'s default graph is), so
``rdflib.Graph().parse(url, format="json-ld")`` finds them; each named graph (a record's
``#record`` graph, a relation's ``stmt/<hash>`` graph) is given as well, as a node with its
``eskg:citation`` links and its ``@graph``, so a quad-aware reader keeps the provenance.
"""

from __future__ import annotations

import html
import json
from collections import defaultdict
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from rdflib import RDF, Graph, Literal, URIRef

from api.conneg import choose
from api.deps import SettingsDep, StoreDep
from eskg.config import Settings
from eskg.describe import FORMATS, Quad
from eskg.errors import InvalidInputError
from eskg.export import to_ox
from eskg.ontology import ESKG, PREFIXES, Ontology

router = APIRouter(tags=["linked data"])

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
ID_PREFIX = "eskgid"  # the context's prefix for entity IRIs (ESKG_BASE_IRI)
ONTOLOGY_TYPES = {
    "text/html": "html",
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
}
ONTOLOGY_NAMES = {
    "html": "text/html",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "nt": "application/n-triples",
}


def context(settings: Settings) -> dict[str, str]:
    """The term definitions: the ontology's prefixes and one for entity IRIs."""
    return {**PREFIXES, ID_PREFIX: settings.base_iri}


def compact_iri(iri: str, ctx: dict[str, str]) -> str:
    best = ""
    for prefix, ns in ctx.items():
        if iri.startswith(ns) and len(ns) > len(ctx.get(best, "")) and len(iri) > len(ns):
            best = prefix
    return f"{best}:{iri[len(ctx[best]) :]}" if best else iri


def _object(term: URIRef | Literal, ctx: dict[str, str]) -> Any:
    if isinstance(term, Literal):
        if term.language:
            return {"@value": str(term), "@language": term.language}
        if term.datatype and str(term.datatype) != XSD_STRING:
            return {"@value": str(term), "@type": compact_iri(str(term.datatype), ctx)}
        return str(term)
    return {"@id": compact_iri(str(term), ctx)}


def _nodes(triples: list[tuple[URIRef, URIRef, Any]], ctx: dict[str, str]) -> dict[str, Any]:
    nodes: dict[str, dict[str, Any]] = {}
    for s, p, o in sorted(triples, key=lambda t: (str(t[0]), str(t[1]), str(t[2]))):
        node = nodes.setdefault(str(s), {"@id": compact_iri(str(s), ctx)})
        if p == RDF.type:
            node.setdefault("@type", []).append(compact_iri(str(o), ctx))
            continue
        node.setdefault(compact_iri(str(p), ctx), []).append(_object(o, ctx))
    return nodes


def jsonld(quads: list[Quad], settings: Settings, context_url: str) -> bytes:
    """Compacted JSON-LD: the union in the default graph, the named graphs beside it."""
    ctx = context(settings)
    union = list({(s, p, o) for s, p, o, _ in quads})
    nodes = _nodes(union, ctx)
    graphs: dict[str, list[tuple[URIRef, URIRef, Any]]] = defaultdict(list)
    for s, p, o, g in quads:
        if g is not None:
            graphs[str(g)].append((s, p, o))
    for name, triples in sorted(graphs.items()):
        node = nodes.setdefault(name, {"@id": compact_iri(name, ctx)})
        node["@graph"] = list(_nodes(triples, ctx).values())
    doc = {"@context": context_url, "@graph": list(nodes.values())}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def rdfxml(quads: list[Quad]) -> bytes:
    """RDF/XML of the union of the graphs (RDF/XML has no named graphs)."""
    triples = sorted({(s, p, o) for s, p, o, _ in quads}, key=lambda t: tuple(map(str, t)))
    out = ox.serialize(
        [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in triples],  # type: ignore[arg-type]
        format=ox.RdfFormat.RDF_XML,
    )
    return out or b""


@router.get("/context.jsonld", summary="The JSON-LD context of every eskg JSON-LD answer")
async def context_document(settings: SettingsDep) -> Response:
    return JSONResponse(
        {"@context": context(settings)},
        media_type="application/ld+json",
        headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "max-age=3600"},
    )


# ------------------------------------------------------------------ the ontology


def ontology_page(onto: Ontology) -> str:
    """Every class and property with its labels in Japanese and English and its comment."""
    e = html.escape

    def row(
        kind: str, name: str, iri: str, labels: dict[str, str], comment: str, extra: str = ""
    ) -> str:
        return (
            f'<tr id="{e(name)}"><td><code>eskg:{e(name)}</code></td><td>{e(kind)}</td>'
            f"<td>{e(labels.get('ja', ''))}</td><td>{e(labels.get('en', ''))}</td>"
            f"<td>{e(comment)}{extra}</td></tr>"
        )

    rows = [
        row(
            "class",
            c.name,
            str(c.iri),
            c.labels,
            c.comment,
            f"<br><small>⊂ {e(', '.join(c.parents))}</small>" if c.parents else "",
        )
        for c in sorted(onto.classes.values(), key=lambda c: c.name)
    ]
    for p in sorted(onto.properties.values(), key=lambda p: p.name):
        kind = "object property" if p.is_object else "datatype property"
        span = f"<br><small>{e(', '.join(p.domain))} → {e(', '.join(p.range))}</small>"
        rows.append(row(kind, p.name, str(p.iri), p.labels, p.comment, span))
    return (
        '<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>eskg ontology'
        "</title><style>body{font-family:sans-serif;margin:1em auto;max-width:90em}"
        "td,th{border-bottom:1px solid #ddd;padding:3px 6px;vertical-align:top;text-align:left}"
        "table{border-collapse:collapse}</style></head><body>"
        "<h1>eskg ontology · 経済安全保障ナレッジグラフ オントロジー</h1>"
        f"<p><code>{e(str(ESKG))}</code> · "
        + " · ".join(f'<a href="?format={n}">{n}</a>' for n in ("ttl", "jsonld", "rdfxml"))
        + f"</p><p>{len(onto.classes)} classes, {len(onto.properties)} properties.</p>"
        "<table><tr><th>term</th><th>kind</th><th>日本語</th><th>English</th><th>comment</th></tr>"
        + "".join(rows)
        + "</table></body></html>"
    )


@router.get(
    "/ontology",
    summary="The ontology (https://w3id.org/eskg/ontology): HTML, Turtle, JSON-LD, RDF/XML",
)
async def ontology(request: Request, store: StoreDep, format: str | None = None) -> Response:
    onto = store.onto
    if format:
        media = ONTOLOGY_NAMES.get(format)
        if media is None:
            raise InvalidInputError(
                f"unknown format {format!r}; use one of {', '.join(ONTOLOGY_NAMES)}"
            )
    else:
        media = choose(request.headers.get("accept"), list(ONTOLOGY_TYPES), "the ontology")
    headers = {"Vary": "Accept"}
    if media == "text/html":
        return HTMLResponse(ontology_page(onto), headers=headers)
    g = Graph()
    for triple in onto.graph:
        g.add(triple)
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    if media == "application/ld+json":
        body = g.serialize(format="json-ld", context=dict(PREFIXES), encoding="utf-8")
    else:
        body = g.serialize(format=ONTOLOGY_TYPES[media], encoding="utf-8")
    return Response(body, media_type=media, headers=headers)


# ------------------------------------------------------------------ home page


def dataset_jsonld(settings: Settings, base: str, period: tuple[str, str] | None) -> dict[str, Any]:
    """schema.org ``Dataset`` for dataset search engines (the home page carries it);
    ``period`` is the first and last date the data states."""
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": settings.dataset_iri,
        "name": [
            {"@language": "en", "@value": "Economic security policy of Japan: knowledge graph"},
            {"@language": "ja", "@value": "日本の経済安全保障政策ナレッジグラフ"},
        ],
        "description": [
            {
                "@language": "en",
                "@value": (
                    "Laws, measures, specified critical materials, technologies, countries, "
                    "dialogues, organisations and companies of Japan's economic-security policy; "
                    "every statement with its source (document, locator, verbatim quote)."
                ),
            },
            {
                "@language": "ja",
                "@value": (
                    "日本の経済安全保障政策の法令・施策・特定重要物資・技術・国・対話・組織・企業を結ぶ"
                    "ナレッジグラフ。すべての事実に出典（文書・箇所・原文の引用）を付す。"
                ),
            },
        ],
        "url": base + "/",
        "license": settings.data_license,
        "inLanguage": ["ja", "en"],
        "isAccessibleForFree": True,
        **({"temporalCoverage": f"{period[0]}/{period[1]}"} if period else {}),
        "spatialCoverage": "Japan",
        "keywords": ["economic security", "経済安全保障", "特定重要物資", "knowledge graph"],
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": f.media_type,
                "contentUrl": f"{base}/dumps/eskg.{f.ext}",
                "name": f"{f.title} dump",
            }
            for f in FORMATS.values()
        ],
        "includedInDataCatalog": {"@type": "DataCatalog", "url": base + "/dumps/"},
    }
