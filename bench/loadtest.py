"""Load test on loopback: 32 concurrent clients, 60 s of mixed GraphQL and SPARQL.

    python bench/loadtest.py --store embedded              # 32 clients, 60 s
    python bench/loadtest.py --store neo4j                 # starts its own Neo4j unless NEO4J_URI
    python bench/loadtest.py --store both --write-docs     # both, figures into docs/security.md
    python bench/loadtest.py --clients 8 --seconds 10      # a quick run
    python bench/loadtest.py --fairness --store both --write-docs  # ordinary p99 alone / beside bombs
    python bench/loadtest.py --fairness --rounds 5 --seconds 15   # 5 side-by-side rounds, median

It starts ``uvicorn api.app:create_app --factory`` (one process, as ``eskg serve`` runs) on a
free port of 127.0.0.1 and has ``--clients`` asyncio clients send requests back to back for
``--seconds`` (and at most ``--max-requests``), each with a 30 s timeout. The mix is the
questions the API exists for: search, an entity with its relations and sources, the two
flagship questions, a page of entities, and SPARQL SELECT, ASK and CONSTRUCT (on the Neo4j
server /sparql answers from the embedded copy of the same data that `eskg serve` keeps). An error is any status but 200, a GraphQL ``errors`` entry, or
a broken connection. For Neo4j, without NEO4J_URI a local Neo4j is started in a temporary
home on free ports, loaded with the bundled data, and stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from cli.neo4j_runtime import free_port  # the package is installed (pip install -e .)

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "security.md"

GRAPHQL = {
    "gql search": ('{ search(text: "磁石") { id label(lang: "ja") types } }', 3),
    "gql entity": (
        (
            '{ entity(id: "org/meti") { id label relations(limit: 20) { type direction '
            "target { id label } sources { locator quote } } sources { locator } } }"
        ),
        3,
    ),
    "gql flagship material": (
        (
            '{ measuresCoveringMaterial(material: "material/permanent-magnets") '
            "{ measure { id label } path { id } sources { locator quote document { id } } } }"
        ),
        2,
    ),
    "gql flagship technology": (
        '{ measuresCoveringTechnology(technology: "tech/semiconductors") { measure { id } path { id } } }',
        2,
    ),
    "gql entities page": (
        '{ entities(type: "Measure", limit: 20) { total items { id label } } }',
        1,
    ),
}
SPARQL = {
    "sparql select": (
        (
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
            "SELECT ?s ?label WHERE { ?s skos:prefLabel ?label FILTER(LANG(?label) = 'ja') } "
            "LIMIT 50"
        ),
        2,
    ),
    "sparql ask": ("ASK { ?s a <https://w3id.org/eskg/ontology#SpecifiedCriticalMaterial> }", 1),
    "sparql construct": (
        (
            "CONSTRUCT { <https://w3id.org/eskg/id/org/meti> ?p ?o } "
            "WHERE { <https://w3id.org/eskg/id/org/meti> ?p ?o }"
        ),
        1,
    ),
}


@dataclass
class Result:
    """What one run measured."""

    store: str
    clients: int
    seconds: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(v) for v in self.latencies.values())


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@contextmanager
def neo4j_instance() -> Iterator[str]:
    """NEO4J_URI when set (it must hold the loaded data), else our own loaded local Neo4j."""
    if os.environ.get("NEO4J_URI"):
        yield os.environ["NEO4J_URI"]
        return
    sys.path.insert(0, str(ROOT))
    from cli import neo4j_runtime
    from eskg.config import Settings
    from loaders.load import load

    settings = Settings()
    cfg = neo4j_runtime.RuntimeConfig.scratch(
        Path(tempfile.mkdtemp(prefix="eskg-loadtest-neo4j-")),
        heap="1g",
        pagecache="256m",
        settings=settings,
    )
    status = neo4j_runtime.start(cfg)
    try:
        own = settings.model_copy(update={"neo4j_uri": status.bolt_uri, "neo4j_password": ""})
        for summary in load(own, ["neo4j"]):
            print(f"loaded {summary}", file=sys.stderr)
        yield status.bolt_uri
    finally:
        neo4j_runtime.stop(cfg)


@dataclass(frozen=True)
class Served:
    """A server this bench started: its address and process id."""

    base: str
    pid: int


@contextmanager
def server(
    store: str, neo4j_uri: str | None, extra: dict[str, str] | None = None
) -> Iterator[Served]:
    port = free_port()
    env = {**os.environ, "ESKG_STORE": store, **(extra or {})}
    if neo4j_uri:
        env.update(NEO4J_URI=neo4j_uri, NEO4J_PASSWORD=os.environ.get("NEO4J_PASSWORD", ""))
    log = Path(tempfile.mkdtemp()) / "server.log"
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
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"the server exited:\n{log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("the server did not answer /health within 180 s")
            time.sleep(0.5)
        yield Served(base, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def mix(store: str) -> list[tuple[str, str, str]]:
    """(name, kind, text) repeated by weight."""
    out = [(name, "graphql", q) for name, (q, w) in GRAPHQL.items() for _ in range(w)]
    # On `--store neo4j` the server keeps an embedded copy of the same validated data for
    # /sparql (GraphQL answers from Neo4j), so the mix is the same on both.
    out += [(name, "sparql", q) for name, (q, w) in SPARQL.items() for _ in range(w)]
    return out


async def client_loop(
    http: httpx.AsyncClient,
    work: list[tuple[str, str, str]],
    result: Result,
    stop_at: float,
    budget: list[int],
    rng: random.Random,
) -> None:
    while time.monotonic() < stop_at and budget[0] > 0:
        budget[0] -= 1
        name, kind, text = rng.choice(work)
        started = time.perf_counter()
        problem = None
        try:
            if kind == "graphql":
                response = await http.post("/graphql", json={"query": text})
            else:
                response = await http.post(
                    "/sparql",
                    content=text.encode("utf-8"),
                    headers={"content-type": "application/sparql-query"},
                )
            if response.status_code != 200:
                problem = f"{name}: HTTP {response.status_code} {response.text[:160]}"
            elif kind == "graphql" and response.json().get("errors"):
                problem = f"{name}: GraphQL errors {response.json()['errors'][:1]}"
        except (httpx.HTTPError, ValueError) as exc:
            problem = f"{name}: {type(exc).__name__} {exc}"
        result.latencies[name].append(time.perf_counter() - started)
        if problem:
            result.errors[name] += 1
            if len(result.samples) < 10:
                result.samples.append(problem)


async def run_load(
    base: str, store: str, clients: int, seconds: float, max_requests: int
) -> Result:
    result = Result(store, clients, seconds)
    work = mix(store)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as http:
        for name, kind, text in {(n, k, t) for n, k, t in work}:  # warm up once each
            await (
                http.post("/graphql", json={"query": text})
                if kind == "graphql"
                else http.post(
                    "/sparql",
                    content=text.encode(),
                    headers={"content-type": "application/sparql-query"},
                )
            )
        started = time.monotonic()
        budget = [max_requests]
        await asyncio.gather(
            *(
                client_loop(http, work, result, started + seconds, budget, random.Random(i))
                for i in range(clients)
            )
        )
        result.seconds = time.monotonic() - started
    return result


#: Ordinary requests of the fairness row: cheap, each answered in milliseconds alone.
ORDINARY = [
    '{ entity(id: "org/meti") { id label } }',
    '{ entity(id: "doc/meti-action-plan-2024") { id label types } }',
    '{ search(text: "磁石", limit: 5) { id label } }',
]
#: Worst-case requests of the fairness row: the most a request may cost (just under
#: ESKG_GRAPHQL_MAX_COST), and the issue's bombs, which the cost limit refuses.
WORST = [
    '{ search(text: "%s", limit: 45) { id relations(limit: 100) { type target { id label } } } }',
    (
        'query { search(text: "%s", limit: 200) { ...A } } '
        "fragment A on Entity { relations(limit: 200) { target { ...B } } } "
        "fragment B on Entity { relations(limit: 200) { target { id } } }"
    ),
]


async def ordinary_loop(
    http: httpx.AsyncClient,
    stop_at: float,
    latencies: list[float],
    errors: list[str],
    rng: random.Random,
) -> None:
    """One ordinary client: a cheap request every 50 ms (not back to back)."""
    while time.monotonic() < stop_at:
        started = time.perf_counter()
        try:
            response = await http.post("/graphql", json={"query": rng.choice(ORDINARY)})
            if response.status_code != 200 or response.json().get("errors"):
                errors.append(f"HTTP {response.status_code} {response.text[:120]}")
        except (httpx.HTTPError, ValueError) as exc:
            errors.append(f"{type(exc).__name__} {exc}")
        latencies.append(time.perf_counter() - started)
        await asyncio.sleep(max(0.0, 0.05 - (time.perf_counter() - started)))


async def worst_loop(
    http: httpx.AsyncClient, stop_at: float, statuses: Counter[int], rng: random.Random
) -> None:
    """One abusive client: worst-case requests back to back (texts vary, so that no
    answer is ever served from a cache)."""
    while time.monotonic() < stop_at:
        text = rng.choice(WORST) % rng.choice("aeiounst")
        try:
            response = await http.post("/graphql", json={"query": text}, timeout=60)
            statuses[response.status_code] += 1
        except httpx.HTTPError:
            statuses[0] += 1


def abuse(base: str, stop_at: float, abusers: int, round_no: int) -> dict[int, int]:
    """``abusers`` worst-case clients until ``stop_at`` (``time.monotonic``, the same clock
    in every process), in the process this runs in: the statuses of their answers.

    They run in a process apart from the ordinary clients, as they would on another
    machine: in one event loop with them, reading and decoding a worst-case answer (up to
    some 500 kB) held up the ordinary clients' clocks, and the bench counted that against
    the server."""

    async def clients() -> Counter[int]:
        statuses: Counter[int] = Counter()
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:
            await asyncio.gather(
                *(
                    worst_loop(http, stop_at, statuses, random.Random(1000 * round_no + 100 + i))
                    for i in range(abusers)
                )
            )
        return statuses

    return dict(asyncio.run(clients()))


def rss_mb(pid: int) -> float:
    """The resident memory of a process (Linux /proc), in MB; nan elsewhere."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


