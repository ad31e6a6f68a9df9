"""Dereferenceable IRIs: ``GET /id/{path}`` describes ``<base_iri><path>``.

Browsers get an HTML page (labels, types, properties, relations linked to their own
``/id/`` pages, and every citation with document, locator and quote); RDF clients get
Turtle, JSON-LD, N-Triples, TriG or N-Quads by ``Accept`` or ``?format=``. The statements
are the entity's own graph, its relations (both directions) and their citations, in the
same graphs as the dumps. Citation IRIs (``/id/citation/...``) resolve too.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from rdflib import RDF, Literal, URIRef

from eskg.config import Settings
from eskg.describe import FORMATS, Quad
from eskg.errors import InvalidInputError, NotFoundError
from eskg.export import Dump
from eskg.model import CitationData, EntityData, RelationData
from eskg.ontology import ESKG
from eskg.provenance import record_graph, statement_graph
from eskg.store.base import Store
from eskg.store.neo4j_codec import to_literal

router = APIRouter(tags=["ids"])
MEDIA = {"html": "text/html", **{f.ext: f.media_type for f in FORMATS.values()}}
BY_MEDIA = {v: k for k, v in MEDIA.items()}
BY_MEDIA.update({"application/json": "jsonld", "application/xhtml+xml": "html"})
BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
HEAD = "# eskg: one entity, its relations and their citations (graphs: ?format=trig)\n"


@dataclass
class Description:
    """What the store says about one IRI."""

    iri: str
    entity: EntityData | None = None
    relations: list[RelationData] = field(default_factory=list)
    citations: dict[str, CitationData] = field(default_factory=dict)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # iri -> lang -> label


def negotiate(accept: str, fmt: str | None) -> str:
    """The answer format: ``?format=`` first, else the best ``Accept`` match, else HTML."""
    if fmt:
        if fmt not in MEDIA:
            raise InvalidInputError(f"unknown format {fmt!r}; use one of {', '.join(MEDIA)}")
        return fmt
    best, best_q = "html", 0.0
    for rank, part in enumerate(accept.split(",")):
        kind, *params = [x.strip().lower() for x in part.split(";")]
        q = next((float(p[2:]) for p in params if p.startswith("q=") and _num(p[2:])), 1.0)
        chosen = BY_MEDIA.get(kind) or ("html" if kind in {"*/*", "text/*"} else None)
        if chosen and q > best_q:
            best, best_q = chosen, q
    return best


def _num(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def describe_iri(store: Store, iri: str) -> Description:
    """Entity (or citation) data, its relations, citations and neighbours' labels."""
    if BAD_IRI.search(iri):
        raise NotFoundError(f"no entity or citation with the IRI {iri} (not a valid IRI)")
    d = Description(iri=iri)
    d.entity = store.entities([iri]).get(iri)
    if d.entity is None:
        d.citations = store.citations([iri])
        if iri not in d.citations:
            raise NotFoundError(f"no entity or citation with the IRI {iri}")
        return d
    d.relations = store.relations([iri]).get(iri, [])
    cits = set(d.entity.citations) | {c for r in d.relations for c in r.citations}
    d.citations = store.citations(sorted(cits))
    others = {r.other for r in d.relations} | {c.document for c in d.citations.values()}
    for other, data in store.entities(sorted(others | {iri})).items():
        d.labels[other] = {lit.lang or "": lit.value for lit in data.values("prefLabel")}
    return d


def quads_of(d: Description, store: Store, settings: Settings) -> list[Quad]:
    """The statements about the IRI, in the graphs the dumps use."""
    onto, base = store.onto, settings.base_iri
    out: list[Quad] = []
    links: list[tuple[str, tuple[str, ...]]] = []
    s = URIRef(d.iri)
    if d.entity is not None:
        g = record_graph(d.iri)
        out += [(s, RDF.type, onto.classes[t].iri, g) for t in d.entity.types]
        out += [(s, onto.properties[n].iri, to_literal(lit), g) for n, lit in d.entity.literals]
        links.append((str(g), tuple(d.entity.citations)))
    for r in d.relations:
        p = onto.properties[r.prop].iri
        subj, obj = (d.iri, r.other) if r.direction == "OUT" else (r.other, d.iri)
        g = statement_graph(base, subj, str(p), obj)
        out.append((URIRef(subj), p, URIRef(obj), g))
        links.append((str(g), r.citations))
    for graph, cits in links:
        out += [(URIRef(graph), ESKG.citation, URIRef(c), None) for c in cits]
    for c in d.citations.values():
        ci = URIRef(c.iri)
        out += [(ci, RDF.type, ESKG.Citation, None), (ci, ESKG.document, URIRef(c.document), None)]
        out += [(ci, ESKG[k], Literal(v), None)
                for k, v in (("locator", c.locator), ("quote", c.quote)) if v is not None]
    return out


