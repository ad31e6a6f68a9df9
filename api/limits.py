"""Per-request limits: the cost of what will run, fair sharing, and the deadline.

``Limits`` is made once per app and shared by both GraphQL executors:

- ``cost`` computes a request's cost (``api/cost.py``) on the cached validated document
  with the request's variables; over ``ESKG_GRAPHQL_MAX_COST`` it is refused (400)
  before anything runs. The strawberry path checks it in ``RequestCost`` (a schema
  extension whose ``on_execute`` runs after the cached validation), the compiled path
  in ``api/compiled_http.py`` before it runs a plan; both with the same function and
  the same ``ListBounds``, re-read from the store when its data version changes.
- ``slot`` holds an expensive request (cost above ``ESKG_GRAPHQL_EXPENSIVE_COST``) to
  its turn (``api/fairness.py``); a cheap one passes at once.

``RequestDeadline`` (ASGI middleware) gives every request a ``Budget``
(``eskg/deadline.py``): ``ESKG_REQUEST_TIMEOUT`` seconds for everything it does, and
``ESKG_MAX_RESPONSE_BYTES`` for its answer. Past the deadline the request's task is
cancelled and the client gets 503 with the reason; the reads it started in worker
threads end with their current read (every read checks the budget before it starts,
Neo4j's are given the time left as their timeout, Oxigraph's are checked between
solutions).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from graphql import DocumentNode, ExecutionResult, GraphQLError, GraphQLSchema
from graphql.execution.values import VariableValues, get_variable_values
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension

from api.cost import ListBounds, operation_of, read_bounds, request_cost, too_costly_message
from api.fairness import Fairness
from eskg import deadline
from eskg.config import Settings
from eskg.errors import EskgError, RequestTimeoutError, ResponseTooLargeError
from eskg.store.base import Store

log = logging.getLogger("eskg.api")

#: The client address of the request this code runs for ("" outside a request).
_client: ContextVar[str] = ContextVar("eskg_client", default="")
#: Paths without the request deadline: dumps stream whole exports (cached, bounded by
#: the data, not by the request).
NO_DEADLINE = ("/dumps", "/.well-known/void")
#: Seconds between two checks of the data version for the list bounds of the cost: a
#: load by another process is counted at the old bounds for at most this long.
BOUNDS_CHECK_SECONDS = 30.0
#: What a client is told when its body nests too deeply to be parsed.
NESTED_TOO_DEEPLY = (
    "the request body nests too deeply to be read (JSON arrays or objects inside each "
    "other); send fewer levels"
)
NOT_UTF8 = "the request body is not valid UTF-8; send JSON encoded as UTF-8"


def client() -> str:
    """The address of the client whose request this code runs for."""
    return _client.get()


class Limits:
    """The cost limit and fair sharing of one app (one event loop)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.fairness = Fairness(settings.expensive_per_client, settings.expensive_concurrency)
        self.bounds = ListBounds()
        self._version: object = None
        self._checked = float("-inf")
        self._lock = asyncio.Lock()

    async def refresh(self, store: Store) -> ListBounds:
        """The list bounds of the data now: re-read when the store's data version changed
        (asked at most every ``BOUNDS_CHECK_SECONDS``; always on the first request)."""
        if time.monotonic() - self._checked < BOUNDS_CHECK_SECONDS:
            return self.bounds
        async with self._lock:
            if time.monotonic() - self._checked < BOUNDS_CHECK_SECONDS:
                return self.bounds
            try:
                version = await asyncio.to_thread(store.data_version)
                if version != self._version:
                    self.bounds = await asyncio.to_thread(read_bounds, store)
                    self._version = version
            except EskgError as exc:  # the store is down: its reads will say so (503)
                log.info("list bounds not refreshed: %s", exc.message)
                return self.bounds
            self._checked = time.monotonic()
        return self.bounds

    def cost(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation_name: str | None,
        inputs: dict[str, Any] | None,
        coerced: VariableValues | None = None,
    ) -> int:
        """The request's cost (``api.cost.request_cost``) with its variables coerced (or
        ``coerced`` when given); 0 when they do not coerce (nothing runs then)."""
        if coerced is None:
            operation = operation_of(document, operation_name)
            if operation is None:
                return 0
            found = get_variable_values(schema, operation.variable_definitions or (), inputs or {})
            if isinstance(found, list):
                return 0
            coerced = found
        return request_cost(
            schema, document, operation_name, coerced, self.settings.max_page_size, self.bounds
        )

    def refusal(self, cost: int) -> str | None:
        """The message refusing a request of this cost, or None when it may run."""
        if cost > self.settings.graphql_max_cost:
            return too_costly_message(cost, self.settings.graphql_max_cost)
        return None

    @asynccontextmanager
    async def slot(self, cost: int) -> AsyncIterator[None]:
        """Run the block in its turn when the request is expensive, at once otherwise."""
        if cost <= self.settings.graphql_expensive_cost:
            yield
            return
        async with self.fairness.slot(client()):
            yield