@dataclass
class Phase:
    """What one phase of the fairness row measured."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)


@dataclass
class Fairness:
    """Rounds of (alone, beside) phases, and the server's memory around them."""

    rounds: list[tuple[Phase, Phase]] = field(default_factory=list)
    rss: dict[str, float] = field(default_factory=dict)


async def run_phase(
    http: httpx.AsyncClient,
    seconds: float,
    abusers: int,
    round_no: int,
    pid: int,
    rss: list[float],
    apart: ProcessPoolExecutor,
) -> Phase:
    """4 ordinary clients for ``seconds``, beside ``abusers`` worst-case ones (in the
    process ``apart``: ``abuse``)."""
    phase = Phase()
    stop_at = time.monotonic() + seconds

    async def sample() -> None:  # the server's memory while the phase runs
        while time.monotonic() < stop_at:
            rss.append(rss_mb(pid))
            await asyncio.sleep(0.5)

    abusive: list[asyncio.Future[dict[int, int]]] = []
    if abusers:
        abusive.append(
            asyncio.get_running_loop().run_in_executor(
                apart, abuse, str(http.base_url), stop_at, abusers, round_no
            )
        )
    await asyncio.gather(
        sample(),
        *(
            ordinary_loop(http, stop_at, phase.latencies, phase.errors, random.Random(i))
            for i in range(4)
        ),
        *abusive,
    )
    for done in abusive:
        phase.statuses.update(done.result())
    return phase


