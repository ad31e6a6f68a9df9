"""GraphiQL at ``/graphql`` (for browsers) and its built assets under ``/graphiql/``.

strawberry's own GraphiQL page loads React and GraphiQL from a CDN, so it stays blank on
a closed network. This page is a static bundle instead, the way the explorer is one:
``frontend/graphiql/`` (GraphiQL, React and graphql-js from npm, versions locked) built with
esbuild into ``api/static/graphiql/`` and committed, so ``pip install`` is enough and the
page calls nothing but this server. Rebuild with
``cd frontend/graphiql && npm ci && npm run build`` (see docs/http.md).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

STATIC = Path(__file__).resolve().parent / "static" / "graphiql"
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}

router = APIRouter(tags=["graphiql"])


def page() -> HTMLResponse:
    """The GraphiQL page (``GET /graphql`` from a browser: Accept text/html, no query)."""
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    return HTMLResponse(html, headers={"Cache-Control": "no-cache"})


@router.get("/graphiql/{name:path}", include_in_schema=False)
async def graphiql_asset(name: str) -> FileResponse:
    """A built asset of the GraphiQL page (script, stylesheet, licences)."""
    path = (STATIC / name).resolve()
    if STATIC not in path.parents or not path.is_file() or path.suffix not in _TYPES:
        raise HTTPException(status_code=404, detail="not found")
    # The bundle's name does not change between builds: revalidate rather than cache blindly.
    return FileResponse(path, media_type=_TYPES[path.suffix], headers={"Cache-Control": "no-cache"})
