"""The app served over real HTTP for tests that need a socket (Java clients, raw protocol
requests): ``create_app()`` over a store, run by uvicorn in a thread on a free port.

Also where the tests find the conformance suites: ``../shared/conformance`` beside the
repository (CI), else ``ESKG_CONFORMANCE_DIR``; tests that need them skip without.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn

from api.app import create_app
from api.http import UVICORN_HTTP
from eskg.config import Settings
from eskg.store.base import Store
from tests.polling import wait_until

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(settings: Settings, store: Store) -> Iterator[str]:
    """The whole app over a store on 127.0.0.1:<free port>; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, store),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        http=UVICORN_HTTP,  # the parser `eskg serve` runs (keeps bodies under Upgrade: h2c)
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="test-uvicorn", daemon=True)
    thread.start()

    def started() -> bool:
        if not thread.is_alive():
            raise RuntimeError("the test server stopped before it started listening")
        return bool(server.started)

    wait_until(started, 20, f"the test server to listen on port {port}")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def wait_healthy(proc: subprocess.Popen[bytes], url: str, timeout: float, log: Path) -> None:
    """Until the server process at ``url`` answers ``GET /health`` with 200; fails with
    its log if it exits first or does not answer within ``timeout`` seconds."""

    def healthy() -> bool:
        assert proc.poll() is None, f"the server exited with {proc.returncode}:\n{log.read_text()}"
        try:
            return httpx.get(f"{url}/health", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    wait_until(healthy, timeout, f"{url}/health to answer 200", interval=0.2, detail=log.read_text)


@contextmanager
def eskg_serve(
    args: list[str], env: dict[str, str], log: Path, timeout: float = 120
) -> Iterator[tuple[subprocess.Popen[bytes], str, int]]:
    """``eskg serve ARGS`` on a free port with ``env`` over this environment, as a user
    starts it; yields the process, its base URL and port once ``/health`` answers, and
    stops it (terminate, then kill) at the end."""
    port = free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "serve", *args, "--port", str(port)],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(proc, url, timeout, log)
        yield proc, url, port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def conformance(name: str) -> Path:
    """The folder of one conformance suite, or a skip saying where it was looked for."""
    places = [ROOT.parent / "shared" / "conformance"]
    if os.environ.get("ESKG_CONFORMANCE_DIR"):
        places.insert(0, Path(os.environ["ESKG_CONFORMANCE_DIR"]))
    for place in places:
        if (place / name).is_dir():
            return place / name
    pytest.skip(
        f"conformance suite {name!r} not found in {', '.join(map(str, places))} "
        "(CI has ../shared/conformance; set ESKG_CONFORMANCE_DIR elsewhere)"
    )