async def settled_rss(pid: int, seconds: float = 10.0) -> float:
    """The server's memory once it has been idle ``seconds`` (the least sampled then)."""
    found: list[float] = []
    stop_at = time.monotonic() + seconds
    while time.monotonic() < stop_at:
        found.append(rss_mb(pid))
        await asyncio.sleep(0.5)
    return min(found)


async def run_fairness(served: Served, seconds: float, bombs: int, rounds: int) -> Fairness:
    """``rounds`` times: the p99 of ordinary requests alone, then beside ``bombs``
    worst-case clients (side by side in time, so that the machine's other load weighs on
    both alike); the server's memory before, at its peak, and after."""
    out = Fairness()
    # the worst-case clients' process (``abuse``), started before the first round
    with ProcessPoolExecutor(1) as apart:
        apart.submit(int).result()
        async with httpx.AsyncClient(base_url=served.base, timeout=60) as http:
            for q in ORDINARY:
                await http.post("/graphql", json={"query": q})
            out.rss["baseline"] = await settled_rss(served.pid, 3.0)
            during: list[float] = []
            for n in range(rounds):
                alone = await run_phase(http, seconds, 0, n, served.pid, [], apart)
                beside = await run_phase(http, seconds, bombs, n, served.pid, during, apart)
                out.rounds.append((alone, beside))
            out.rss["peak"] = max(during, default=float("nan"))
            out.rss["after"] = await settled_rss(served.pid)
    return out


