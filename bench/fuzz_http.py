"""Fuzz the running HTTP API on loopback: zero server errors over 10,000+ generated cases.

    python bench/fuzz_http.py                       # embedded store, 10,000+ cases
    python bench/fuzz_http.py --store neo4j         # GraphQL on Neo4j (own server unless NEO4J_URI)
    python bench/fuzz_http.py --scale 0.1           # a quick run
    python bench/fuzz_http.py --write-docs          # also put the figures in docs/security.md

It starts ``uvicorn api.app:create_app --factory`` on a free port of 127.0.0.1 and runs:

1. schemathesis (``st run``) against ``/openapi.json`` with the ``not_a_server_error`` check:
   every documented route, its parameters and bodies, coverage + fuzzing + stateful phases;
2. GraphQL documents generated from the live schema (introspection) by hypothesis-graphql,
   valid and invalid ones (the ``positive`` and ``negative`` modes);
3. every string argument of the GraphQL root fields with arbitrary text and query-language
   meta-characters (the properties of tests/test_fuzz.py);
4. SPARQL: valid queries mutated with meta-characters, keywords and updates, by GET and
   POST in every content type, with random Accept headers (on the Neo4j server, /sparql
   answers from the embedded copy of the same data that the app keeps).

A case fails when the server answers 500 or more (except 503 from /sparql, which is its
documented time or concurrency limit and is counted apart), when a GraphQL error is the
masked "Unexpected error.", or when the connection breaks. Everything is bounded: a fixed
number of cases, a per-request timeout, loopback only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import graphql
import httpx
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cli.neo4j_runtime import free_port  # the package is installed (pip install -e .)

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "security.md"
BEGIN, END = "<!-- fuzz_http:begin -->", "<!-- fuzz_http:end -->"

# Query-language meta-characters and keywords (as in tests/test_fuzz.py).
META = list("'\"`\\{}[]()<>;:$?#/.,*|&=!%@^~ \t\n\r\x00") + [
    "UNION",
    "DETACH DELETE",
    "MATCH (n)",
    "INSERT DATA",
    "DROP ALL",
    "OR 1=1",
    "--",
    "//",
    "/*",
    "*/",
    "${",
    "}}",
    "\\u0000",
    "https://w3id.org/eskg/id/",
    "org/meti",
    "?s ?p ?o",
]
TEXT = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(META), max_size=12).map("".join),
    st.lists(st.one_of(st.sampled_from(META), st.text(max_size=4)), max_size=10).map("".join),
)
STRING_ARGUMENTS = {
    "entity.id": "query($v: ID!) { entity(id: $v) { id label } }",
    "search.text": "query($v: String!) { search(text: $v) { id } }",
    "search.types": 'query($v: String!) { search(text: "a", types: [$v]) { id } }',
    "measuresCoveringTechnology.technology": (
        "query($v: ID!) { measuresCoveringTechnology(technology: $v) { measure { id } } }"
    ),
    "measuresCoveringMaterial.material": (
        "query($v: ID!) { measuresCoveringMaterial(material: $v) { measure { id } } }"
    ),
    "entities.type": "query($v: String!) { entities(type: $v, limit: 5) { total } }",
    "shortestPaths.from": 'query($v: ID!) { shortestPaths(from: $v, to: "org/meti") { path { id } } }',
    "shortestPaths.to": 'query($v: ID!) { shortestPaths(from: "org/meti", to: $v) { path { id } } }',
    "Entity.label.lang": 'query($v: String) { entity(id: "org/meti") { label(lang: $v) } }',
    "Entity.relations.type": (
        'query($v: String) { entity(id: "org/meti") { relations(type: $v) { type } } }'
    ),
}
SPARQL_BASE = [
    "SELECT ?s WHERE { ?s a <https://w3id.org/eskg/ontology#Material> } LIMIT 20",
    'PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nSELECT ?s ?l { ?s skos:prefLabel ?l FILTER(CONTAINS(STR(?l), "磁石")) } LIMIT 10',
    "ASK { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 5",
    "DESCRIBE <https://w3id.org/eskg/id/org/meti>",
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * FROM <urn:x> WHERE { ?s ?p ?o } LIMIT 3",
]
SPARQL_INSERTS = [
    " } UNION { ?s ?p ?o } ",
    " ; INSERT DATA { <urn:a> <urn:b> <urn:c> } ",
    "DROP ALL",
    " SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } ",
    '"',
    "'",
    "<",
    ">",
    "{",
    "}",
    "#",
    "\\",
    "\x00",
    " FILTER(",
    " LIMIT -1 ",
    " OFFSET 99999999999999999999 ",
    "\ud7ff",
    "𝔼",
    " LOAD <http://127.0.0.1:1/x> ",
    " CLEAR ALL ",
    "PREFIX : <",
    " GRAPH ?g { ",
]
SPARQL_TYPES = [
    "application/sparql-query",
    "application/x-www-form-urlencoded",
    "application/sparql-update",
    "text/plain",
    "application/json",
    "",
    "multipart/form-data; boundary=x",
]
ACCEPTS = [
    None,
    "*/*",
    "application/sparql-results+json",
    "text/csv",
    "text/turtle",
    "application/ld+json",
    "image/png",
    "text/*;q=0",
    "application/*",
    "garbage;;q=x",
]


@dataclass
class Tally:
    """Counts of one phase."""

    cases: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    limited: int = 0  # documented 503 of /sparql (timeout, concurrency)

    def record(self, label: str, response: httpx.Response | None, error: str | None = None) -> None:
        self.cases += 1
        if response is None:
            self.server_errors.append(f"{label}: {error}")
            return
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            if response.status_code == 503 and label.startswith("sparql"):
                self.limited += 1
            else:
                self.server_errors.append(f"{label}: {response.status_code} {response.text[:200]}")
        elif label.startswith("graphql") and masked(response):
            self.server_errors.append(f"{label}: masked error {response.text[:200]}")


def masked(response: httpx.Response) -> bool:
    """True when a GraphQL answer hides an unexpected exception behind MaskErrors."""
    try:
        errors = response.json().get("errors") or []
    except (ValueError, AttributeError):
        return False
    return any(isinstance(e, dict) and e.get("message") == "Unexpected error." for e in errors)


def start_server(
    store: str, port: int, log: Path, neo4j_uri: str | None = None
) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ESKG_STORE": store}
    if neo4j_uri:
        env["NEO4J_URI"] = neo4j_uri
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "api.app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    proc.terminate()
    raise SystemExit("the server did not answer /health within 180 s")


def run_schemathesis(base: str, examples: int, seed: int, store: str) -> tuple[Tally, str]:
    """schemathesis on /openapi.json; returns the tally and the command line."""
    report = Path(tempfile.mkdtemp()) / "schemathesis.json"
    cmd = [
        "schemathesis",
        "run",
        f"{base}/openapi.json",
        "--checks",
        "not_a_server_error",
        "-n",
        str(examples),
        "--seed",
        str(seed),
        "--request-timeout",
        "30",
        "--no-color",
        "--report-json-path",
        str(report),
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    tally = Tally()
    if not report.is_file():
        tally.server_errors.append(
            f"schemathesis did not run: {done.stdout[-1500:]}{done.stderr[-1500:]}"
        )
        return tally, " ".join(cmd[:-2])
    data = json.loads(report.read_text())
    tally.cases = int(data["test_cases"]["generated"])
    for failure in data.get("failures", []):
        tally.server_errors.append(
            f"schemathesis {failure.get('title')}: {failure.get('operations')}"
        )
    for error in data.get("errors", []):
        tally.server_errors.append(f"schemathesis error: {str(error)[:300]}")
    if done.returncode != 0 and not tally.server_errors:
        tally.server_errors.append(f"schemathesis exit {done.returncode}: {done.stdout[-800:]}")
    shown = " ".join(cmd[1:3] + cmd[3:-2]).replace(base, "")
    return tally, f"schemathesis {shown}"


def hypothesis_run(examples: int, seed: int, strategy: st.SearchStrategy[Any], body: Any) -> None:
    """Run ``body(value)`` for ``examples`` generated values: generation only, no shrinking."""

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        derandomize=False,
    )
    @given(value=strategy)
    def run(value: Any) -> None:
        body(value)

    random.seed(seed)
    run()


def post_json(client: httpx.Client, payload: dict[str, Any]) -> httpx.Response:
    content = json.dumps(payload)  # ASCII: any generated text travels
    return client.post("/graphql", content=content, headers={"content-type": "application/json"})


def run_graphql_schema(client: httpx.Client, examples: int, seed: int) -> Tally:
    from hypothesis_graphql import Mode, from_schema

    intro = post_json(client, {"query": graphql.get_introspection_query()}).json()["data"]
    schema = graphql.build_client_schema(intro)
    dates = st.dates().map(lambda d: graphql.StringValueNode(value=d.isoformat()))
    custom = {"Date": dates}
    strategy = st.one_of(
        from_schema(schema, custom_scalars=custom, mode=Mode.POSITIVE),
        from_schema(schema, custom_scalars=custom, mode=Mode.NEGATIVE),
    )
    tally = Tally()

    def body(query: Any) -> None:
        text = query if isinstance(query, str) else str(query)
        try:
            tally.record("graphql", post_json(client, {"query": text}))
        except httpx.HTTPError as exc:
            tally.record("graphql", None, f"{type(exc).__name__}: {text[:200]}")

    hypothesis_run(examples, seed, strategy, body)
    return tally


def run_string_arguments(client: httpx.Client, examples: int, seed: int) -> Tally:
    tally = Tally()
    strategy = st.tuples(st.sampled_from(sorted(STRING_ARGUMENTS)), TEXT)

    def body(case: tuple[str, str]) -> None:
        name, value = case
        try:
            response = post_json(
                client, {"query": STRING_ARGUMENTS[name], "variables": {"v": value}}
            )
            tally.record(f"graphql {name}", response)
        except httpx.HTTPError as exc:
            tally.record(f"graphql {name}", None, f"{type(exc).__name__}: {value!r}")

    hypothesis_run(examples, seed, strategy, body)
    return tally


def mutate(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(0, 3)):
        where = rng.randint(0, len(text))
        choice = rng.random()
        if choice < 0.6:
            text = text[:where] + rng.choice(SPARQL_INSERTS) + text[where:]
        elif choice < 0.8:
            text = text[:where]
        else:
            text = text[:where] + text[where : where + rng.randint(1, 30)] * 2 + text[where:]
    return text


def run_sparql(client: httpx.Client, cases: int, seed: int) -> Tally:
    rng = random.Random(seed)
    tally = Tally()
    for _ in range(cases):
        query = mutate(rng, rng.choice(SPARQL_BASE))
        accept = rng.choice(ACCEPTS)
        headers = {"accept": accept} if accept else {}
        try:
            if rng.random() < 0.4:
                name = rng.choice(
                    ["query", "query", "update", "default-graph-uri", "named-graph-uri"]
                )
                params: list[tuple[str, str | int | float | bool | None]] = [(name, query)]
                if rng.random() < 0.2:
                    params.append(("default-graph-uri", rng.choice(["urn:x", "not an iri", "<>"])))
                response = client.get("/sparql", params=params, headers=headers)
            else:
                ctype = rng.choice(SPARQL_TYPES)
                raw = query.encode("utf-8", "surrogatepass")
                if ctype == "application/x-www-form-urlencoded":
                    raw = httpx.QueryParams({"query": query}).__str__().encode()
                if rng.random() < 0.05:
                    raw = raw + b"\xff\xfe"
                response = client.post(
                    "/sparql", content=raw, headers={**headers, "content-type": ctype}
                )
            tally.record("sparql", response)
        except httpx.HTTPError as exc:
            tally.record("sparql", None, f"{type(exc).__name__}: {query[:200]!r}")
    return tally


ROUTES = ["/graphql", "/sparql", "/id/org/meti", "/dumps/", "/reconcile"]
CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-16",
    "application/json; charset=bogus",
    "application/graphql",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "multipart/form-data; boundary=x",
    "application/octet-stream",
    "application/sparql-query",
    "",
    "application/json;;\tcharset=",
]


def hostile_body(rng: random.Random) -> tuple[bytes, str]:
    """One hostile request body and content type (issue 20's shapes)."""
    depth = rng.choice([10, 100, 1000, 3000, 5000, 20000])
    shape = rng.randrange(9)
    if shape == 0:  # deeply nested JSON in variables / extensions / the whole body
        nested = (
            (b"[" * depth + b"]" * depth)
            if rng.random() < 0.5
            else (b'{"a":' * depth + b"1" + b"}" * depth)
        )
        where = rng.choice([b"variables", b"extensions", b"operationName", None])
        body = (
            nested
            if where is None
            else b'{"query":"{__typename}","' + where + b'":' + nested + b"}"
        )
    elif shape == 1:  # nested fragments (chains and fans)
        n = rng.randrange(2, 12)
        frags = (
            " ".join(
                f"fragment F{i} on Entity {{ id relations(limit:{rng.choice([1, 50, 200])}) "
                f"{{ target {{ ...F{i + 1} {'...F' + str(i + 1) if rng.random() < 0.5 else ''} }} }} }}"
                for i in range(n)
            )
            + f" fragment F{n} on Entity {{ id }}"
        )
        body = json.dumps({"query": f'{{ search(text:"e") {{ ...F0 }} }} {frags}'}).encode()
    elif shape == 2:  # variable-driven limits
        levels = rng.randrange(1, 6)
        inner = "id"
        for _ in range(levels):
            inner = f"relations(limit:$l) {{ target {{ {inner} }} }}"
        value = rng.choice([0, 1, 200, 201, -1, 10**12, "200", None, 2.5, [200]])
        body = json.dumps(
            {
                "query": f'query($l:Int){{ search(text:"e", limit:$l) {{ {inner} }} }}',
                "variables": {"l": value},
            }
        ).encode()
    elif shape == 3:  # aliases x fragments x variables
        aliases = " ".join(
            f'a{i}: search(text:"{c}", limit:$l) {{ ...R }}'
            for i, c in enumerate("aeiou"[: rng.randrange(1, 6)])
        )
        body = (
            '{"query":"query($l:Int){ ' + aliases + " } fragment R on Entity { relations(limit:$l) "
            '{ target { relations(limit:$l) { type } } } }","variables":{"l":'
            + str(rng.choice([2, 50, 200]))
            + "}}"
        ).encode()
    elif shape == 4:  # long strings
        text = rng.choice(["x", "\u3042", "\ud83d\ude00", "'", "\\"]) * rng.choice(
            [1000, 100_000, 300_000]
        )
        body = ('{"query":"{ search(text:\\"' + text + '\\") { id } }"}').encode(
            "utf-8", "surrogatepass"
        )
    elif shape == 5:  # invalid UTF-8 and odd encodings
        raw = b'{"query":"{ search(text:\\"X\\") { id } }"}'
        bad = rng.choice([b"\xff\xfe", b"\xed\xa0\x80", b"\xc0\xaf", b"\x80", b"\x00"])
        body = raw.replace(b"X", bad) if rng.random() < 0.7 else bad + raw
    elif shape == 6:
        body = '{"query":"{__typename}"}'.encode(rng.choice(["utf-16", "utf-32", "utf-8-sig"]))
    elif shape == 7:  # deeply nested documents
        body = json.dumps(
            {"query": '{ entity(id:"x") ' + "{ relations { target " * (depth // 10) + "{ id }"}
        ).encode()
    else:  # a deep SPARQL group or expression
        body = ("SELECT * WHERE { " + rng.choice(["{", "FILTER(", "["]) * depth).encode()
    return body, rng.choice(CONTENT_TYPES)


def run_hostile(client: httpx.Client, cases: int, seed: int) -> Tally:
    """Issue 20's shapes against every route: none may give a server error."""
    rng = random.Random(seed)
    tally = Tally()
    reconcile = client.get("/reconcile").status_code != 404
    routes = [r for r in ROUTES if reconcile or r != "/reconcile"]
    for _ in range(cases):
        body, ctype = hostile_body(rng)
        route = rng.choice(routes)
        try:
            if rng.random() < 0.2:  # the same shapes in a query string
                response = client.get(route, params={"query": body[:6000].decode("latin-1")})
            else:
                response = client.post(route, content=body, headers={"content-type": ctype})
            tally.record(f"hostile {route}", response)
        except httpx.HTTPError as exc:
            tally.record(f"hostile {route}", None, f"{type(exc).__name__}: {body[:100]!r}")
    return tally


def write_docs(store: str, markdown: str) -> None:
    begin, end = (
        (BEGIN, END)
        if store == "embedded"
        else (f"<!-- fuzz_http:{store}:begin -->", f"<!-- fuzz_http:{store}:end -->")
    )
    text = DOC.read_text(encoding="utf-8")
    if begin not in text:
        text += f"\n{begin}\n{end}\n"
    before, rest = text.split(begin, 1)
    _, after = rest.split(end, 1)
    DOC.write_text(f"{before}{begin}\n{markdown}\n{end}{after}", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--store", choices=["embedded", "neo4j"], default="embedded")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every case count")
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--write-docs", action="store_true", help="update docs/security.md")
    parser.add_argument("--hostile", type=int, default=5000, help="hostile-shape cases (issue 20)")
    parser.add_argument("--only-hostile", action="store_true", help="run only the hostile shapes")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that cleanups run
    n = {
        "openapi": max(5, int(100 * args.scale)),  # per operation and phase
        "graphql": int(3000 * args.scale),
        "arguments": int(3500 * args.scale),
        "sparql": int(3500 * args.scale),  # on neo4j, /sparql answers from an embedded copy
        "hostile": int(args.hostile * args.scale),
    }
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = Path(tempfile.mkdtemp()) / "server.log"
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        uri = None
        if args.store == "neo4j":  # NEO4J_URI, or a local Neo4j loaded with the bundled data
            sys.path.insert(0, str(ROOT / "bench"))
            from loadtest import neo4j_instance

            uri = stack.enter_context(neo4j_instance())
        return report(args, run_all(args, n, port, base, log, uri), started)


def run_all(
    args: argparse.Namespace, n: dict[str, int], port: int, base: str, log: Path, uri: str | None
) -> tuple[dict[str, Tally], str, bool]:
    server = start_server(args.store, port, log, uri)
    results: dict[str, Tally] = {}
    try:
        st_cmd = "(not run: --only-hostile)"
        if not args.only_hostile:
            results["schemathesis (OpenAPI)"], st_cmd = run_schemathesis(
                base, n["openapi"], args.seed, args.store
            )
        with httpx.Client(base_url=base, timeout=30) as client:
            if n["hostile"]:
                results["hostile shapes (issue 20)"] = run_hostile(client, n["hostile"], args.seed)
            if args.only_hostile:
                n = {**n, "graphql": 0, "arguments": 0, "sparql": 0}
            if n["graphql"]:
                results["GraphQL documents (hypothesis-graphql)"] = run_graphql_schema(
                    client, n["graphql"], args.seed
                )
            if n["arguments"]:
                results["GraphQL string arguments"] = run_string_arguments(
                    client, n["arguments"], args.seed
                )
            if n["sparql"]:
                results["SPARQL mutations"] = run_sparql(client, n["sparql"], args.seed)
        alive = httpx.get(f"{base}/health", timeout=10).status_code == 200
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    return results, st_cmd, alive


def report(
    args: argparse.Namespace, run: tuple[dict[str, Tally], str, bool], started: float
) -> int:
    results, st_cmd, alive = run
    seconds = time.monotonic() - started
    total = sum(t.cases for t in results.values())
    errors = [e for t in results.values() for e in t.server_errors]
    command = " ".join(["python bench/fuzz_http.py", *sys.argv[1:]])
    lines = [
        (
            f"Run `{command}` ({args.store} store, seed {args.seed}, "
            f"{time.strftime('%Y-%m-%d')}): **{total} cases in {seconds:.0f} s, "
            f"{len(errors)} server errors**; the server answered /health afterwards: {alive}."
        ),
        "",
        "| phase | cases | server errors | statuses |",
        "|---|---:|---:|---|",
    ]
    for name, t in results.items():
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(t.statuses.items())) or "(see report)"
        if t.limited:
            statuses += f" (503 = SPARQL time/concurrency limit: {t.limited})"
        lines.append(f"| {name} | {t.cases} | {len(t.server_errors)} | {statuses} |")
    lines.append("")
    lines.append(f"schemathesis: `{st_cmd}`.")
    markdown = "\n".join(lines)
    print(markdown)
    for e in errors[:30]:
        print("SERVER ERROR:", re.sub(r"\s+", " ", e)[:300])
    if args.write_docs:
        write_docs(args.store, markdown)
    return 1 if errors or not alive else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
