"""Slow clients (issue 20): a handful of clients sending their headers byte by byte do not
stop `eskg serve` from answering others, and the connection bound refuses, not queues.

The server is `eskg serve` in its own process on a free loopback port; the slow clients
are raw sockets that send one byte of their request line and headers at a time, for a
bounded time, and are closed at the end."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.polling import wait_until
from tests.served import eskg_serve

ROOT = Path(__file__).resolve().parent.parent
REQUEST = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\nX-Padding: " + b"x" * 200


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    env = {"ESKG_STORE": "embedded", "ESKG_HTTP_LIMIT_CONCURRENCY": "12"}
    log = tmp_path_factory.mktemp("slow") / "serve.log"
    with eskg_serve([], env, log, timeout=180) as (_, base, port):
        yield base, port


def _slow(port: int, stop: threading.Event, sent: list[int]) -> None:
    """Send the request one byte at a time until ``stop`` (never finishing the headers)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        for byte in REQUEST:
            if stop.is_set():
                return
            sock.sendall(bytes([byte]))
            sent.append(1)
            stop.wait(0.05)


def test_slow_headers_do_not_stop_other_requests(served: tuple[str, int]) -> None:
    base, port = served
    stop = threading.Event()
    sent: list[int] = []
    slow = [threading.Thread(target=_slow, args=(port, stop, sent)) for _ in range(5)]
    for t in slow:
        t.start()
    try:
        wait_until(lambda: len(sent) >= 25, 30, "every slow client connected and sending")
        for _ in range(5):
            answer = httpx.post(
                f"{base}/graphql", json={"query": '{ entity(id: "org/meti") { id } }'}, timeout=30
            )
            assert answer.status_code == 200 and answer.json()["data"]["entity"]["id"]
        assert any(t.is_alive() for t in slow)  # answered while they were still sending
    finally:
        stop.set()
        for t in slow:
            t.join(timeout=30)


def test_connections_past_the_limit_are_refused_not_queued(served: tuple[str, int]) -> None:
    """ESKG_HTTP_LIMIT_CONCURRENCY=12: with 12 slow connections open, a new request gets
    503 at once instead of waiting; when they close, requests are answered again."""
    base, port = served
    stop = threading.Event()
    sent: list[int] = []
    slow = [threading.Thread(target=_slow, args=(port, stop, sent)) for _ in range(12)]
    for t in slow:
        t.start()
    try:
        wait_until(lambda: len(sent) >= 48, 30, "the 12 slow clients connected and sending")
        answer = httpx.get(f"{base}/health", timeout=30)
        assert answer.status_code == 503
    finally:
        stop.set()
        for t in slow:
            t.join(timeout=30)
    wait_until(
        lambda: httpx.get(f"{base}/health", timeout=30).status_code == 200,
        30,
        "the server to notice the closed slow sockets and answer /health again",
        interval=0.5,
    )
    assert httpx.get(f"{base}/health", timeout=30).status_code == 200
