"""GraphQL over HTTP media types and status codes, in front of every GraphQL answer.

The GraphQL over HTTP draft defines two response media types:

* ``application/graphql-response+json``, when the client's ``Accept`` prefers it (Apollo
  Client, urql, graphql-http's client): status codes mean something. A request error
  (the operation never ran: syntax, validation, a limit, variables that do not coerce)
  is 400 with no ``data`` entry; a field error is 200; a store that is down is 503.
* ``application/json``, when the client names it and not the other: the legacy form,
  where the spec asks for 200 on every well-formed request, request errors included, as
  clients written before it expect.
* A client that names neither (``*/*``, no ``Accept``: curl, scripts) gets
  ``application/json`` with the status codes of the first form: this project promises a
  clear 4xx for bad input (docs/bad-inputs.md), and these clients read status codes.

strawberry, the compiled path and the response cache all answer ``application/json``
with the first form's status codes (``api.app.graphql_status``); this middleware, outside
them all, sets the media type, drops ``data`` from request errors in the first form (the
GraphQL spec's 7.1.2; the other forms keep strawberry's ``"data": null``, which clients of
this API already read) and turns a request error's 400 into 200 for the legacy form.
Responses carry ``Vary: Accept``.
"""

from __future__ import annotations

import json
from enum import Enum

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.conneg import parse_accept

#: The path GraphQL is served at; every layer that treats GraphQL requests apart reads it here.
GRAPHQL_PATH = "/graphql"
GRAPHQL_RESPONSE = b"application/graphql-response+json"
JSON = b"application/json"


class Form(Enum):
    """How a GraphQL answer is framed for this request's ``Accept``."""

    GRAPHQL_RESPONSE = "application/graphql-response+json"
    LEGACY_JSON = "application/json (named)"
    DEFAULT_JSON = "application/json (*/* or no Accept)"


def negotiate(accept: str | None) -> Form:
    """The form an ``Accept`` header asks for (ties go to graphql-response+json); the
    header is read by the API's one negotiator (``api.conneg.parse_accept``)."""
    named = {r.media: r.q for r in reversed(parse_accept(accept)) if r.specificity == 2}
    graphql = named.get(GRAPHQL_RESPONSE.decode(), -1.0)
    json_q = named.get(JSON.decode(), -1.0)
    if graphql > 0 and graphql >= json_q:
        return Form.GRAPHQL_RESPONSE
    if json_q > 0:
        return Form.LEGACY_JSON
    return Form.DEFAULT_JSON


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    return next((v for k, v in headers if k == name), None)


class GraphQLMediaType:
    """ASGI middleware: frames ``path``'s JSON answers per ``negotiate``."""

    def __init__(self, app: ASGIApp, path: str = GRAPHQL_PATH) -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        accept = _header(scope.get("headers", []), b"accept")
        form = negotiate(accept.decode("latin-1") if accept is not None else None)
        held: Message | None = None  # a 400's start, until its body says what it is
        chunks: list[bytes] = []

        async def framing(message: Message) -> None:
            nonlocal held
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                content_type = _header(headers, b"content-type") or b""
                if not content_type.startswith(JSON):
                    await send(_vary(message))
                    return
                if form is Form.GRAPHQL_RESPONSE:
                    headers = _replace(
                        headers, b"content-type", GRAPHQL_RESPONSE + b"; charset=utf-8"
                    )
                message = _vary({**message, "headers": headers})
                if message["status"] == 400:
                    held = message
                    return
                await send(message)
                return
            if held is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            start, body = _request_error(held, b"".join(chunks), form)
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, framing)


def _replace(
    headers: list[tuple[bytes, bytes]], name: bytes, value: bytes
) -> list[tuple[bytes, bytes]]:
    return [(k, v) for k, v in headers if k != name] + [(name, value)]


def _vary(message: Message) -> Message:
    headers = list(message.get("headers", []))
    vary = _header(headers, b"vary")
    if vary is None:
        headers.append((b"vary", b"Accept"))
    elif b"accept" not in vary.lower():
        headers = _replace(headers, b"vary", vary + b", Accept")
    return {**message, "headers": headers}


def _request_error(start: Message, body: bytes, form: Form) -> tuple[Message, bytes]:
    """A 400 JSON answer reframed: a GraphQL request error loses ``data`` in the
    graphql-response form and is 200 in the legacy form; any other 400 goes out unchanged."""
    try:
        result = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return start, body
    if not isinstance(result, dict) or "errors" not in result or result.get("data") is not None:
        return start, body
    if form is Form.DEFAULT_JSON:
        return start, body
    if form is Form.GRAPHQL_RESPONSE:
        result.pop("data", None)
    body = json.dumps(result, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    headers = _replace(list(start.get("headers", [])), b"content-length", str(len(body)).encode())
    status = 200 if form is Form.LEGACY_JSON else 400
    return {**start, "status": status, "headers": headers}, body