def _link(iri: str, base: str, labels: dict[str, dict[str, str]]) -> str:
    names = labels.get(iri, {})
    text = names.get("ja") or names.get("en") or iri.removeprefix(base)
    href = "/id/" + iri[len(base):] if iri.startswith(base) else iri
    return f'<a href="{html.escape(href)}">{html.escape(text)}</a>'


def _cite_html(ids: tuple[str, ...] | list[str], d: Description, base: str) -> str:
    items = []
    for cid in ids:
        c = d.citations.get(cid)
        if c is None:
            continue
        quote = f"<blockquote>{html.escape(c.quote)}</blockquote>" if c.quote else ""
        items.append(f"<li>{_link(c.document, base, d.labels)} — "
                     f"{html.escape(c.locator or '')}{quote}</li>")
    return f'<ul class="sources">{"".join(items)}</ul>' if items else ""


def page(d: Description, store: Store, settings: Settings) -> str:
    """The HTML page (everything escaped)."""
    base, e = settings.base_iri, html.escape
    own = d.labels.get(d.iri, {})
    title = own.get("ja") or own.get("en") or d.iri
    rows: list[str] = [f"<p><code>{e(d.iri)}</code> · "
                       + " · ".join(f'<a href="?format={f}">{f}</a>' for f in FORMATS) + "</p>"]
    if d.entity is None:
        c = d.citations[d.iri]
        rows.append("<h2>Citation</h2>" + _cite_html([d.iri], d, base))
        title = f"citation of {c.document}"
    else:
        rows.append("<p>" + " / ".join(f"{e(lang)}: {e(text)}" for lang, text in sorted(own.items()))
                    + "</p><h2>Types</h2><p>" + ", ".join(
                        e(store.onto.classes[t].labels.get("en", t)) for t in d.entity.types
                    ) + "</p><h2>Properties</h2><table>")
        for name, lit in d.entity.literals:
            tag = f" <small>@{e(lit.lang)}</small>" if lit.lang else ""
            rows.append(f"<tr><th>{e(name)}</th><td>{e(lit.value)}{tag}</td></tr>")
        rows.append("</table><h3>Sources</h3>" + _cite_html(d.entity.citations, d, base))
        rows.append("<h2>Relations</h2><table>")
        for r in d.relations:
            arrow = "→" if r.direction == "OUT" else "←"
            rows.append(f"<tr><th>{e(r.prop)} {arrow}</th><td>{_link(r.other, base, d.labels)}"
                        f"{_cite_html(r.citations, d, base)}</td></tr>")
        rows.append("</table>")
    return (f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{e(title)}'
            "</title><style>body{font-family:sans-serif;max-width:60em;margin:auto}"
            "th{text-align:left;vertical-align:top;padding-right:1em}blockquote{color:#444}"
            f"</style></head><body><h1>{e(title)}</h1>{''.join(rows)}</body></html>")


@router.get("/id/{path:path}", summary="An entity or citation IRI: HTML, Turtle, JSON-LD, ...",
            response_model=None)
async def dereference(path: str, request: Request, format: str | None = None) -> Response:
    settings: Settings = request.app.state.settings
    store: Store = request.app.state.store
    fmt = negotiate(request.headers.get("accept", ""), format)
    iri = settings.base_iri + path
    try:
        d = await run_in_threadpool(describe_iri, store, iri)
    except NotFoundError as exc:
        if fmt != "html":
            raise
        body = (f"<!doctype html><meta charset=utf-8><title>not found</title>"
                f"<h1>Not found</h1><p>{html.escape(exc.message)}</p>")
        return HTMLResponse(body, status_code=404)
    vary = {"Vary": "Accept"}
    if fmt == "html":
        return HTMLResponse(page(d, store, settings), headers=vary)
    dump = Dump(quads=quads_of(d, store, settings), description=[],
                description_graph=URIRef(settings.dataset_iri), source=store.name,
                turtle_head=HEAD)
    return Response(dump.serialize(fmt), media_type=MEDIA[fmt], headers=vary)
