"""HTTP as other people's clients speak it (docs/http.md): introspection under the limits,
``Upgrade: h2c``, HEAD and ``Allow``, CORS preflights, and GraphQL over HTTP, checked by
the ``graphql-http`` server audits against ``eskg serve``."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from graphql import get_introspection_query

from api.app import create_app
from api.graphql_http import Form, negotiate
from api.http import EXPOSED_HEADERS
from eskg.config import Settings
from eskg.store.embedded import EmbeddedStore
from tests.served import eskg_serve

ROOT = Path(__file__).resolve().parent.parent
ORIGIN = "https://yasgui.example"
AUDIT = ROOT / "tests" / "graphql_http"


@pytest.fixture(scope="module")
def client(settings: Settings, embedded: EmbeddedStore) -> Iterator[TestClient]:
    configured = settings.model_copy(update={"cors_origins": ORIGIN})
    with TestClient(create_app(configured, embedded)) as c:
        yield c


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``eskg serve`` on the embedded store, CORS on, as a user starts it."""
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    env = {"ESKG_STORE": "embedded", "ESKG_CORS_ORIGINS": ORIGIN}
    with eskg_serve([], env, log) as (_, url, _):
        yield url


# --- introspection ------------------------------------------------------------------

INTROSPECTIONS = {
    # graphql-core's default, as gql's Client(fetch_schema_from_transport=True) sends it
    "gql default": get_introspection_query(),
    # GraphiQL 4/5 (graphql-js getIntrospectionQuery({inputValueDeprecation: true}))
    "GraphiQL": get_introspection_query(input_value_deprecation=True, schema_description=True),
    "every option": get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
        one_of=True,
    ),
}


@pytest.mark.parametrize("name", sorted(INTROSPECTIONS))
def test_standard_introspection_is_never_refused(client: TestClient, name: str) -> None:
    for accept in ("application/json", "application/graphql-response+json", "*/*"):
        response = client.post(
            "/graphql", json={"query": INTROSPECTIONS[name]}, headers={"accept": accept}
        )
        assert response.status_code == 200, response.text[:300]
        body = response.json()
        assert "errors" not in body, body["errors"]
        types = {t["name"] for t in body["data"]["__schema"]["types"]}
        assert {"Query", "Entity", "Measure", "Citation"} <= types


def test_introspection_over_get_as_well(client: TestClient) -> None:
    response = client.get(
        "/graphql",
        params={"query": INTROSPECTIONS["GraphiQL"]},
        headers={"accept": "application/json"},
    )
    assert response.status_code == 200 and "errors" not in response.json()


def test_introspection_nested_to_multiply_work_is_refused(client: TestClient) -> None:
    nested = "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"
    response = client.post("/graphql", json={"query": nested})
    assert response.status_code == 400
    assert "introspection too costly" in response.text


def test_data_queries_keep_their_limits(client: TestClient) -> None:
    costly = (
        '{ __schema { queryType { name } } search(text: "a", limit: 200) '
        "{ relations { target { relations { target { relations { target { id } } } } } } } }"
    )
    response = client.post("/graphql", json={"query": costly})
    assert response.status_code == 400 and "query too costly" in response.text


# --- GraphiQL ------------------------------------------------------------------------


