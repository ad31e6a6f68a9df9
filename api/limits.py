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
import contextvars
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from contextvars import ContextVar
from inspect import isawaitable
from typing import Any, TypeVar

from graphql import DocumentNode, ExecutionResult, GraphQLError, GraphQLSchema, execute
from graphql.execution.values import VariableValues, get_variable_values
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from api.cost import ListBounds, operation_of, read_bounds, request_cost, too_costly_message
from api.fairness import Fairness, GiveWay, lower_priority
from api.graphql_http import GRAPHQL_PATH
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


T = TypeVar("T")


def client() -> str:
    """The address of the client whose request this code runs for."""
    return _client.get()


class Limits:
    """The cost limit and fair sharing of one app (one event loop)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.fairness = Fairness(settings.expensive_per_client, settings.expensive_concurrency)
        #: cheap requests in flight, for which expensive ones step aside
        self.give_way = GiveWay()
        self.bounds = ListBounds()
        self._version: object = None
        self._checked = float("-inf")
        self._lock = asyncio.Lock()
        #: the threads expensive requests execute in (one per slot; started at the first
        #: expensive request), at the lowest CPU priority: never a cheap request's
        self.apart = ThreadPoolExecutor(
            settings.expensive_concurrency,
            thread_name_prefix="eskg-expensive",
            initializer=lower_priority,
        )

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
        if not self.expensive(cost):
            yield
            return
        budget = deadline.current()
        self.give_way.leave()  # no longer a cheap request: others need not wait for it
        try:
            async with self.fairness.slot(client()):
                if budget is not None:
                    budget.pause = self.give_way.pause
                try:
                    yield
                finally:
                    if budget is not None:
                        budget.pause = None
        finally:
            self.give_way.enter()

    def expensive(self, cost: int) -> bool:
        """Whether a request of this cost takes a slot and runs apart from the event loop."""
        return cost > self.settings.graphql_expensive_cost

    async def run_apart(self, work: Callable[[], Awaitable[T]]) -> T:
        """Await ``work()`` on an event loop of its own in one of the ``apart`` threads.

        graphql-core fills an answer synchronously between its awaits: tens of
        milliseconds at a time for thousands of objects. On the server's event loop that
        would hold every other request for as long; in a thread of its own it only takes
        its share of the interpreter. The request's context (its budget, its client)
        goes with it, so its reads stop at its deadline as on the server's loop.
        """

        async def whole() -> T:
            return await work()

        def on_own_loop() -> T:
            return asyncio.run(whole())

        return await self.in_thread_apart(on_own_loop)

    async def in_thread_apart(self, work: Callable[[], T]) -> T:
        """Call ``work()`` in one of the ``apart`` threads, in the request's context (its
        budget, its client): a compiled expensive request's execution, which would
        otherwise take a worker thread of the cheap requests and share their priority."""
        context = contextvars.copy_context()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.apart, context.run, work)


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
        try:
            async with self.limits.slot(cost):
                if self.limits.expensive(cost) and document is not None:
                    context.result = await self.limits.run_apart(lambda: _execute(context))
                yield
        finally:
            release = getattr(context.context, "release", None)
            if release is not None:
                release()  # the loaders' entities go now, not at a full collection
        error = _whole_request_error(context.result)
        if error is not None:
            raise error


async def _execute(context: ExecutionContext) -> ExecutionResult:
    """graphql-core's execution of the request, as strawberry runs it (no resolver
    middleware: none of the schema's extensions has a ``resolve`` hook)."""
    assert context.graphql_document is not None
    result = execute(
        context.schema._schema,
        context.graphql_document,
        root_value=context.root_value,
        variable_values=context.variables,
        operation_name=context.operation_name,
        context_value=context.context,
    )
    return await result if isawaitable(result) else result


def _refusal_body(path: str, message: str) -> bytes:
    if path.startswith(GRAPHQL_PATH):
        return json.dumps({"data": None, "errors": [{"message": message}]}).encode()
    return json.dumps({"error": message}).encode()


class RequestDeadline:
    """ASGI middleware: every HTTP request runs under its ``Budget`` (time and answer
    size), with its client's address known to ``client()``."""

    def __init__(self, app: ASGIApp, settings: Settings, limits: Limits | None = None) -> None:
        self.app = app
        self.settings = settings
        #: counts the requests in flight as cheap ones, until one turns out expensive
        self.give_way = GiveWay() if limits is None else limits.give_way

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
                self.give_way.enter()
                try:
                    # in this task (asyncio.wait_for started one per request: 36 -> 26 µs
                    # for a cached answer, python -m bench.asgi_cached)
                    with deadline.budget(budget):
                        async with asyncio.timeout(budget.timeout):
                            await self.app(scope, receive, tracked)
                finally:
                    self.give_way.leave()
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
