"""Compiled GraphQL over HTTP: the ASGI middleware in front of strawberry's router.

A ``POST /graphql`` with a JSON body whose document compiles (``api/compiled_plan.py``)
and whose variables coerce is answered by the compiled executor in a worker thread (or
on the event loop's thread, below) and encoded as strawberry encodes (compact JSON,
``application/json``). Every other request, and every request the compiled executor
cannot answer exactly (an error of any kind), goes on to strawberry unchanged, which
answers it as before: the compiled path is an optimisation, never a second source of
error messages. Such a fallback after an exception is logged at WARNING (the exception
and the operation's name) and counted (``Fallbacks``: ``eskg_graphql_fallbacks_total``
on ``GET /metrics``), so an executor that stops answering what it should is seen, not
only slower. The one exception is a timeout: the request's reads together get
``ESKG_QUERY_TIMEOUT`` seconds, and running them again through strawberry would double
the wait, so the timeout error is answered here. Answers it gives carry
``x-eskg-executor: compiled``. ``ESKG_GRAPHQL_COMPILED=false`` turns it off.

A compiled request runs on the event loop's thread when three things hold: no other
request is in flight in the process, the store ends slow reads itself (Neo4j's
transaction timeout), and the request starts from IRIs (no ``search``, which scans every
label). Nobody is waiting for the loop then, and the hand-off to a worker thread and
back cost about 0.2 ms a request at one client (an entity with two levels of relations:
1.3 -> 1.1 ms; ``bench/notes.md``). A request arriving meanwhile waits for it, about a
millisecond. Run inline, a search held the requests arriving behind it for its 10 ms,
where worker threads let Neo4j answer them side by side (23% fewer searches a second at
8 clients, in one measurement). Otherwise, and always on the embedded store, whose reads
cannot be cancelled, the request runs in a worker thread, and the wait for it is bounded
by ``ESKG_QUERY_TIMEOUT``. ``ESKG_GRAPHQL_INLINE_WHEN_IDLE=false`` turns this off.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from graphql import GraphQLSchema
from graphql.execution.values import get_variable_values
from starlette.types import ASGIApp, Receive, Scope, Send

from api.asgi_body import body_of
from api.compiled_exec import execute
from api.compiled_plan import Compiler
from api.context import timeout_message
from api.cost import operation_cost
from api.graphql_http import GRAPHQL_PATH
from api.limits import NESTED_TOO_DEEPLY, NOT_UTF8, Limits
from api.metrics import Fallbacks
from api.schema import CACHE_SIZE, validation_rules
from eskg import deadline
from eskg.config import Settings
from eskg.errors import ReadTimeoutError, RequestTimeoutError, ResponseTooLargeError
from eskg.store.base import Store

log = logging.getLogger("eskg.api")

#: Accept headers the compiled path answers (strawberry answers JSON to all of them).
JSON = b"application/json"


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value)
    return None


class _Refused(Exception):
    """A request answered here with a 4xx, before or while it runs."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _request(body: bytes) -> tuple[str, str | None, dict[str, Any]] | None:
    """Query, operation name and variables of a JSON GraphQL request; None if unusual."""
    try:
        payload = json.loads(body)
    except RecursionError:  # deeply nested arrays: json.loads recursed to the limit
        raise _Refused(400, NESTED_TOO_DEEPLY) from None
    except UnicodeDecodeError:
        raise _Refused(400, NOT_UTF8) from None
    except ValueError:
        return None
    if not isinstance(payload, dict):
        return None
    query = payload.get("query")
    name = payload.get("operationName")
    variables = payload.get("variables")
    if variables is None:
        variables = {}
    if not isinstance(query, str) or not isinstance(variables, dict):
        return None
    if name is not None and not isinstance(name, str):
        return None
    return query, name, variables


