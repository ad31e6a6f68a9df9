"""What uvicorn's h11 parser costs against httptools (docs/http.md, "Upgrade: h2c").

Starts the app twice on the embedded store (one uvicorn with ``http="httptools"``, one with
``http="h11"``), and loads them in turn, rounds interleaved so that a busy machine slows
both alike: ``python -m bench.http_parser [--seconds 4] [--rounds 3]``. The response cache
is on (as served), so repeated requests are answered from memory and the parser's share is
as large as it gets.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from bench.http_load import run
from cli.neo4j_runtime import free_port

PAYLOADS = {
    "typename": {"query": "{ __typename }"},
    "entity": {
        "query": '{ entity(id: "material/permanent-magnets") { id label(lang: "ja") '
        "sources { locator quote document { iri } } } }"
    },
}


@contextmanager
def server(parser: str) -> Iterator[str]:
    port = free_port()
    code = (
        "import uvicorn; from api.app import create_app; "
        f"uvicorn.run(create_app(), host='127.0.0.1', port={port}, http={parser!r}, "
        "log_level='warning')"
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"{parser} server did not start")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--seconds", type=float, default=4.0)
    args.add_argument("--rounds", type=int, default=3)
    opts = args.parse_args()
    results: dict[tuple[str, str, int], list[float]] = {}
    latencies: dict[tuple[str, str, int], list[float]] = {}
    with server("httptools") as fast, server("h11") as h11:
        urls = {"httptools": fast, "h11": h11}
        for _ in range(opts.rounds):
            for name, payload in PAYLOADS.items():
                for clients in (1, 8):
                    for parser, url in urls.items():
                        res = run(f"{url}/graphql", payload, clients, opts.seconds)
                        key = (name, parser, clients)
                        results.setdefault(key, []).append(res.throughput)
                        latencies.setdefault(key, []).append(res.p50 * 1000)
    print(
        "| request | clients | httptools req/s | h11 req/s | h11 / httptools | p50 ms (httptools, h11) |"
    )
    print("|---|---|---|---|---|---|")
    for name in PAYLOADS:
        for clients in (1, 8):
            a = statistics.median(results[(name, "httptools", clients)])
            b = statistics.median(results[(name, "h11", clients)])
            la = statistics.median(latencies[(name, "httptools", clients)])
            lb = statistics.median(latencies[(name, "h11", clients)])
            print(f"| {name} | {clients} | {a:.0f} | {b:.0f} | {b / a:.2f} | {la:.2f}, {lb:.2f} |")


if __name__ == "__main__":
    main()
