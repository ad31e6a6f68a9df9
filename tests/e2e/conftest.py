"""Browser fixtures: the app on a free loopback port, and Debian's Chromium via Playwright.

The server is ``create_app()`` over the session's embedded store, run by uvicorn in a
thread. Chromium is the system one (``ESKG_CHROMIUM`` or ``chromium`` on PATH); no browser
is downloaded. Without Chromium or the ``playwright`` package the tests skip and say why.
"""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eskg.config import Settings
from eskg.store.base import Store
from eskg.store.embedded import EmbeddedStore
from tests.served import serving

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: drives the explorer page in a real headless Chromium")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def chromium_path() -> str | None:
    return (
        os.environ.get("ESKG_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )


@pytest.fixture(scope="session")
def live_server(settings: Settings, embedded: EmbeddedStore) -> Iterator[str]:
    """The app on the embedded store, for the whole session."""
    with serving(settings, embedded) as url:
        yield url


@pytest.fixture()
def neo4j_live_server(neo4j_settings: Settings, loaded_neo4j: Store) -> Iterator[str]:
    """The app on the Neo4j store holding the bundled data."""
    with serving(neo4j_settings, loaded_neo4j) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        pytest.skip(
            "no Chromium: install Debian's chromium (scripts/test.sh does as root) "
            "or set ESKG_CHROMIUM to a Chromium binary"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright Python package is missing: pip install -e '.[test]'")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Page:
    """A browser page at 1366x768 that records console errors and saves screenshots."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.errors.append(f"request failed: {r.url}"))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture()
def page(browser: Any) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="ja-JP", timezone_id="Asia/Tokyo"
    )
    context.set_default_timeout(10_000)
    wrapped = Page(context.new_page())
    try:
        yield wrapped
    finally:
        context.close()
