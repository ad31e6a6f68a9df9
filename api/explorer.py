"""The graph explorer page: ``/`` and its built assets under ``/explorer/``.

The page is a static bundle (``frontend/`` built with esbuild into ``api/static/explorer/``,
committed so ``pip install`` is enough); it talks to the public GraphQL API only.
Rebuild with ``cd frontend && npm ci && npm run build`` (see docs/explorer.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
from fastapi import APIRouter, HTTPException
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, Response

from api.deps import EmbeddedDep, PublicBaseDep, SettingsDep
from api.linked_data import dataset_jsonld
from eskg.store.embedded import EmbeddedStore

STATIC = Path(__file__).resolve().parent / "static" / "explorer"
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".map": "application/json",
}

router = APIRouter(tags=["explorer"])


def _file(name: str) -> FileResponse:
    path = (STATIC / name).resolve()
    if STATIC not in path.parents or not path.is_file() or path.suffix not in _TYPES:
        raise HTTPException(status_code=404, detail="not found")
    # The bundle's name does not change between builds: revalidate rather than cache blindly.
    return FileResponse(path, media_type=_TYPES[path.suffix], headers={"Cache-Control": "no-cache"})


_PERIOD = (
    "SELECT (MIN(?d) AS ?first) (MAX(?d) AS ?last) WHERE { GRAPH ?g { ?s ?p ?d } "
    "FILTER(DATATYPE(?d) = <http://www.w3.org/2001/XMLSchema#date>) }"
)


def data_period(embedded: EmbeddedStore | None) -> tuple[str, str] | None:
    """The first and last date the data states (read from the embedded store, if any)."""
    if embedded is None:
        return None
    result = embedded.store.query(_PERIOD)
    if isinstance(result, ox.QuerySolutions):
        for row in result:
            first, last = row["first"], row["last"]
            if first is not None and last is not None:
                return (first.value, last.value)
    return None


@router.get("/", include_in_schema=False)
async def explorer_page(
    settings: SettingsDep, embedded: EmbeddedDep, base: PublicBaseDep
) -> Response:
    """The explorer; its state (entity, expanded nodes, date, view) is in the query string.
    The page carries the schema.org ``Dataset`` description (JSON-LD) in its head, so
    dataset search engines index it."""
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    period = await run_in_threadpool(data_period, embedded)
    about = dataset_jsonld(settings, base, period)
    script = (
        '<script type="application/ld+json">'
        + json.dumps(about, ensure_ascii=False).replace("</", "<\\/")
        + "</script>"
    )
    page = page.replace("</head>", script + "</head>", 1)
    return HTMLResponse(page, headers={"Cache-Control": "no-cache"})


@router.get("/explorer/{name:path}", include_in_schema=False)
async def explorer_asset(name: str) -> FileResponse:
    """A built asset of the explorer (script, stylesheet)."""
    return _file(name)