class CompiledGraphQL:
    """ASGI middleware: answers compiled requests, passes everything else on."""

    def __init__(
        self,
        app: ASGIApp,
        schema: GraphQLSchema,
        store: Store,
        settings: Settings,
        path: str = GRAPHQL_PATH,
        limits: Limits | None = None,
        fallbacks: Fallbacks | None = None,
    ) -> None:
        self.app = app
        #: requests handed to strawberry after an exception (``/metrics``)
        self.fallbacks = fallbacks or Fallbacks()
        #: the cost limit and fair sharing, shared with the strawberry path
        self.limits = limits or Limits(settings)
        self.schema = schema
        self.store = store
        self.settings = settings
        self.path = path
        self.compiler = Compiler(
            schema, validation_rules(settings), settings.graphql_max_tokens, CACHE_SIZE
        )
        self.inline = settings.graphql_inline_when_idle and store.bounds_reads
        #: HTTP requests of this process inside this middleware (answered by it or not)
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self._http(scope, receive, send)
        finally:
            self.in_flight -= 1

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["path"] != self.path
            or scope["method"] != "POST"
            or not (_header(scope, b"content-type") or b"").startswith(JSON)
        ):
            await self.app(scope, receive, send)
            return
        body = body_of(scope)
        status = 200
        try:
            answer = await self._answer(body)
        except _Refused as exc:
            status = exc.status
            answer = json.dumps({"data": None, "errors": [{"message": exc.message}]}).encode()
        if answer is not None:
            await send(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [
                        (b"content-length", str(len(answer)).encode("ascii")),
                        (b"content-type", JSON),
                        (b"x-eskg-executor", b"compiled"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": answer})
            return
        await self.app(scope, receive, send)

    async def _answer(self, body: bytes) -> bytes | None:
        """The encoded answer, or None when strawberry must answer."""
        request = _request(body)
        if request is None:
            return None
        query, name, inputs = request
        plan = self.compiler.plan(query, name)
        if plan is None:
            return None
        definitions = plan.operation.variable_definitions or ()
        variables = get_variable_values(self.schema, definitions, inputs)
        if isinstance(variables, list):  # coercion errors: strawberry words them
            return None
        bounds = await self.limits.refresh(self.store)
        cost = operation_cost(
            self.schema,
            plan.operation,
            plan.fragments,
            variables,
            self.settings.max_page_size,
            bounds,
        )
        if self.limits.refusal(cost) is not None:  # strawberry refuses it, in its words
            return None
        try:
            async with self.limits.slot(cost):  # an expensive request waits for its turn
                if self.limits.expensive(cost):  # apart, at low priority (api/fairness.py)
                    data = await asyncio.wait_for(
                        self.limits.in_thread_apart(
                            lambda: execute(plan, self.store, self.settings, variables)
                        ),
                        self.settings.query_timeout,
                    )
                elif self.inline and self.in_flight == 1 and not plan.scans():
                    data = execute(plan, self.store, self.settings, variables)
                else:
                    data = await asyncio.wait_for(
                        asyncio.to_thread(execute, plan, self.store, self.settings, variables),
                        self.settings.query_timeout,
                    )
        except ResponseTooLargeError as exc:  # counted as it filled: refused, not built
            raise _Refused(400, exc.message) from None
        except (TimeoutError, ReadTimeoutError):
            # Handing this on would run the same slow reads again: answer it here, as
            # strawberry words a store timeout (a field error; never cached).
            message = timeout_message(self.settings.query_timeout, "compiled request")
            return json.dumps({"data": None, "errors": [{"message": message}]}).encode()
        except RequestTimeoutError:
            raise  # the request's deadline: api/limits.RequestDeadline answers 503
        except Exception as exc:  # noqa: BLE001 - strawberry answers (and words) every failure
            self.fallbacks.total += 1
            operation = plan.operation.name.value if plan.operation.name else "(anonymous)"
            log.warning(
                "compiled executor failed on GraphQL operation %s, strawberry answers it: %r",
                operation,
                exc,
            )
            return None
        deadline.check("encoding the answer")
        encoded = json.dumps({"data": data}, separators=(",", ":")).encode()
        if self.settings.max_response_bytes and len(encoded) > self.settings.max_response_bytes:
            raise _Refused(400, deadline.too_large_message(self.settings.max_response_bytes))
        return encoded
