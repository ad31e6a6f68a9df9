"""RDF dumps over HTTP: ``/dumps/`` lists them, ``/dumps/eskg.<ext>`` serves each one,
``/.well-known/void`` returns the DCAT/VoID description.

The dumps are the same bytes ``eskg export`` writes, made from the store the app serves
(Neo4j or embedded). An export is reused for ``dumps_cache_seconds``; each response
carries the dataset version in ``X-ESKG-Version`` and as its ``ETag``.
"""

from __future__ import annotations

import html

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.conneg import choose
from api.deps import DumpsDep, PublicBaseDep, SettingsDep
from eskg.describe import FORMATS
from eskg.errors import NotFoundError
from eskg.export import ALL_PREFIXES, to_ox

router = APIRouter(tags=["dumps"])

DESCRIPTION_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
}


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept")
    return choose(accept, ["application/json", "text/html"], "the list of dumps") == "text/html"


@router.get("/dumps/", summary="The RDF dumps of the dataset, one per format", response_model=None)
async def list_dumps(request: Request, settings: SettingsDep) -> Response:
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
        "dataset": settings.dataset_iri,
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
        f'<a href="{html.escape(settings.data_license)}">'
        f"{html.escape(settings.data_license)}</a>.</p></body></html>"
    )
    return HTMLResponse(page)


@router.get("/dumps/{name}", summary="One dump: eskg.nq, eskg.trig, eskg.jsonld, eskg.ttl, eskg.nt")
async def get_dump(name: str, request: Request, dumps: DumpsDep, base: PublicBaseDep) -> Response:
    stem, _, ext = name.partition(".")
    if stem != "eskg" or ext not in FORMATS:
        raise NotFoundError(
            f"no dump named {name!r}; available: "
            + ", ".join(f"eskg.{e}" for e in FORMATS)
            + " (listed at /dumps/)"
        )
    dump = await run_in_threadpool(dumps.current, base)
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
async def void(request: Request, dumps: DumpsDep, base: PublicBaseDep) -> Response:
    dump = await run_in_threadpool(dumps.current, base)
    media = negotiate_description(request.headers.get("accept", ""))
    fmt = DESCRIPTION_TYPES[media]
    triples = [
        ox.Triple(to_ox(s), to_ox(p), to_ox(o))  # type: ignore[arg-type]
        for s, p, o in sorted(dump.description, key=lambda t: (str(t[0]), str(t[1])))
    ]
    prefixes = ALL_PREFIXES if fmt == ox.RdfFormat.TURTLE else None
    data = ox.serialize(triples, format=fmt, prefixes=prefixes)
    return Response(data, media_type=media, headers={"X-ESKG-Version": dump.version})
