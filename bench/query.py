"""Query benchmarks: our GraphQL server vs @neo4j/graphql on the same Neo4j and data,
the raw Cypher floor through the Python driver, and the embedded store.

The load loop (``bench.http_load``) opens ``concurrency`` keep-alive connections on
loopback, each sending the same request back to back until ``seconds`` have passed or
``max_requests`` were sent; every response must be 200 without GraphQL errors (a failed
response is counted and fails the comparison).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench import http_load
from bench.http_load import LoopResult

ROOT = Path(__file__).resolve().parent.parent
NODE_DIR = ROOT / "bench" / "neo4j-graphql"

LABEL = 'label(lang: "en")'

#: name -> (our query, their query, variable builder from targets)
QUERIES: dict[str, tuple[str, str, str]] = {
    "search by label": (
        f"query Q($t: String!) {{ search(text: $t, limit: 20) {{ id {LABEL} }} }}",
        "query Q($t: String!) { search(text: $t, limit: 20) { iri prefLabel_en } }",
        "search",
    ),
    "entity, two levels of relations": (
        "query Q($id: ID!) { entity(id: $id) { id " + LABEL + " ... on Technology {"
        " broader { id " + LABEL + " }"
        " incomingBroader { id "
        + LABEL
        + " ... on Technology { incomingCoversTechnology { id "
        + LABEL
        + " } } }"
        " incomingCoversTechnology { id "
        + LABEL
        + " ... on Measure { legalBasis { id "
        + LABEL
        + " } responsibleBody { id "
        + LABEL
        + " } } } } } }",
        (
            "query Q($id: String!) { resources(where: {iri: {eq: $id}}) { iri prefLabel_en"
            " broader { iri prefLabel_en }"
            " incomingBroader { iri prefLabel_en incomingCoversTechnology { iri prefLabel_en } }"
            " incomingCoversTechnology { iri prefLabel_en legalBasis { iri prefLabel_en }"
            " responsibleBody { iri prefLabel_en } } } }"
        ),
        "technology",
    ),
    "flagship: measures covering a technology": (
        "query Q($t: ID!) { measuresCoveringTechnology(technology: $t) { measure { id "
        + LABEL
        + " } path { id "
        + LABEL
        + " } sources { iri locator quote document { id } } } }",
        (
            "query Q($t: String!) { measuresCoveringTechnology(technology: $t) { measure { iri"
            " prefLabel_en } path { iri prefLabel_en } sources { iri locator quote document } } }"
        ),
        "technology",
    ),
    "flagship: measures covering a material": (
        "query Q($t: ID!) { measuresCoveringMaterial(material: $t) { measure { id "
        + LABEL
        + " } path { id "
        + LABEL
        + " } sources { iri locator quote document { id } } } }",
        (
            "query Q($t: String!) { measuresCoveringMaterial(material: $t) { measure { iri"
            " prefLabel_en } path { iri prefLabel_en } sources { iri locator quote document } } }"
        ),
        "material",
    ),
}


def variables(name: str, targets: dict[str, str]) -> dict[str, str]:
    kind = QUERIES[name][2]
    key = {"search": "t", "technology": "t", "material": "t"}[kind]
    if name.startswith("entity"):
        key = "id"
    return {key: targets[kind]}


def answer_size(body: dict[str, Any]) -> int:
    """How many items the first root field returned (to check both sides agree)."""
    data = body.get("data") or {}
    value = next(iter(data.values()), None)
    if isinstance(value, list):
        if (
            len(value) == 1
            and isinstance(value[0], dict)
            and "incomingCoversTechnology" in value[0]
        ):
            value = value[0]
        else:
            return len(value)
    if isinstance(value, dict):
        return sum(len(v) for v in value.values() if isinstance(v, list))
    return 0


def load_loop(
    url: str,
    query: str,
    variables: dict[str, Any],
    concurrency: int,
    seconds: float,
    max_requests: int = 1_000_000,
) -> LoopResult:
    """``concurrency`` keep-alive connections sending the request back to back
    (``bench.http_load``: a lean client, so the servers are measured, not the client)."""
    assert url.startswith("http://127.0.0.1:"), "load tests run on loopback only"
    return http_load.run(
        url, {"query": query, "variables": variables}, concurrency, seconds, max_requests
    )


def post(url: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    r = httpx.post(url, json={"query": query, "variables": variables}, timeout=60.0)
    body: dict[str, Any] = r.json()
    if r.status_code != 200 or body.get("errors"):
        raise RuntimeError(f"{url}: {r.status_code} {str(body)[:500]}")
    return body


# ----------------------------------------------------------------- servers


@dataclass
class Server:
    name: str
    proc: subprocess.Popen[bytes]
    url: str
    ready_seconds: float
    log: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def _wait_ready(
    proc: subprocess.Popen[bytes],
    url: str,
    probe: str,
    started: float,
    log: Path,
    timeout: float = 120.0,
) -> float:
    while time.perf_counter() - started < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited ({proc.returncode}):\n{log.read_text()[-2000:]}")
        try:
            r = httpx.post(url, json={"query": probe}, timeout=5.0)
            if r.status_code == 200 and not r.json().get("errors"):
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.02)
    proc.kill()
    raise RuntimeError(f"server at {url} not ready in {timeout} s:\n{log.read_text()[-2000:]}")


def start_eskg(
    port: int,
    env: dict[str, str],
    logdir: Path,
    store: str = "neo4j",
    label: str = "",
    root: Path = ROOT,
) -> Server:
    """`eskg serve --store STORE` as a user runs it; ready = first GraphQL answer.
    ``root`` is the checkout whose code serves (another revision's worktree: bench.ab)."""
    log = logdir / f"eskg-serve-{store}{label}-{port}.log"
    full_env = {**os.environ, **env}
    if root != ROOT:  # its own packages first, not the editable install of this checkout
        full_env["PYTHONPATH"] = str(root)
    cmd = [
        sys.executable,
        "-m",
        "cli.main",
        "serve",
        "--store",
        store,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    started = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            cmd,
            cwd=root,
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    url = f"http://127.0.0.1:{port}/graphql"
    ready = _wait_ready(proc, url, "{ __typename }", started, log)
    return Server(f"eskg serve --store {store}", proc, url, ready, log)


def start_neo4j_graphql(port: int, neo4j_uri: str, logdir: Path) -> Server:
    log = logdir / f"neo4j-graphql-{port}.log"
    env = {**os.environ, "NEO4J_URI": neo4j_uri, "PORT": str(port)}
    started = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            ["node", "server.mjs"],
            cwd=NODE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    url = f"http://127.0.0.1:{port}/"
    ready = _wait_ready(proc, url, "{ __typename }", started, log)
    return Server("@neo4j/graphql (Apollo Server)", proc, url, ready, log)


def npm_install() -> None:
    """`npm ci` from the committed lock file, once."""
    if (NODE_DIR / "node_modules" / "@neo4j" / "graphql").is_dir():
        return
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund"],
        cwd=NODE_DIR,
        check=True,
        stdout=subprocess.DEVNULL,
    )


# ------------------------------------------------------------ Cypher floor


def recorded_calls(
    store: Any, settings: Any, query: str, variables: dict[str, Any]
) -> list[tuple[str, str, dict[str, Any]]]:
    """The Cypher statements (name, text, parameters) our server runs for one request: by
    the compiled executor when the request compiles (as the server answers it), else by
    strawberry. A name joined by ``+`` is a statement composed of those named queries
    (``eskg.store.neo4j_batch``)."""
    from graphql.execution.values import get_variable_values

    from api.compiled_exec import execute
    from api.compiled_plan import Compiler
    from api.context import Context
    from api.schema import build_schema, validation_rules

    calls: list[tuple[str, str, dict[str, Any]]] = []
    original = store.run_text

    def spy(name: str, text: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        calls.append((name, text, dict(params)))
        return original(name, text, params)  # type: ignore[no-any-return]

    schema = build_schema(store.onto, settings)
    compiler = Compiler(schema._schema, validation_rules(settings), settings.graphql_max_tokens)
    plan = compiler.plan(query, None) if settings.graphql_compiled else None
    store.run_text = spy
    try:
        if plan is not None:
            coerced = get_variable_values(
                schema._schema, plan.operation.variable_definitions or (), variables
            )
            if isinstance(coerced, list):
                raise RuntimeError(str(coerced))
            execute(plan, store, settings, coerced)
        else:
            result = asyncio.run(
                schema.execute(
                    query,
                    variable_values=variables,
                    context_value=Context(store=store, settings=settings),
                )
            )
            if result.errors:
                raise RuntimeError(str(result.errors))
    finally:
        store.run_text = original
    return calls


def cypher_floor(
    driver: Any,
    calls: list[tuple[str, str, dict[str, Any]]],
    seconds: float,
    max_requests: int = 5000,
) -> LoopResult:
    """Replay the statements sequentially through the driver, one session per request."""
    texts = [(text, params) for _, text, params in calls]
    res = LoopResult()
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    while time.perf_counter() < deadline and len(res.latencies) < max_requests:
        t0 = time.perf_counter()
        with driver.session() as session:
            for text, params in texts:
                list(session.run(text, params))
        res.latencies.append(time.perf_counter() - t0)
    res.elapsed = time.perf_counter() - started
    return res


def timed(func: Any, seconds: float, max_requests: int = 20000) -> LoopResult:
    """Call func repeatedly in process (embedded store) and time each call."""
    res = LoopResult()
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    func()
    while time.perf_counter() < deadline and len(res.latencies) < max_requests:
        t0 = time.perf_counter()
        func()
        res.latencies.append(time.perf_counter() - t0)
    res.elapsed = time.perf_counter() - started
    return res


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


#: Rounds a level (question, clients) is measured in: every server in turn, each for an
#: equal share of the level's seconds, the order reversed every other round. (Five rounds
#: of 1 s with the two compared servers five places apart gave within-run ratios from
#: 0.49x to 1.07x on this shared machine: more, shorter rounds, the two adjacent.)
LEVEL_ROUNDS = 10


def level_rounds(
    servers: list[tuple[str, str, str]],
    variables: dict[str, Any],
    clients: int,
    seconds: float,
    count: int = LEVEL_ROUNDS,
) -> tuple[dict[str, LoopResult], list[dict[str, dict[str, float]]]]:
    """Each server's requests pooled over the rounds, and each round's p50 and
    throughput per server: a ratio of two servers is taken within a round, where both
    met the same moment of a shared machine, and the page reports the rounds' median."""
    pooled = {key: LoopResult() for key, _, _ in servers}
    rounds: list[dict[str, dict[str, float]]] = []
    for i in range(count):
        this: dict[str, dict[str, float]] = {}
        for key, url, text in servers if i % 2 == 0 else servers[::-1]:
            res = load_loop(url, text, variables, clients, seconds / count)
            into = pooled[key]
            into.latencies += res.latencies
            into.errors += res.errors
            into.elapsed += res.elapsed
            into.cache_hits += res.cache_hits
            into.first_error = into.first_error or res.first_error
            this[key] = {"p50_ms": res.p50 * 1e3, "throughput": res.throughput}
        rounds.append(this)
    return pooled, rounds
