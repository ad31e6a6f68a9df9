"""HTTP on every route: HEAD, a full ``Allow`` on 405, OPTIONS, CORS, and the HTTP parser.

* **HEAD** is answered on every GET route as GET is, without the body (FastAPI's routes
  list GET only, so Starlette answered HEAD with 405).
* **405**: Starlette's ``Allow`` names the methods of the first route matching the path,
  so ``PUT /graphql`` said ``Allow: GET`` although POST works. A 405 is answered here with
  every method of every route on the path, plus HEAD (with GET) and OPTIONS.
* **OPTIONS** without CORS preflight headers answers 204 with the same ``Allow``.
* **CORS** (``ESKG_CORS_ORIGINS``): preflights accept GET, HEAD, POST and any request
  header (YASGUI and other browser clients send their own), and responses expose the
  project's headers (``EXPOSED_HEADERS``) to the page's script.
* **HTTP parser**: uvicorn's default (httptools) takes ``Connection: Upgrade`` with
  ``Upgrade: h2c`` (sent by Java's ``HttpClient`` and ``curl --http2``) as the end of the
  request and drops its body, so every POST of those clients arrived empty. h11 parses
  the body and answers HTTP/1.1; ``eskg serve`` runs uvicorn with it (``UVICORN_HTTP``).
  The cost is measured in docs/http.md.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: uvicorn's HTTP/1.1 implementation for ``eskg serve`` (see the module docstring).
UVICORN_HTTP = "h11"

#: Response headers of this project a cross-origin page's script may read. Every
#: ``x-eskg-*`` header the API sets must be listed (a test checks the sources).
EXPOSED_HEADERS = (
    "x-eskg-cache",
    "x-eskg-executor",
    "x-eskg-version",
    "x-eskg-results-truncated",
    "etag",
    "retry-after",
    "content-disposition",
    "allow",
)
#: Methods a cross-origin request may use (the API serves nothing else).
CORS_METHODS = ("GET", "HEAD", "POST")


#: Methods probed for ``Allow`` (what a route can be declared with).
_PROBED = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _full(route: BaseRoute, scope: Scope, method: str) -> bool:
    match, _ = route.matches({**scope, "type": "http", "method": method})
    return match is Match.FULL


def allowed_methods(routes: list[BaseRoute], scope: Scope) -> set[str]:
    """Every method some route answers on this request's path (empty: no route has it).

    Each route is asked whether it fully matches the path with each method, so routers
    nested by ``include_router`` answer for their routes; a route matching even a method
    nobody declares (a mount) says nothing about methods and is left out.
    """
    methods: set[str] = set()
    for route in routes:
        if _full(route, scope, "BREW"):
            continue
        methods.update(m for m in _PROBED if _full(route, scope, m))
    if methods:
        if "GET" in methods:
            methods.add("HEAD")
        methods.add("OPTIONS")
    return methods


def _allow(methods: set[str]) -> bytes:
    order = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    return ", ".join(
        sorted(methods, key=lambda m: (order.index(m) if m in order else 99, m))
    ).encode()


class HttpMethods:
    """ASGI middleware: HEAD as GET without a body, full ``Allow`` on 405, plain OPTIONS."""

    def __init__(self, app: ASGIApp, routes: list[BaseRoute]) -> None:
        self.app = app
        self.routes = routes  # the application's route list (complete by the first request)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method == "HEAD":
            await self._head(scope, receive, send)
            return
        if method == "OPTIONS":
            methods = allowed_methods(self.routes, scope)
            if methods:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 204,
                        "headers": [(b"allow", _allow(methods))],
                    }
                )
                await send({"type": "http.response.body", "body": b""})
                return
        await self.app(scope, receive, self._full_allow(scope, send))

    async def _head(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def bodiless(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        # The GET route answers; its headers (Content-Length included) are kept.
        await self.app({**scope, "method": "GET"}, receive, self._full_allow(scope, bodiless))

    def _full_allow(self, scope: Scope, send: Send) -> Send:
        replaced = False

        async def sending(message: Message) -> None:
            nonlocal replaced
            if replaced:  # the router's own 405 body: ours went instead
                return
            if message["type"] == "http.response.start" and message["status"] == 405:
                methods = allowed_methods(self.routes, scope)
                if methods:
                    replaced = True
                    await self._refuse(scope, methods, send)
                    return
            await send(message)

        return sending

    @staticmethod
    async def _refuse(scope: Scope, methods: set[str], send: Send) -> None:
        allow = _allow(methods)
        error: dict[str, Any] = {
            "error": f"{scope['method']} is not allowed on {scope['path']}; use {allow.decode()}"
        }
        body = b"" if scope["method"] == "HEAD" else json.dumps(error).encode()
        length = len(json.dumps(error).encode()) if scope["method"] == "HEAD" else len(body)
        await send(
            {
                "type": "http.response.start",
                "status": 405,
                "headers": [
                    (b"allow", allow),
                    (b"content-type", b"application/json"),
                    (b"content-length", str(length).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def cors_options(origins: list[str]) -> dict[str, Any]:
    """Keyword arguments for Starlette's ``CORSMiddleware`` with these origins."""
    return {
        "allow_origins": origins,
        "allow_methods": list(CORS_METHODS),
        # A preflight asking for any header is allowed: the API reads none that could
        # widen access (no cookies, no credentials), and clients send their own.
        "allow_headers": ["*"],
        "expose_headers": list(EXPOSED_HEADERS),
        "max_age": 600,
    }
