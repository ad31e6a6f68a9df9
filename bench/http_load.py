"""A lean HTTP/1.1 load generator on asyncio streams, so the client is not what is measured.

httpx costs a millisecond or more of client CPU per request, and more as its connection
pool grows: at 32 clients it spent a whole core to send about 270 requests a second while
the server it measured was mostly idle (see docs/benchmarks.md, "Query"). This client
sends one prepared request per keep-alive connection, back to back, and reads only the
status line, the headers it needs and the body: tens of microseconds per request.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass
class LoopResult:
    """Latencies of a timed loop (HTTP here; bench.query also times Cypher and store calls)."""

    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    errors: int = 0
    elapsed: float = 0.0
    first_error: str | None = None
    cache_hits: int = 0  # responses with x-eskg-cache: hit

    def pct(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        s = sorted(self.latencies)
        return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]

    @property
    def p50(self) -> float:
        return self.pct(50)

    @property
    def p95(self) -> float:
        return self.pct(95)

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0


def request_bytes(url: str, payload: dict[str, Any]) -> tuple[str, int, bytes]:
    """Host, port and the bytes of a JSON POST to ``url`` with a keep-alive connection."""
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname is None or parts.port is None:
        raise ValueError(f"need http://host:port/path, got {url}")
    body = json.dumps(payload).encode("utf-8")
    head = (
        f"POST {parts.path or '/'} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
        "Content-Type: application/json\r\nAccept: application/json\r\n"
        f"Connection: keep-alive\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode("ascii")
    return parts.hostname, parts.port, head + body


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bytes]:
    """Status, raw headers and body of one response (Content-Length or chunked)."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    lower = head.lower()
    marker = lower.find(b"\r\ncontent-length:")
    if marker >= 0:
        end = lower.index(b"\r\n", marker + 2)
        length = int(lower[marker + 17 : end])
        return status, head, await reader.readexactly(length)
    if b"\r\ntransfer-encoding: chunked" in lower:
        chunks: list[bytes] = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                return status, head, b"".join(chunks)
            chunks.append(chunk[:-2])
    raise ValueError("response without Content-Length or chunked encoding")


async def _run(
    url: str, payload: dict[str, Any], concurrency: int, seconds: float, max_requests: int
) -> LoopResult:
    host, port, request = request_bytes(url, payload)
    res = LoopResult()
    sent = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal sent
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while time.perf_counter() < deadline and sent < max_requests:
                sent += 1
                t0 = time.perf_counter()
                try:
                    writer.write(request)
                    status, head, body = await _read_response(reader)
                except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                    res.errors += 1
                    res.first_error = res.first_error or repr(exc)
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
                    continue
                took = time.perf_counter() - t0
                if status == 200 and b'"errors"' not in body:
                    res.latencies.append(took)
                    if b"\r\nx-eskg-cache: hit" in head.lower():
                        res.cache_hits += 1
                else:
                    res.errors += 1
                    res.first_error = res.first_error or f"{status}: {body[:300]!r}"
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    res.elapsed = time.perf_counter() - started
    return res


def run(
    url: str,
    payload: dict[str, Any],
    concurrency: int,
    seconds: float,
    max_requests: int = 1_000_000,
) -> LoopResult:
    """``concurrency`` connections sending ``payload`` back to back for ``seconds``."""
    return asyncio.run(_run(url, payload, concurrency, seconds, max_requests))