def test_graphiql_page_is_the_bundled_one(client: TestClient) -> None:
    page = client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "/graphiql/graphiql.js" in page.text and "/graphiql/graphiql.css" in page.text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page.text), "a CDN in the page"
    script = client.get("/graphiql/graphiql.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert "unpkg.com" not in script.text and "jsdelivr" not in script.text
    css = client.get("/graphiql/graphiql.css")
    assert css.headers["content-type"].startswith("text/css")
    assert not re.search(r"url\((['\"]?)https?:", css.text) and "@import" not in css.text
    for bad in ("/graphiql/../app.py", "/graphiql/%2e%2e/app.py", "/graphiql/none.js"):
        assert client.get(bad).status_code == 404, bad


# --- HEAD, Allow, OPTIONS ------------------------------------------------------------


def _get_urls(client: TestClient, embedded: EmbeddedStore) -> list[str]:
    """A concrete URL for every GET route: the OpenAPI paths, with an entity for /id/."""
    entity = client.post(
        "/graphql", json={"query": '{ search(text: "永久磁石", limit: 1) { id } }'}
    )
    entity_id = entity.json()["data"]["search"][0]["id"]
    urls = [
        "/",
        "/explorer/explorer.js",
        "/graphiql/graphiql.js",
        "/docs",
        "/openapi.json",
        "/graphql?query=%7B__typename%7D",
        "/sparql?query=ASK%7B%7D",
        f"/id/{entity_id}",
    ]
    for path, item in client.get("/openapi.json").json()["paths"].items():
        if "get" in item and "{" not in path:
            urls.append(path)
    return sorted(set(urls))


def test_head_on_every_get_route(client: TestClient, embedded: EmbeddedStore) -> None:
    urls = _get_urls(client, embedded)
    assert len(urls) >= 10
    for url in urls:
        get = client.get(url)
        head = client.head(url)
        assert head.status_code == get.status_code, url
        assert head.content == b"", url
        assert head.headers.get("content-type") == get.headers.get("content-type"), url
        if "content-length" in get.headers:
            assert head.headers["content-length"] == str(len(get.content)), url


@pytest.mark.parametrize(
    ("path", "method", "allow"),
    [
        ("/graphql", "PUT", "GET, HEAD, POST, OPTIONS"),
        ("/graphql", "DELETE", "GET, HEAD, POST, OPTIONS"),
        ("/sparql", "PATCH", "GET, HEAD, POST, OPTIONS"),
        ("/health", "POST", "GET, HEAD, OPTIONS"),
        ("/", "POST", "GET, HEAD, OPTIONS"),
        ("/dumps/", "PUT", "GET, HEAD, OPTIONS"),
    ],
)
def test_405_names_every_method(client: TestClient, path: str, method: str, allow: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert f"{method} is not allowed on {path}" in response.json()["error"]


def test_options_without_cors_says_what_is_allowed(client: TestClient) -> None:
    response = client.options("/graphql")
    assert response.status_code == 204 and response.headers["allow"] == "GET, HEAD, POST, OPTIONS"
    assert client.options("/no/such/route").status_code == 404


# --- CORS ----------------------------------------------------------------------------


def test_yasgui_style_preflight(client: TestClient) -> None:
    for path in ("/sparql", "/graphql"):
        preflight = client.options(
            path,
            headers={
                "Origin": ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "accept, content-type, x-requested-with",
            },
        )
        assert preflight.status_code == 200, preflight.text
        assert preflight.headers["access-control-allow-origin"] == ORIGIN
        assert "POST" in preflight.headers["access-control-allow-methods"]
        allowed = preflight.headers["access-control-allow-headers"].lower()
        assert {"accept", "content-type", "x-requested-with"} <= {
            h.strip() for h in allowed.split(",")
        }
    elsewhere = client.options(
        "/sparql",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in elsewhere.headers


def test_project_headers_are_exposed(client: TestClient) -> None:
    response = client.post("/graphql", json={"query": "{ __typename }"}, headers={"Origin": ORIGIN})
    exposed = {h.strip() for h in response.headers["access-control-expose-headers"].split(",")}
    assert {"x-eskg-cache", "x-eskg-executor"} <= exposed
    # every x-eskg-* header the API sets is in the list
    sources = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "api").glob("*.py"))
    for header in set(re.findall(r"x-eskg-[a-z-]+[a-z]", sources, flags=re.IGNORECASE)):
        assert header.lower() in EXPOSED_HEADERS, f"add {header.lower()} to EXPOSED_HEADERS"


# --- GraphQL over HTTP ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "form"),
    [
        (None, Form.DEFAULT_JSON),
        ("*/*", Form.DEFAULT_JSON),
        ("application/json", Form.LEGACY_JSON),
        ("application/json, multipart/mixed", Form.LEGACY_JSON),
        ("application/graphql-response+json", Form.GRAPHQL_RESPONSE),
        ("application/graphql-response+json, application/json;q=0.9", Form.GRAPHQL_RESPONSE),
        ("application/graphql-response+json;q=0.5, application/json", Form.LEGACY_JSON),
        ("application/graphql-response+json;q=0, */*", Form.DEFAULT_JSON),
    ],
)
def test_accept_negotiation(accept: str | None, form: Form) -> None:
    assert negotiate(accept) is form


