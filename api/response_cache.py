"""Whole GraphQL responses kept for repeated requests, dropped when the data changes.

The graph changes only when it is loaded, and front-ends ask the same questions again
and again (a page of the explorer, a flagship question for a popular technology). So a
successful GraphQL answer is kept, keyed by the request as sent (method, query string,
content type, accepted types and body), and the same request is answered from memory
without parsing, validating, executing or serialising anything.

Freshness: every entry carries the data version it was computed under.
* The store's ``changes`` counter (bumped by every replace in this process) is compared
  on every request, at no cost: the embedded store is always exact.
* A store other processes can write (Neo4j, loaded by ``eskg load``) is also asked for
  its ``data_version()`` (counts and load id, one small query) at most every
  ``ESKG_RESPONSE_CACHE_CHECK_SECONDS``; an answer can be that stale after such a load.
  If the check fails (the store is down), the cache is emptied and the request goes
  through, so the client gets the store's own error.

Only 200 responses with ``data`` and no ``errors`` are kept; GraphiQL pages, errors,
timeouts and 503s are never cached. ``ESKG_RESPONSE_CACHE_MB=0`` turns it off; every
response says ``x-eskg-cache: hit`` or ``miss``.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.asgi_body import body_of
from api.graphql_http import GRAPHQL_PATH
from eskg.errors import EskgError
from eskg.store.base import Store

log = logging.getLogger("eskg.api")

Headers = list[tuple[bytes, bytes]]
#: Request headers that can change the response, so they are part of the key.
KEY_HEADERS = (b"content-type", b"accept")
CACHEABLE_TYPES = (b"application/json", b"application/graphql-response+json")


@dataclass
class _Entry:
    headers: Headers
    body: bytes

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 200


@dataclass
class ResponseStore:
    """An LRU of responses bounded in bytes, tagged with the data version they answer."""

    max_bytes: int
    entries: OrderedDict[bytes, _Entry] = field(default_factory=OrderedDict)
    size: int = 0
    hits: int = 0
    misses: int = 0

    def get(self, key: bytes) -> _Entry | None:
        entry = self.entries.get(key)
        if entry is None:
            self.misses += 1
            return None
        self.entries.move_to_end(key)
        self.hits += 1
        return entry

    def put(self, key: bytes, entry: _Entry) -> None:
        if entry.size > self.max_bytes // 8:  # one huge answer must not flush the rest
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= old.size
        self.entries[key] = entry
        self.size += entry.size
        while self.size > self.max_bytes:
            _, dropped = self.entries.popitem(last=False)
            self.size -= dropped.size

    def clear(self) -> None:
        self.entries.clear()
        self.size = 0


class GraphQLResponseCache:
    """ASGI middleware in front of the GraphQL endpoint (see the module docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        store: Store,
        max_bytes: int,
        check_seconds: float,
        path: str = GRAPHQL_PATH,
    ) -> None:
        self.app = app
        self.store = store
        self.path = path
        self.check_seconds = check_seconds
        self.cache = ResponseStore(max_bytes)
        self.changes = store.changes
        self.version: object = None
        self.checked = float("-inf")
        self._check: asyncio.Future[bool] | None = None

    async def _current(self) -> object | None:
        """The data version now, or None when it cannot be told (store down)."""
        if self.store.changes != self.changes:
            self.cache.clear()
            self.changes = self.store.changes
            self.checked = float("-inf")
        if not self.store.shared:
            return self.changes
        if time.monotonic() - self.checked >= self.check_seconds:
            # requests arriving while a check runs wait for that one check
            if self._check is None:
                self._check = asyncio.ensure_future(self._ask_store())
            check = self._check
            if not await check:
                return None
        return (self.changes, self.version)

    async def _ask_store(self) -> bool:
        """Ask the store for its data version; False when it cannot answer."""
        try:
            started = time.monotonic()
            version = await asyncio.to_thread(self.store.data_version)
        except EskgError as exc:
            log.info("response cache off until the store answers: %s", exc)
            self.cache.clear()
            self.checked = float("-inf")
            return False
        finally:
            self._check = None
        if version != self.version:
            self.cache.clear()
            self.version = version
        self.checked = started
        return True

    @staticmethod
    def _key(scope: Scope, body: bytes) -> bytes:
        h = hashlib.blake2b(digest_size=20)
        h.update(scope["method"].encode("ascii"))
        h.update(b"\0" + scope.get("query_string", b""))
        wanted = dict.fromkeys(KEY_HEADERS, b"")
        for name, value in scope.get("headers", []):
            if name in wanted:
                wanted[name] = value
        for name in KEY_HEADERS:
            h.update(b"\0" + wanted[name])
        h.update(b"\0" + body)
        return h.digest()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["path"] != self.path
            or scope["method"] not in ("GET", "POST")
        ):
            await self.app(scope, receive, send)
            return
        body = body_of(scope)
        version = await self._current()
        key = self._key(scope, body)
        entry = self.cache.get(key) if version is not None else None
        if entry is not None:
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [*entry.headers, (b"x-eskg-cache", b"hit")],
                }
            )
            await send({"type": "http.response.body", "body": entry.body})
            return

        status = 0
        headers: Headers = []
        out: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal status, headers
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                message = {**message, "headers": [*headers, (b"x-eskg-cache", b"miss")]}
            elif message["type"] == "http.response.body":
                out.append(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, capture)
        answer = b"".join(out)
        content_type = next((v for k, v in headers if k == b"content-type"), b"")
        if (
            version is not None
            and status == 200
            and content_type.startswith(CACHEABLE_TYPES)
            and answer.startswith(b'{"data"')
            and b'"errors":' not in answer
            and version == await self._current()  # not computed across a data change
        ):
            self.cache.put(key, _Entry(headers, answer))