def fairness_report(store: str, found: Fairness, bombs: int, command: str) -> str:
    """The rounds, their ratios' median, and the server's memory."""
    lines = [
        (
            f"Run `{command}` on {time.strftime('%Y-%m-%d %H:%M')}, 127.0.0.1, {os.cpu_count()} "
            f"cores shared by client, server and store (and other sessions' work; load average "
            f"{os.getloadavg()[0]:.1f} at the end)."
        ),
        "",
        (
            f"**{store} store**: in each round 4 ordinary clients (a cheap request every 50 ms "
            f"each) alone, then the same beside {bombs} clients sending worst-case requests "
            "back to back (from a process of their own)."
        ),
        "",
        (
            "| round | alone: requests | p50 ms | p99 ms | beside: requests | p50 ms | p99 ms "
            "| errors | worst-case answers | p99 beside / alone |"
        ),
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    ratios = []
    for n, (alone, beside) in enumerate(found.rounds, 1):
        p99a, p99b = pct(alone.latencies, 0.99), pct(beside.latencies, 0.99)
        ratios.append(p99b / p99a)
        worst = ", ".join(f"{k}: {v}" for k, v in sorted(beside.statuses.items()))
        lines.append(
            f"| {n} | {len(alone.latencies)} | {pct(alone.latencies, 0.5) * 1000:.1f} | "
            f"{p99a * 1000:.1f} | {len(beside.latencies)} | "
            f"{pct(beside.latencies, 0.5) * 1000:.1f} | {p99b * 1000:.1f} | "
            f"{len(alone.errors) + len(beside.errors)} | {worst} | {ratios[-1]:.2f}x |"
        )
    every_alone = [x for a, _ in found.rounds for x in a.latencies]
    every_beside = [x for _, b in found.rounds for x in b.latencies]
    median = statistics.median(ratios) if ratios else float("nan")
    rss = found.rss
    lines += [
        "",
        (
            f"p99 beside / alone: median over {len(ratios)} rounds **{median:.2f}x**; all "
            f"rounds pooled {pct(every_beside, 0.99) / pct(every_alone, 0.99):.2f}x."
        ),
        "",
        (
            f"Server memory (RSS): {rss['baseline']:.0f} MB before, {rss['peak']:.0f} MB at "
            f"the peak beside the worst-case requests, {rss['after']:.0f} MB 10 s after they "
            "ended."
        ),
        "",
    ]
    return "\n".join(lines)


def report(results: list[Result], command: str) -> str:
    head = (
        f"Run `{command}` on {time.strftime('%Y-%m-%d')}, 127.0.0.1, "
        f"{os.cpu_count()} cores shared by client, server and store."
    )
    lines = [head, ""]
    for r in results:
        every = [x for v in r.latencies.values() for x in v]
        errors = sum(r.errors.values())
        lines += [
            (
                f"**{r.store} store**: {r.clients} clients, {r.seconds:.0f} s, {r.count} requests "
                f"({r.count / r.seconds:.0f}/s), **{errors} errors**; "
                f"p50 {pct(every, 0.5) * 1000:.0f} ms, p99 {pct(every, 0.99) * 1000:.0f} ms."
            ),
            "",
            "| request | count | errors | p50 ms | p90 ms | p99 ms | max ms |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for name in sorted(r.latencies):
            v = r.latencies[name]
            lines.append(
                f"| {name} | {len(v)} | {r.errors[name]} | {pct(v, 0.5) * 1000:.0f} | "
                f"{pct(v, 0.9) * 1000:.0f} | {pct(v, 0.99) * 1000:.0f} | {max(v) * 1000:.0f} |"
            )
        if r.samples:
            lines += ["", "First errors:", *[f"- `{s}`" for s in r.samples]]
        lines.append("")
    return "\n".join(lines)


def write_docs(store: str, markdown: str) -> None:
    begin, end = f"<!-- loadtest:{store}:begin -->", f"<!-- loadtest:{store}:end -->"
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
    parser.add_argument("--store", choices=["embedded", "neo4j", "both"], default="both")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--max-requests", type=int, default=500_000)
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument(
        "--fairness",
        action="store_true",
        help="measure ordinary requests alone and beside --bombs worst-case clients",
    )
    parser.add_argument("--bombs", type=int, default=4)
    parser.add_argument(
        "--rounds", type=int, default=3, help="fairness: alone/beside rounds, side by side"
    )
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that cleanups run
    if not 1 <= args.clients <= 256 or not 0 < args.seconds <= 600:
        parser.error("--clients must be 1..256 and --seconds at most 600 (bounded by design)")
    stores = ["embedded", "neo4j"] if args.store == "both" else [args.store]
    command = " ".join(["python bench/loadtest.py", *sys.argv[1:]])
    failed = False
    if args.fairness:
        if not 3 <= args.bombs <= 8 or not 1 <= args.rounds <= 20:
            parser.error("--bombs must be 3..8 and --rounds 1..20")
        nocache = {"ESKG_RESPONSE_CACHE_MB": "0"}
        for store in stores:
            if store == "neo4j":
                with neo4j_instance() as uri, server(store, uri, nocache) as served:
                    found = asyncio.run(run_fairness(served, args.seconds, args.bombs, args.rounds))
            else:
                with server(store, None, nocache) as served:
                    found = asyncio.run(run_fairness(served, args.seconds, args.bombs, args.rounds))
            markdown = fairness_report(store, found, args.bombs, command)
            print(markdown, flush=True)
            if args.write_docs:
                write_docs(f"fairness:{store}", markdown)
        return 0
    for store in stores:
        if store == "neo4j":
            with neo4j_instance() as uri, server(store, uri) as served:
                result = asyncio.run(
                    run_load(served.base, store, args.clients, args.seconds, args.max_requests)
                )
        else:
            with server(store, None) as served:
                result = asyncio.run(
                    run_load(served.base, store, args.clients, args.seconds, args.max_requests)
                )
        markdown = report([result], command)
        print(markdown, flush=True)
        failed |= bool(sum(result.errors.values()))
        if args.write_docs:
            write_docs(store, markdown)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
