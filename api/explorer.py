"""The graph explorer page: ``/`` and its built assets under ``/explorer/``.

The page is a static bundle (``frontend/`` built with esbuild into ``api/static/explorer/``,
committed so ``pip install`` is enough); it talks to the public GraphQL API only.
Rebuild with ``cd frontend && npm ci && npm run build`` (see docs/explorer.md).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

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


@router.get("/", include_in_schema=False)
async def explorer_page() -> FileResponse:
    """The explorer; its state (entity, expanded nodes, date, view) is in the query string."""
    return _file("index.html")


@router.get("/explorer/{name:path}", include_in_schema=False)
async def explorer_asset(name: str) -> FileResponse:
    """A built asset of the explorer (script, stylesheet)."""
    return _file(name)
