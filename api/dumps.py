"""RDF dumps over HTTP: ``/dumps/`` lists them, ``/dumps/eskg.<ext>`` serves each one,
``/.well-known/void`` returns the DCAT/VoID description.

The dumps are the same bytes ``eskg export`` writes, made from the store the app serves
(Neo4j or embedded). An export is reused for ``dumps_cache_seconds``; each response
carries the dataset version in ``X-ESKG-Version`` and as its ``ETag``.
"""

from __future__ import annotations

import html
import threading
import time
from dataclasses import replace
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response
from rdflib import URIRef

from api.addresses import public_base
from api.conneg import choose
from eskg.config import Settings
from eskg.describe import FORMATS, public_address
from eskg.errors import NotFoundError
from eskg.export import ALL_PREFIXES, Dump, export_store, to_ox
from eskg.store.base import Store

router = APIRouter(tags=["dumps"])
_lock = threading.Lock()

DESCRIPTION_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
}


def current_dump(state: Any, base: str | None = None) -> Dump:
    """The export of the app's store, made again when older than the cache time, with its
    description naming /sparql and /dumps/ under ``base`` (the address the request came to)
    unless ``ESKG_PUBLIC_URL`` is set."""
    settings: Settings = state.settings
    store: Store = state.store
    with _lock:
        cached: tuple[float, Dump] | None = getattr(state, "eskg_dump", None)
        if not (cached and time.monotonic() - cached[0] < settings.dumps_cache_seconds):
            cached = (time.monotonic(), export_store(store, settings))
            state.eskg_dump = cached
            state.eskg_rebased = {}
        dump = cached[1]
        if base is None or settings.public_url:
            return dump
        rebased: dict[str, Dump] = state.eskg_rebased
        if base not in rebased:
            if len(rebased) > 8:  # a few addresses (localhost, the LAN name) at most
                rebased.clear()
            rebased[base] = rebase(dump, public_address(settings), base)
        return rebased[base]


def rebase(dump: Dump, old: str, new: str) -> Dump:
    """The dump with the description's addresses under ``old`` moved under ``new``."""
    if old == new:
        return dump

    def move(term: Any) -> Any:
        text = str(term)
        if isinstance(term, URIRef) and (text == old or text.startswith(old + "/")):
            return URIRef(new + text[len(old) :])
        return term

    description = [(move(s), p, move(o)) for s, p, o in dump.description]
    return replace(dump, description=description, _cache={})


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept")
    return choose(accept, ["application/json", "text/html"], "the list of dumps") == "text/html"


@router.get("/dumps/", summary="The RDF dumps of the dataset, one per format", response_model=None)
async def list_dumps(request: Request) -> Response:
    rows = [
        {
            "file": f"eskg.{f.ext}",
            "url": f"/dumps/eskg.{f.ext}",
            "media_type": f.media_type,
            "format": f.title,
            "named_graphs": f.quads,
        }
        for f in FORMATS.values()
    ]
    body = {
        "dataset": request.app.state.settings.dataset_iri,
        "description": "/.well-known/void",
        "sparql": "/sparql",
        "dumps": rows,
    }
    if not _wants_html(request):
        return JSONResponse(body)
    items = "".join(
        f'<li><a href="{html.escape(str(r["url"]))}">{html.escape(str(r["file"]))}</a> '
        f"{html.escape(str(r['format']))} ({html.escape(str(r['media_type']))})"
        f"{' — named graphs, complete provenance' if r['named_graphs'] else ''}</li>"
        for r in rows
    )
    page = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>eskg dumps</title>'
        "</head><body><h1>eskg: RDF dumps</h1><ul>" + items + "</ul>"
        '<p>Description (DCAT/VoID): <a href="/.well-known/void">/.well-known/void</a>. '
        'SPARQL: <a href="/sparql">/sparql</a>. Licence: '
        f'<a href="{html.escape(request.app.state.settings.data_license)}">'
        f"{html.escape(request.app.state.settings.data_license)}</a>.</p></body></html>"
    )
    return HTMLResponse(page)


@router.get("/dumps/{name}", summary="One dump: eskg.nq, eskg.trig, eskg.jsonld, eskg.ttl, eskg.nt")
async def get_dump(name: str, request: Request) -> Response:
    stem, _, ext = name.partition(".")
    if stem != "eskg" or ext not in FORMATS:
        raise NotFoundError(
            f"no dump named {name!r}; available: "
            + ", ".join(f"eskg.{e}" for e in FORMATS)
            + " (listed at /dumps/)"
        )
    dump = await run_in_threadpool(current_dump, request.app.state, public_base(request))
    etag = f'"{dump.version}-{ext}"'
    headers = {
        "X-ESKG-Version": dump.version,
        "ETag": etag,
        "Content-Disposition": f'inline; filename="eskg.{ext}"',
    }
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    data = await run_in_threadpool(dump.serialize, ext)
    return Response(data, media_type=FORMATS[ext].media_type, headers=headers)


def negotiate_description(accept: str) -> str:
    """The media type of the description: Turtle unless JSON-LD or N-Triples is preferred."""
    return choose(accept, list(DESCRIPTION_TYPES), "the dataset description")


@router.get("/.well-known/void", summary="The DCAT/VoID description of the dataset")
async def void(request: Request) -> Response:
    dump = await run_in_threadpool(current_dump, request.app.state, public_base(request))
    media = negotiate_description(request.headers.get("accept", ""))
    fmt = DESCRIPTION_TYPES[media]
    triples = [
        ox.Triple(to_ox(s), to_ox(p), to_ox(o))  # type: ignore[arg-type]
        for s, p, o in sorted(dump.description, key=lambda t: (str(t[0]), str(t[1])))
    ]
    prefixes = ALL_PREFIXES if fmt == ox.RdfFormat.TURTLE else None
    data = ox.serialize(triples, format=fmt, prefixes=prefixes)
    return Response(data, media_type=media, headers={"X-ESKG-Version": dump.version})
