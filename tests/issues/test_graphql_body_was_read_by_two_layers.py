"""Issue 18: a GraphQL request body was read and replayed by two ASGI layers.

The response cache read the whole body (its key) and replayed it to the compiled
executor, which read it again (its input) and replayed it to strawberry, while a third
layer counted the same bytes for the size limit. Now ``api.asgi_body.RequestBody`` reads
it once, within the limit, and the layers inside take it from the scope: none of them
calls ``receive``, only the app (strawberry) does, and it gets the body whole.

The app is driven through ASGI with a client that sends the body in chunks and counts
the messages asked of it; two counting layers are put into the app's own middleware
stack, one just inside ``RequestBody`` (every ``receive`` the layers inside make) and one
around the routes (the app's own).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.app import create_app
from api.asgi_body import RequestBody, body_of
from eskg.config import Settings
from eskg.store.embedded import EmbeddedStore

#: Answered by the compiled executor (``x-eskg-executor: compiled``).
COMPILED = "query Magnets($m: ID!) { measuresCoveringMaterial(material: $m) { measure { id } } }"
VARIABLES = {"m": "material/permanent-magnets"}


@dataclass
class Counted:
    """``receive`` calls that crossed one point of the stack."""

    calls: int = 0


class CountReceive:
    """ASGI middleware counting the ``receive`` calls made by everything inside it."""

    def __init__(self, app: ASGIApp, counted: Counted) -> None:
        self.app = app
        self.counted = counted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def counting() -> Message:
            self.counted.calls += 1
            return await receive()

        await self.app(scope, counting, send)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    #: messages the client was asked for while the request ran
    client_calls: int


@dataclass
class Stack:
    app: FastAPI
    inside_body: Counted = field(default_factory=Counted)
    app_own: Counted = field(default_factory=Counted)


def _stack(settings: Settings, store: EmbeddedStore) -> Stack:
    """The app of ``create_app`` with the two counting layers put into its stack."""
    app = create_app(settings, store)
    stack = Stack(app)
    layers = app.user_middleware  # outermost first; the stack is built at the first call
    at = next(i for i, m in enumerate(layers) if m.cls is RequestBody)  # type: ignore[comparison-overlap]
    layers.insert(at + 1, Middleware(CountReceive, counted=stack.inside_body))
    layers.append(Middleware(CountReceive, counted=stack.app_own))
    return stack


def _request(
    app: ASGIApp, chunks: list[bytes], headers: list[tuple[bytes, bytes]], method: str = "POST"
) -> Answer:
    """One request, its body sent in ``chunks``; run on an event loop of its own."""

    async def scenario() -> Answer:
        pending: Iterator[bytes] = iter(chunks)
        left = len(chunks)
        calls = 0
        done = asyncio.Event()
        sent: list[Message] = []

        async def receive() -> Message:
            nonlocal calls, left
            calls += 1
            if left == 0:  # the body is all sent: the client waits, then hangs up
                await done.wait()
                return {"type": "http.disconnect"}
            left -= 1
            return {"type": "http.request", "body": next(pending), "more_body": left > 0}

        async def send(message: Message) -> None:
            sent.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                done.set()

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": "/graphql",
            "raw_path": b"/graphql",
            "root_path": "",
            "query_string": b"",
            "headers": [(b"host", b"testserver"), *headers],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
        }
        await app(scope, receive, send)
        start = sent[0]
        return Answer(
            start["status"],
            {k.decode(): v.decode() for k, v in start["headers"]},
            b"".join(m.get("body", b"") for m in sent[1:]),
            calls,
        )

    with ThreadPoolExecutor(1, thread_name_prefix="test-loop") as pool:
        return pool.submit(asyncio.run, scenario()).result()


def _chunks(payload: dict[str, Any], size: int = 7) -> list[bytes]:
    raw = json.dumps(payload).encode()
    return [raw[i : i + size] for i in range(0, len(raw), size)]


JSON = [(b"content-type", b"application/json")]


@pytest.fixture()
def stack(settings: Settings, embedded: EmbeddedStore) -> Stack:
    return _stack(settings, embedded)


def test_a_compiled_answer_reads_the_body_once_and_nothing_inside_receives(
    stack: Stack,
) -> None:
    chunks = _chunks({"query": COMPILED, "variables": VARIABLES})
    first = _request(stack.app, chunks, JSON)
    assert first.status == 200 and first.headers["x-eskg-executor"] == "compiled"
    assert first.headers["x-eskg-cache"] == "miss"
    assert json.loads(first.body)["data"]["measuresCoveringMaterial"]
    assert first.client_calls == len(chunks)  # each chunk asked for once, nothing more
    # neither the cache (its key) nor the compiled executor (its input) asked for it
    assert stack.inside_body.calls == 0 and stack.app_own.calls == 0

    again = _request(stack.app, chunks, JSON)  # answered by the cache, same body
    assert again.headers["x-eskg-cache"] == "hit" and again.body == first.body
    assert again.client_calls == len(chunks)
    assert stack.inside_body.calls == 0


def test_strawberry_gets_the_whole_body_through_receive(stack: Stack) -> None:
    """A request the compiled executor leaves to strawberry (a required variable missing:
    strawberry words the error): the app itself asks for the body, and only it does."""
    chunks = _chunks({"query": COMPILED, "variables": {}})
    answer = _request(stack.app, chunks, JSON)
    assert "x-eskg-executor" not in answer.headers
    errors = json.loads(answer.body)["errors"]
    assert errors and "$m" in errors[0]["message"]  # strawberry parsed the body it got
    assert answer.client_calls == len(chunks)
    assert stack.app_own.calls >= 1
    assert stack.inside_body.calls == stack.app_own.calls  # no layer between asked


def test_an_oversized_streamed_body_is_refused_once_past_the_limit(
    settings: Settings, embedded: EmbeddedStore
) -> None:
    small = settings.model_copy(update={"max_body_bytes": 1000})
    stack = _stack(small, embedded)
    chunks = [b'{"query": "'] + [b" " * 100] * 50 + [b'{ __typename }"}']
    answer = _request(stack.app, chunks, JSON)
    assert answer.status == 413
    assert "ESKG_MAX_BODY_BYTES" in json.loads(answer.body)["error"]
    assert answer.client_calls <= 1000 // 100 + 2  # reading stopped at the limit
    assert stack.inside_body.calls == 0 and stack.app_own.calls == 0  # nothing inside ran


def test_a_declared_oversized_body_is_refused_unread(
    settings: Settings, embedded: EmbeddedStore
) -> None:
    small = settings.model_copy(update={"max_body_bytes": 1000})
    stack = _stack(small, embedded)
    headers = [*JSON, (b"content-length", b"5000")]
    answer = _request(stack.app, [b"x" * 5000], headers)
    assert answer.status == 413 and answer.client_calls == 0
    assert "ESKG_MAX_BODY_BYTES" in json.loads(answer.body)["error"]


def test_a_layer_outside_request_body_is_told_where_it_belongs() -> None:
    with pytest.raises(LookupError, match="inside api.asgi_body.RequestBody"):
        body_of({"type": "http", "path": "/graphql"})