@pytest.mark.parametrize("query", ["{ __typename }", '{ entity(id: "org/meti") { id } }'])
def test_graphql_response_media_type(client: TestClient, query: str) -> None:
    """Both executors (compiled for an entity, strawberry for the rest) answer in it."""
    accept = "application/graphql-response+json, application/json;q=0.9"
    response = client.post("/graphql", json={"query": query}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/graphql-response+json; charset=utf-8"
    assert "accept" in response.headers["vary"].lower()
    assert response.json()["data"]


@pytest.mark.parametrize(
    ("accept", "status", "media"),
    [
        ("application/graphql-response+json", 400, "application/graphql-response+json"),
        ("application/json", 200, "application/json"),
        ("*/*", 400, "application/json"),
    ],
)
@pytest.mark.parametrize(
    "request_error",
    [
        {"query": "{"},
        {"query": "{ password }"},
        {
            "query": 'query ($n: Int) { search(text: "a", limit: $n) { id } }',
            "variables": {"n": "many"},
        },
    ],
)
def test_request_error_status_per_media_type(
    client: TestClient, accept: str, status: int, media: str, request_error: dict[str, object]
) -> None:
    response = client.post("/graphql", json=request_error, headers={"accept": accept})
    assert response.status_code == status
    assert response.headers["content-type"].startswith(media)
    body = response.json()
    assert body["errors"] and body.get("data") is None  # the operation never ran
    if media == "application/graphql-response+json":
        assert "data" not in body


def test_field_error_is_200_in_every_form(client: TestClient) -> None:
    for accept in ("application/graphql-response+json", "application/json", "*/*"):
        response = client.post(
            "/graphql",
            json={"query": '{ search(text: "a", limit: 100000) { id } }'},
            headers={"accept": accept},
        )
        assert response.status_code == 200 and response.json()["errors"], accept


def test_graphql_http_server_audits(served: str) -> None:
    """graphql-http's audits (the GraphQL over HTTP spec's reference suite): no MUST or
    SHOULD fails. Installed by scripts/test.sh (cd tests/graphql_http && npm ci)."""
    node = shutil.which("node")
    if node is None or not (AUDIT / "node_modules" / "graphql-http").is_dir():
        pytest.skip(
            "node or tests/graphql_http/node_modules missing (cd tests/graphql_http && npm ci)"
        )
    done = subprocess.run(
        [node, str(AUDIT / "audit.mjs"), f"{served}/graphql"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    results = json.loads(done.stdout)
    assert len(results) > 50
    failed = [r for r in results if r["status"] != "ok" and not r["name"].startswith("MAY")]
    assert failed == [], json.dumps(failed, indent=1, ensure_ascii=False)


# --- Upgrade: h2c --------------------------------------------------------------------


def _raw_post(url: str, path: str, content_type: str, body: bytes) -> tuple[int, bytes]:
    host, port = url.removeprefix("http://").split(":")
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
        "HTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=30) as sock:
        sock.sendall(head + body)
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536)
        header, _, rest = data.partition(b"\r\n\r\n")
        length = int(re.search(rb"(?i)content-length: *(\d+)", header).group(1))  # type: ignore[union-attr]
        while len(rest) < length:
            rest += sock.recv(65536)
    return int(header.split()[1]), rest


def test_h2c_upgrade_keeps_the_body(served: str) -> None:
    status, body = _raw_post(served, "/graphql", "application/json", b'{"query": "{ __typename }"}')
    assert status == 200 and json.loads(body) == {"data": {"__typename": "Query"}}
    status, body = _raw_post(
        served, "/sparql", "application/x-www-form-urlencoded", b"query=ASK%7B%7D"
    )
    assert status == 200 and json.loads(body)["boolean"] is True


def test_curl_http2_post(served: str) -> None:
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("no curl")
    done = subprocess.run(
        [
            curl,
            "-s",
            "--http2",
            "-X",
            "POST",
            "-H",
            "content-type: application/json",
            "-d",
            '{"query":"{ __typename }"}',
            f"{served}/graphql",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert json.loads(done.stdout) == {"data": {"__typename": "Query"}}


def test_java_httpclient_post(served: str) -> None:
    """Java's HttpClient at its defaults (it asks to upgrade to h2c) POSTs to both."""
    java = shutil.which("java")
    if java is None:
        pytest.skip("no java")
    source = ROOT / "tests" / "java" / "PostBody.java"
    cases = [
        ("/graphql", "application/json", '{"query": "{ __typename }"}', '"Query"'),
        ("/sparql", "application/sparql-query", "ASK {}", '"boolean":true'),
    ]
    for path, media, body, expected in cases:
        done = subprocess.run(
            [java, str(source), f"{served}{path}", media, body],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        lines = done.stdout.splitlines()
        assert lines[0].startswith("200 HTTP_1_1") and lines[2].startswith("200"), done.stdout
        assert expected in lines[1] and expected in lines[3], done.stdout
