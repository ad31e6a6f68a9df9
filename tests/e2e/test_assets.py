"""The explorer's shipped files, without a browser: served by the app, in step with their
sources, and the Neo4j Browser style in step with the ontology."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.explorer import STATIC
from eskg.config import Settings
from eskg.store.embedded import EmbeddedStore

ROOT = Path(__file__).resolve().parents[2]


def test_page_and_assets_are_served(settings: Settings, embedded: EmbeddedStore) -> None:
    with TestClient(create_app(settings, embedded)) as client:
        page = client.get("/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "/explorer/explorer.js" in page.text and "/explorer/explorer.css" in page.text
        script = client.get("/explorer/explorer.js")
        assert script.status_code == 200 and "javascript" in script.headers["content-type"]
        assert "/graphql" in script.text and "eskgExplorer" in script.text
        assert client.get("/explorer/explorer.css").headers["content-type"].startswith("text/css")
        for bad in (
            "/explorer/../app.py",
            "/explorer/%2e%2e/app.py",
            "/explorer/nothing.js",
            "/explorer/",
        ):
            assert client.get(bad).status_code == 404, bad
        # The page does not shadow the API.
        assert client.get("/health").json()["status"] == "ok"


def test_built_copies_match_the_sources() -> None:
    src = ROOT / "frontend" / "src"
    for name in ("index.html", "explorer.css"):
        assert (STATIC / name).read_text(encoding="utf-8") == (src / name).read_text(
            encoding="utf-8"
        ), f"api/static/explorer/{name} is stale: cd frontend && npm run build"


def test_bundle_is_the_build_of_the_sources(tmp_path: Path) -> None:
    """Rebuild with the package.json flags (when frontend/node_modules is installed) and compare."""
    esbuild = ROOT / "frontend" / "node_modules" / ".bin" / "esbuild"
    if not esbuild.exists():
        pytest.skip("frontend/node_modules not installed (cd frontend && npm ci)")
    script = json.loads((ROOT / "frontend" / "package.json").read_text(encoding="utf-8"))[
        "scripts"
    ]["build"]
    args = shlex.split(script.split("&&")[0])[1:]
    out = tmp_path / "explorer.js"
    args = [f"--outfile={out}" if a.startswith("--outfile=") else a for a in args]
    subprocess.run([str(esbuild), *args, "--log-level=warning"], cwd=ROOT / "frontend", check=True)
    assert out.read_bytes() == (STATIC / "explorer.js").read_bytes(), (
        "api/static/explorer/explorer.js is stale: cd frontend && npm run build"
    )


def test_neo4j_browser_style_is_generated_from_the_ontology() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cli.browser_style", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    grass = (ROOT / "neo4j" / "browser-style.grass").read_text(encoding="utf-8")
    assert "caption: '{prefLabel_ja}'" in grass and "node.SpecifiedCriticalMaterial {" in grass
    assert "caption: '{prefLabel_en}'" in (ROOT / "neo4j" / "browser-style.en.grass").read_text(
        encoding="utf-8"
    )