#: Errors that end the whole request rather than one field.
WHOLE_REQUEST = (RequestTimeoutError, ResponseTooLargeError)


def _whole_request_error(result: Any) -> Exception | None:
    for error in getattr(result, "errors", None) or ():
        if isinstance(error.original_error, WHOLE_REQUEST):
            return error.original_error
    return None


class RequestCost(SchemaExtension):
    """The strawberry path's cost limit and fair sharing (see ``Limits``); also makes a
    deadline or an answer size passed in a resolver end the whole request (no half
    answer)."""

    def __init__(self, *, limits: Limits) -> None:
        self.limits = limits

    async def on_execute(self) -> Any:
        context = self.execution_context
        document = context.graphql_document
        store = getattr(context.context, "store", None)
        cost = 0
        if document is not None and store is not None:
            await self.limits.refresh(store)
            cost = self.limits.cost(
                context.schema._schema, document, context.operation_name, context.variables
            )
        message = self.limits.refusal(cost)
        if message is not None:
            context.result = ExecutionResult(data=None, errors=[GraphQLError(message)])
            yield
            return
        async with self.limits.slot(cost):
            yield
        error = _whole_request_error(context.result)
        if error is not None:
            raise error


def _refusal_body(path: str, message: str) -> bytes:
    if path.startswith("/graphql"):
        return json.dumps({"data": None, "errors": [{"message": message}]}).encode()
    return json.dumps({"error": message}).encode()


class RequestDeadline:
    """ASGI middleware: every HTTP request runs under its ``Budget`` (time and answer
    size), with its client's address known to ``client()``."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        address = scope.get("client") or ("", 0)
        token = _client.set(str(address[0]))
        budget = deadline.Budget(self.settings.request_timeout, self.settings.max_response_bytes)
        try:
            if scope["path"].startswith(NO_DEADLINE):
                await self.app(scope, receive, tracked)
            else:
                with deadline.budget(budget):
                    await asyncio.wait_for(self.app(scope, receive, tracked), budget.timeout)
        except (TimeoutError, RequestTimeoutError):
            log.info("request to %s stopped at its deadline", scope["path"])
            if not started:
                message = deadline.timeout_message(budget.timeout, "its answer")
                await _send_json(send, 503, _refusal_body(scope["path"], message))
        except (RecursionError, UnicodeDecodeError) as exc:
            # A parser (json.loads in strawberry or FastAPI) recursed on input nested too
            # deeply, or met bytes that are not UTF-8: the input's fault, never a 500.
            if not started:
                message = NESTED_TOO_DEEPLY if isinstance(exc, RecursionError) else NOT_UTF8
                await _send_json(send, 400, _refusal_body(scope["path"], message))
        finally:
            _client.reset(token)


async def _send_json(send: Send, status: int, body: bytes) -> None:
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode("ascii")),
    ]
    if status == 503:
        headers.append((b"retry-after", b"5"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
