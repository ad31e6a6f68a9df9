"""The ASGI app's own time for a request answered from the response cache, in process.

    python -m bench.asgi_cached            # 5,000 requests after 200 to warm up
    python -m bench.asgi_cached --n 20000

No network and no HTTP parser: the app (``api.app.create_app`` on the embedded store with
the bundled data, the response cache on) is called in a loop, as uvicorn would call it,
with the benchmarks' flagship question, so what is timed is the layers every request
passes (deadline, body, media types, methods, the cache). To compare two revisions, run it in each
checkout in turn, several times (``PYTHONPATH=CHECKOUT``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time

from starlette.types import Message, Scope

from api.app import create_app
from bench.query import QUERIES
from eskg.config import Settings

#: The benchmarks' flagship question (``bench/query.py``), on a technology of the bundled data.
QUESTION = "flagship: measures covering a technology"
VARIABLES = {"t": "tech/semiconductors"}


async def _loop(n: int) -> float:
    """Seconds per request over ``n`` cached requests."""
    app = create_app(Settings(store="embedded", response_cache_mb=64))
    body = json.dumps({"query": QUERIES[QUESTION][0], "variables": VARIABLES}).encode()
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/graphql",
        "raw_path": b"/graphql",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"accept", b"*/*"),
        ],
        "client": ("127.0.0.1", 5555),
        "server": ("127.0.0.1", 8000),
    }

    async def one() -> list[Message]:
        sent: list[Message] = []
        given = False

        async def receive() -> Message:
            nonlocal given
            if not given:
                given = True
                return {"type": "http.request", "body": body, "more_body": False}
            await asyncio.Event().wait()  # the client stays: never a disconnect
            raise AssertionError("unreachable")

        async def send(message: Message) -> None:
            sent.append(message)

        await app(dict(scope), receive, send)
        return sent

    async with app.router.lifespan_context(app):
        for _ in range(200):
            await one()
        first = await one()
        headers = dict(first[0]["headers"])
        if first[0]["status"] != 200 or headers.get(b"x-eskg-cache") != b"hit":
            raise SystemExit(f"bench: the request was not answered from the cache: {first[:1]}")
        started = time.perf_counter()
        for _ in range(n):
            await one()
        return (time.perf_counter() - started) / n


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.asgi_cached", description=__doc__)
    ap.add_argument("--n", type=int, default=5000, help="timed requests (default 5000)")
    args = ap.parse_args(argv)
    if not 1 <= args.n <= 1_000_000:
        ap.error("--n must be 1..1000000")
    seconds = asyncio.run(_loop(args.n))
    print(f"{seconds * 1e6:.1f} µs per cached request in the ASGI app (n={args.n})")


if __name__ == "__main__":
    main()
