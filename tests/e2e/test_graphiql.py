"""GraphiQL at /graphql in a real headless Chromium with no network but the server's.

Every request to anywhere but the test server is aborted (and recorded): the page must
load, read the schema by introspection, show its types in the docs panel, complete a
field name and run a query with nothing from a CDN. Screenshots go to test-artifacts/e2e/.
"""

from __future__ import annotations

import json
import shlex
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from api.graphiql import STATIC

expect = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is missing"
).expect
Page = Any  # tests/e2e/conftest.py's Page: .page (Playwright page), .errors, .shot(name)
pytestmark = pytest.mark.e2e
SOURCES = Path(__file__).resolve().parents[2] / "frontend" / "graphiql"


def offline(page: Page, server: str) -> list[str]:
    """Abort every request not for ``server``; the list fills with what was refused."""
    allowed = urlparse(server).netloc
    refused: list[str] = []

    def handle(route: Any) -> None:
        url = route.request.url
        parts = urlparse(url)
        if parts.scheme in ("data", "blob") or parts.netloc == allowed:
            route.continue_()
        else:
            refused.append(url)
            route.abort("internetdisconnected")

    page.page.context.route("**/*", handle)
    return refused


def test_graphiql_offline_docs_completion_and_run(page: Page, live_server: str) -> None:
    refused = offline(page, live_server)
    p = page.page
    introspected: list[int] = []
    p.on(
        "response",
        lambda r: (
            introspected.append(r.status)
            if r.url.endswith("/graphql")
            and r.request.method == "POST"
            and "__schema" in (r.request.post_data or "")
            else None
        ),
    )
    p.goto(live_server + "/graphql")
    expect(p.locator(".graphiql-container")).to_be_visible()
    expect(p.locator(".graphiql-query-editor .CodeMirror")).to_be_visible()
    p.wait_for_function(
        "() => document.querySelector('.graphiql-doc-explorer-button, "
        '[aria-label*="Documentation"]\') !== null'
    )

    # The docs panel: the root type and the schema's types, read by introspection.
    p.locator("[aria-label*='Documentation']").first.click()
    docs = p.locator(".graphiql-doc-explorer")
    expect(docs).to_contain_text("Query")
    for type_name in ("Entity", "Measure", "Material", "Citation", "LangString"):
        expect(docs).to_contain_text(type_name)  # "All Schema Types"
    docs.get_by_text("Query", exact=True).first.click()
    expect(docs).to_contain_text("measuresCoveringMaterial")
    expect(docs).to_contain_text("search")
    page.shot("20-graphiql-docs")
    assert introspected and all(s == 200 for s in introspected), introspected

    # Completion: type the start of a root field and take the suggestion.
    editor = p.locator(".graphiql-query-editor .CodeMirror")
    editor.click()
    p.evaluate(
        "() => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue('')"
    )
    p.keyboard.type("{ measuresCoveringMat")
    hints = p.locator(".CodeMirror-hints")
    expect(hints).to_contain_text("measuresCoveringMaterial")
    page.shot("21-graphiql-completion")
    p.keyboard.press("Enter")
    value = p.evaluate(
        "() => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue()"
    )
    assert "measuresCoveringMaterial" in value, value

    # Run a query and read its answer.
    p.evaluate("""() => document.querySelector('.graphiql-query-editor .CodeMirror')
        .CodeMirror.setValue('{ search(text: "永久磁石", limit: 1) { id label(lang: "ja") } }')""")
    p.locator(".graphiql-execute-button").click()
    expect(p.locator(".graphiql-response")).to_contain_text("material/permanent-magnets")
    page.shot("22-graphiql-result")

    assert refused == [], f"the page asked for outside resources: {refused}"
    assert page.errors == [], page.errors


def test_page_is_the_copy_of_its_source() -> None:
    assert (STATIC / "index.html").read_text(encoding="utf-8") == (
        SOURCES / "src" / "index.html"
    ).read_text(encoding="utf-8"), "api/static/graphiql/index.html is stale: npm run build"


def test_bundle_is_the_build_of_the_sources(tmp_path: Path) -> None:
    """Rebuild with the package.json flags (when node_modules is installed) and compare."""
    esbuild = SOURCES / "node_modules" / ".bin" / "esbuild"
    if not esbuild.exists():
        pytest.skip("frontend/graphiql/node_modules not installed (cd frontend/graphiql && npm ci)")
    package = json.loads((SOURCES / "package.json").read_text(encoding="utf-8"))
    args = shlex.split(package["scripts"]["build"].split("&&")[0])[1:]
    out = tmp_path / "graphiql.js"
    args = [f"--outfile={out}" if a.startswith("--outfile=") else a for a in args]
    subprocess.run([str(esbuild), *args, "--log-level=warning"], cwd=SOURCES, check=True)
    for name in ("graphiql.js", "graphiql.css", "graphiql.js.LEGAL.txt"):
        assert (tmp_path / name).read_bytes() == (STATIC / name).read_bytes(), (
            f"api/static/graphiql/{name} is stale: cd frontend/graphiql && npm run build"
        )
