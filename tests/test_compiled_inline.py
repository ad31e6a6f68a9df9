"""Where a compiled GraphQL request runs: on the event loop's thread when it is the only
request in flight and the store ends slow reads itself (Neo4j), in a worker thread
otherwise. The middleware is driven through ASGI on a real store; a subclass of the store
records the thread of every statement it sends."""

from __future__ import annotations

import asyncio
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pyoxigraph as ox
import pytest
from starlette.types import Message, Receive, Scope, Send

from api.asgi_body import RequestBody
from api.compiled_http import CompiledGraphQL
from api.schema import build_schema
from eskg.config import Settings
from eskg.ontology import Ontology
from eskg.queries import load_library
from eskg.store.base import Store
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore

QUERY = '{ entity(id: "org/meti") { id label } }'


#: Reads the cost limit makes to refresh its bounds (``api/limits.py``), in a worker thread
#: at most every 30 s whatever the request: not the request's own reads.
LIMITS_READS = frozenset({"data_version", "list_bounds", "max_degree", "max_links"})


class _ThreadRecordingNeo4j(Neo4jStore):
    """The Neo4j store, noting the thread each statement is sent from."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.threads: list[str] = []

    def run_text(self, name: str, text: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        if name not in LIMITS_READS:  # the request's statements, not the cost bounds'
            self.threads.append(threading.current_thread().name)
        return super().run_text(name, text, params)


class _ThreadRecordingEmbedded(EmbeddedStore):
    """The embedded store, noting the thread each query runs in."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.threads: list[str] = []

    def _reading(self, what: str) -> ox.Store:  # where every read starts, SPARQL or not
        self.threads.append(threading.current_thread().name)
        return super()._reading(what)


async def _call(app: Any, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "headers": [(b"content-type", b"application/json")],
    }
    await app(scope, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def _where_requests_run(
    store: Store, settings: Settings, onto: Ontology, threads: list[str], query: str = QUERY
) -> tuple[str, list[str], list[str], bytes, bytes]:
    """The event loop's thread; the threads of a compiled request alone, then beside a
    request held in flight; both answers. The loop runs in a thread of its own (another
    test may have left one running in this thread)."""

    async def scenario() -> tuple[str, list[str], list[str], bytes, bytes]:
        gate = asyncio.Event()

        async def held(scope: Scope, receive: Receive, send: Send) -> None:
            """Every request the middleware passes on stays in flight until the gate opens."""
            await gate.wait()
            await send({"type": "http.response.start", "status": 204, "headers": []})
            await send({"type": "http.response.body", "body": b""})

        compiled = CompiledGraphQL(held, build_schema(onto, settings)._schema, store, settings)
        app = RequestBody(compiled, settings.max_body_bytes)  # as create_app stacks them
        body = json.dumps({"query": query}).encode()
        status, alone = await _call(app, "POST", "/graphql", body)
        assert status == 200
        first = list(threads)
        threads.clear()
        other = asyncio.create_task(_call(app, "GET", "/health"))
        while compiled.in_flight == 0:  # the other request has reached the middleware
            await asyncio.sleep(0)
        status, beside = await _call(app, "POST", "/graphql", body)
        assert status == 200
        gate.set()
        assert (await other)[0] == 204
        assert compiled.in_flight == 0
        return threading.current_thread().name, first, list(threads), alone, beside

    with ThreadPoolExecutor(1, thread_name_prefix="test-loop") as pool:
        return pool.submit(asyncio.run, scenario()).result()


def _on_neo4j(
    neo4j_store: Neo4jStore, onto: Ontology, settings: Settings, query: str = QUERY
) -> tuple[str, list[str], list[str], bytes, bytes]:
    """``_where_requests_run`` on a recording store sharing the test server's driver."""
    store = _ThreadRecordingNeo4j(
        onto, load_library(settings.queries_dir), settings, driver=neo4j_store.driver
    )
    return _where_requests_run(store, settings, onto, store.threads, query)


@pytest.mark.neo4j
def test_on_neo4j_a_request_alone_runs_on_the_event_loop(
    neo4j_store: Neo4jStore, onto: Ontology, neo4j_settings: Settings
) -> None:
    loop_thread, alone, beside, answer_alone, answer_beside = _on_neo4j(
        neo4j_store, onto, neo4j_settings
    )
    assert alone and set(alone) == {loop_thread}
    assert beside and loop_thread not in beside
    assert answer_alone == answer_beside and json.loads(answer_alone)["data"] is not None


@pytest.mark.neo4j
def test_on_neo4j_a_search_runs_in_a_worker_thread_even_alone(
    neo4j_store: Neo4jStore, onto: Ontology, neo4j_settings: Settings
) -> None:
    # a search scans every label: inline, it would hold the requests arriving behind it
    loop_thread, alone, beside, _, _ = _on_neo4j(
        neo4j_store, onto, neo4j_settings, '{ search(text: "semi") { id } }'
    )
    assert alone and beside and loop_thread not in alone + beside


@pytest.mark.neo4j
def test_inline_requests_can_be_turned_off(
    neo4j_store: Neo4jStore, onto: Ontology, neo4j_settings: Settings
) -> None:
    off = neo4j_settings.model_copy(update={"graphql_inline_when_idle": False})
    loop_thread, alone, beside, _, _ = _on_neo4j(neo4j_store, onto, off)
    assert alone and beside and loop_thread not in alone + beside


def test_on_the_embedded_store_requests_run_in_worker_threads(
    embedded: EmbeddedStore, onto: Ontology, settings: Settings
) -> None:
    # Oxigraph cannot cancel a query: the wait for it must stay bounded by the timeout
    store = _ThreadRecordingEmbedded(onto, load_library(settings.queries_dir))
    store.store = embedded.store  # the same loaded data
    loop_thread, alone, beside, answer_alone, answer_beside = _where_requests_run(
        store, settings, onto, store.threads
    )
    assert alone and beside and loop_thread not in alone + beside
    assert answer_alone == answer_beside
    assert json.loads(answer_alone)["data"]["entity"]["id"] == "org/meti"
