"""Dereferenceable IRIs: ``GET /id/{path}`` describes ``<base_iri><path>``.

Browsers get an HTML page (labels, types, properties, relations linked to their own
``/id/`` pages, and every citation with document, locator and quote); RDF clients get
Turtle, JSON-LD (compacted, see ``api/linked_data.py``), RDF/XML, N-Triples, TriG or N-Quads
by ``Accept`` or ``?format=``; a client accepting none of them gets 406, never HTML. The statements
are the entity's own graph, its relations (both directions) and their citations, in the
same graphs as the dumps. Citation IRIs (``/id/citation/...``) resolve too, and statement graph IRIs
(``/id/stmt/<hash>``) to the statement and its citations.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from rdflib import RDF, Literal, URIRef

from api.conneg import choose
from api.deps import EmbeddedDep, PublicBaseDep, SettingsDep, StoreDep
from api.linked_data import jsonld, rdfxml
from eskg.config import Settings
from eskg.describe import FORMATS, Quad
from eskg.errors import InvalidInputError, NotFoundError
from eskg.export import Dump
from eskg.model import CitationData, EntityData, RelationData
from eskg.ontology import ESKG
from eskg.provenance import record_graph, statement_graph
from eskg.store.base import Store
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j_codec import to_literal
from eskg.vocab import LABEL

router = APIRouter(tags=["ids"])
MEDIA = {
    "html": "text/html",
    **{f.ext: f.media_type for f in FORMATS.values()},
    "rdf": "application/rdf+xml",
}
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
    """The answer format: ``?format=`` first, else the best ``Accept`` match (HTML for
    ``*/*``); a client that accepts only types we cannot write gets 406, never HTML."""
    if fmt:
        if fmt not in MEDIA:
            raise InvalidInputError(f"unknown format {fmt!r}; use one of {', '.join(MEDIA)}")
        return fmt
    offers = list(dict.fromkeys(MEDIA.values())) + ["application/json", "application/xhtml+xml"]
    return BY_MEDIA[choose(accept, offers, "this IRI")]


def describe_iri(store: Store, iri: str) -> Description:
    """Entity (or citation) data, its relations, citations and neighbours' labels."""
    if BAD_IRI.search(iri):
        raise NotFoundError(f"no entity or citation with the IRI {iri} (not a valid IRI)")
    d = Description(iri=iri)
    d.entity = store.entities([iri]).get(iri)
    if d.entity is None:
        d.citations = store.citations([iri])
        if iri not in d.citations:
            raise NotFoundError(f"no entity, citation or statement graph with the IRI {iri}")
        return d
    d.relations = store.relations([iri]).get(iri, [])
    cits = set(d.entity.citations) | {c for r in d.relations for c in r.citations}
    d.citations = store.citations(sorted(cits))
    others = {r.other for r in d.relations} | {c.document for c in d.citations.values()}
    for other, data in store.entities(sorted(others | {iri})).items():
        d.labels[other] = {lit.lang or "": lit.value for lit in data.values(LABEL)}
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
        out += [
            (ci, ESKG[k], Literal(v), None)
            for k, v in (("locator", c.locator), ("quote", c.quote))
            if v is not None
        ]
    return out


def _link(iri: str, base: str, labels: dict[str, dict[str, str]]) -> str:
    names = labels.get(iri, {})
    text = names.get("ja") or names.get("en") or iri.removeprefix(base)
    href = "/id/" + iri[len(base) :] if iri.startswith(base) else iri
    return f'<a href="{html.escape(href)}">{html.escape(text)}</a>'


def _cite_html(ids: tuple[str, ...] | list[str], d: Description, base: str) -> str:
    items = []
    for cid in ids:
        c = d.citations.get(cid)
        if c is None:
            continue
        quote = f"<blockquote>{html.escape(c.quote)}</blockquote>" if c.quote else ""
        items.append(
            f"<li>{_link(c.document, base, d.labels)} — {html.escape(c.locator or '')}{quote}</li>"
        )
    return f'<ul class="sources">{"".join(items)}</ul>' if items else ""


def page(d: Description, store: Store, settings: Settings) -> str:
    """The HTML page (everything escaped)."""
    base, e = settings.base_iri, html.escape
    own = d.labels.get(d.iri, {})
    title = own.get("ja") or own.get("en") or d.iri
    rows: list[str] = [
        f"<p><code>{e(d.iri)}</code> · "
        + " · ".join(f'<a href="?format={f}">{f}</a>' for f in FORMATS)
        + "</p>"
    ]
    if d.entity is None:
        c = d.citations[d.iri]
        rows.append("<h2>Citation</h2>" + _cite_html([d.iri], d, base))
        title = f"citation of {c.document}"
    else:
        rows.append(
            "<p>"
            + " / ".join(f"{e(lang)}: {e(text)}" for lang, text in sorted(own.items()))
            + "</p><h2>Types</h2><p>"
            + ", ".join(e(store.onto.classes[t].labels.get("en", t)) for t in d.entity.types)
            + "</p><h2>Properties</h2><table>"
        )
        for name, lit in d.entity.literals:
            tag = f" <small>@{e(lit.lang)}</small>" if lit.lang else ""
            rows.append(f"<tr><th>{e(name)}</th><td>{e(lit.value)}{tag}</td></tr>")
        rows.append("</table><h3>Sources</h3>" + _cite_html(d.entity.citations, d, base))
        rows.append("<h2>Relations</h2><table>")
        for r in d.relations:
            arrow = "→" if r.direction == "OUT" else "←"
            rows.append(
                f"<tr><th>{e(r.prop)} {arrow}</th><td>{_link(r.other, base, d.labels)}"
                f"{_cite_html(r.citations, d, base)}</td></tr>"
            )
        rows.append("</table>")
    return (
        f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>{e(title)}'
        "</title><style>body{font-family:sans-serif;max-width:60em;margin:auto}"
        "th{text-align:left;vertical-align:top;padding-right:1em}blockquote{color:#444}"
        f"</style></head><body><h1>{e(title)}</h1>{''.join(rows)}</body></html>"
    )


@router.get(
    "/id/{path:path}",
    summary="An entity or citation IRI: HTML, Turtle, JSON-LD, ...",
    response_model=None,
)
async def dereference(
    path: str,
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    embedded: EmbeddedDep,
    base: PublicBaseDep,
    format: str | None = None,
) -> Response:
    fmt = negotiate(request.headers.get("accept", ""), format)
    iri = settings.base_iri + path
    try:
        if path.startswith("stmt/"):
            stmt = await run_in_threadpool(describe_statement, embedded, iri)
            return _rdf_response(stmt, fmt, base, settings, store)
        d = await run_in_threadpool(describe_iri, store, iri)
    except NotFoundError as exc:
        if fmt != "html":
            raise
        body = (
            f"<!doctype html><meta charset=utf-8><title>not found</title>"
            f"<h1>Not found</h1><p>{html.escape(exc.message)}</p>"
        )
        return HTMLResponse(body, status_code=404)
    if fmt == "html":
        return HTMLResponse(page(d, store, settings), headers={"Vary": "Accept"})
    return _rdf_response(quads_of(d, store, settings), fmt, base, settings, store)


def describe_statement(embedded: EmbeddedStore | None, graph: str) -> list[Quad]:
    """A relation's statement graph: its statement (in the graph) and its citations (in the
    default graph, as the dumps have them). Read from the embedded store, which every
    served app keeps (beside Neo4j too)."""
    if embedded is None or BAD_IRI.search(graph):
        raise NotFoundError(f"no statement graph with the IRI {graph}")
    g = URIRef(graph)
    quads = statement_quads(embedded, graph)
    if not quads:
        raise NotFoundError(f"no statement graph with the IRI {graph}")
    cited = [r["c"] for r in embedded.rows("graph_citations", {"graph": g}) if r.get("c")]
    citations = embedded.citations([str(c) for c in cited])
    quads += [(g, ESKG.citation, URIRef(c), None) for c in citations]
    for c in citations.values():
        ci = URIRef(c.iri)
        quads += [
            (ci, RDF.type, ESKG.Citation, None),
            (ci, ESKG.document, URIRef(c.document), None),
        ]
        quads += [
            (ci, ESKG[k], Literal(v), None)
            for k, v in (("locator", c.locator), ("quote", c.quote))
            if v is not None
        ]
    return quads


def statement_quads(embedded: EmbeddedStore, graph: str) -> list[Quad]:
    """The quads of one graph; the store's iterator lives and ends in this frame (it must be
    dropped on the thread that made it)."""
    g = URIRef(graph)
    return [
        (URIRef(q.subject.value), URIRef(q.predicate.value), URIRef(q.object.value), g)
        for q in embedded.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
        if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode)
    ]


def _rdf_response(
    quads: list[Quad], fmt: str, base: str, settings: Settings, store: Store
) -> Response:
    vary = {"Vary": "Accept"}
    if fmt == "html":  # a statement graph has no page of its own: its Turtle, as text
        fmt = "ttl"
    if fmt == "jsonld":
        body = jsonld(quads, settings, base + "/context.jsonld")
        return Response(body, media_type=MEDIA[fmt], headers=vary)
    if fmt == "rdf":
        return Response(rdfxml(quads), media_type=MEDIA[fmt], headers=vary)
    dump = Dump(
        quads=quads,
        description=[],
        description_graph=URIRef(settings.dataset_iri),
        source=store.name,
        turtle_head=HEAD,
    )
    return Response(dump.serialize(fmt), media_type=MEDIA[fmt], headers=vary)
