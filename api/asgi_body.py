"""The request body, read once: ``RequestBody`` reads it within the size limit, the layers
inside it take it from the scope (``body_of``), and the app gets it through ``receive``.

The response cache keys on the body and the compiled executor parses it; before this
layer each of them read the body and replayed it to the next, and the size limit was a
third layer counting the same bytes. Now the body is read here, once, for every HTTP
request, and the layers inside never call ``receive`` for it.

Over ``ESKG_MAX_BODY_BYTES`` the request is refused with 413 before anything parses it: a
declared ``Content-Length`` over the limit at once, without reading; a streamed (chunked)
body as soon as the bytes received pass the limit.
"""

from __future__ import annotations

from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Where ``RequestBody`` leaves the body in the ASGI scope (a namespaced extension key).
_SCOPE_KEY = "eskg.body"


def body_of(scope: Scope) -> bytes:
    """The request body ``RequestBody`` read for this request.

    Raises ``LookupError`` when no ``RequestBody`` layer is outside the caller: a layer
    that needs the body must be added inside it (``api.app.create_app`` does)."""
    body: bytes | None = scope.get(_SCOPE_KEY)
    if body is None:
        raise LookupError(
            "no request body in the ASGI scope: add this middleware inside "
            "api.asgi_body.RequestBody, which reads the body once for every layer"
        )
    return body


def too_large_message(limit: int) -> str:
    """What a client sending a body over ``limit`` bytes is told."""
    return f"request body over the {limit}-byte limit (ESKG_MAX_BODY_BYTES)"


class _TooLarge(Exception):
    """The body grew past the limit while it was read."""


async def _read(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None when the client went away first; ``_TooLarge`` past
    ``limit`` bytes (reading stops there)."""
    chunks: list[bytes] = []
    seen = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunk = message.get("body", b"")
        seen += len(chunk)
        if seen > limit:
            raise _TooLarge()
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class RequestBody:
    """ASGI middleware: reads each HTTP request's body once, within ``limit`` bytes (413
    past it), puts it in the scope for the layers inside (``body_of``) and gives it to
    the app through ``receive``, followed by the client's own messages (a disconnect)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def _refuse(self, send: Send) -> None:
        body = JSONResponse({"error": too_large_message(self.limit)}, status_code=413)
        await send({"type": "http.response.start", "status": 413, "headers": body.raw_headers})
        await send({"type": "http.response.body", "body": body.body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.limit:
            await self._refuse(send)
            return
        try:
            body = await _read(receive, self.limit)
        except _TooLarge:
            await self._refuse(send)
            return
        if body is None:  # the client went away: nobody to answer
            return
        given = False

        async def replay() -> Message:
            nonlocal given
            if given:
                return await receive()
            given = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app({**scope, _SCOPE_KEY: body}, replay, send)
