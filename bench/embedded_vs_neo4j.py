"""Cold GraphQL answers on the embedded store against the Neo4j store, side by side.

For each scale (``seed``: the bundled curated data; a number: that many synthetic triples,
``cli.synthetic``) the same data is loaded into an embedded store (in memory, as
``eskg serve`` keeps it by default, or on disk with ``--disk``) and into a throw-away Neo4j
(``bench.neo4j_server``). One app per store, response cache off (``response_cache_mb=0``:
every request parsed, planned, read and encoded), answers every contract question of
``bench.query.QUERIES`` through httpx's ASGI transport: in process, no sockets, so what is
timed is the app and its store (for Neo4j, its Bolt round trips on loopback). Both answers
are checked equal first. The stores then take turns in rounds, one client sending back to
back for ``--seconds`` each, the order reversed every other round; a question's ratio is the
median of the rounds' ratios of p50s (brackets: first to third quartile), so both sides of
each ratio met the same moment of the shared machine. With ``--sparql`` a third side is the
embedded store answering its reads through their SPARQL (``EmbeddedStore.native`` off: how
it answered before ``eskg/store/embedded_reads.py``).

    python3 -m bench.embedded_vs_neo4j [--scales seed 1000000] [--rounds 9] [--seconds 0.5]
        [--disk] [--sparql] [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from api.app import create_app
from bench import query as qb
from bench.neo4j_server import LocalNeo4j
from cli import synthetic
from eskg.config import Settings
from eskg.ontology import Ontology, load_ontology
from eskg.queries import load_library
from eskg.store.base import Store
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore
from loaders.pipeline import build

ROOT = Path(__file__).resolve().parent.parent


def _load_average() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def _data(scale: str, settings: Settings) -> tuple[str, bytes | None, Any, dict[str, str]]:
    """(label, N-Quads or None, rdflib dataset or None, targets) of one scale."""
    if scale == "seed":
        ds = build(settings).compiled.dataset
        base = settings.base_iri
        targets = {
            "technology": base + "tech/semiconductors",
            "material": base + "material/permanent-magnets",
            "search": "永久磁石",
        }
        return f"seed data ({len(ds)} quads)", None, ds, targets
    data = synthetic.generate(int(scale))
    return f"synthetic {len(data)} quads", data.nquads().encode("utf-8"), None, data.targets


async def _side(
    client: httpx.AsyncClient, query: str, v: dict[str, Any], secs: float
) -> list[float]:
    """Latencies (s) of back-to-back requests for ``secs``."""
    out: list[float] = []
    end = time.perf_counter() + secs
    body = {"query": query, "variables": v}
    while time.perf_counter() < end:
        t = time.perf_counter()
        r = await client.post("/graphql", json=body)
        out.append(time.perf_counter() - t)
        if r.status_code != 200:
            raise RuntimeError(f"{r.status_code}: {r.text[:300]}")
    return out


def _quartiles(xs: list[float]) -> tuple[float, float, float]:
    if len(xs) < 2:
        return xs[0], xs[0], xs[0]
    q = statistics.quantiles(xs, n=4)
    return q[0], statistics.median(xs), q[2]


async def _compare(
    stores: dict[str, Store], settings: Settings, targets: dict[str, str], rounds: int, secs: float
) -> dict[str, Any]:
    # a request's whole answer may take long on this shared machine: time it, do not stop it
    cold = settings.model_copy(update={"response_cache_mb": 0, "request_timeout": 300.0})
    clients = {
        k: httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(cold, s)), base_url="http://bench"
        )
        for k, s in stores.items()
    }
    out: dict[str, Any] = {}
    try:
        for name, (query, _, _) in qb.QUERIES.items():
            v = qb.variables(name, targets)
            answers = {}
            for k, c in clients.items():
                r = await c.post("/graphql", json={"query": query, "variables": v})
                body = r.json()
                if r.status_code != 200 or body.get("errors"):
                    raise RuntimeError(f"{name} on {k}: {r.status_code} {str(body)[:300]}")
                answers[k] = body
            first = next(iter(answers.values()))
            for k, a in answers.items():
                if a != first:
                    raise RuntimeError(f"{name}: {k} answers differently")
            for c in clients.values():  # warm-up
                await _side(c, query, v, min(secs, 0.3))
            lat: dict[str, list[float]] = {k: [] for k in clients}
            per_round: list[dict[str, float]] = []
            for i in range(rounds):
                order = list(clients) if i % 2 == 0 else list(reversed(clients))
                p50s = {}
                for k in order:
                    got = await _side(clients[k], query, v, secs)
                    lat[k] += got
                    p50s[k] = statistics.median(got)
                per_round.append(p50s)
            ratios = {
                k: _quartiles([r[k] / r["neo4j"] for r in per_round])
                for k in clients
                if k != "neo4j"
            }
            out[name] = {
                "answer_size": qb.answer_size(first),
                "p50_ms": {k: statistics.median(x) * 1e3 for k, x in lat.items()},
                "p99_ms": {k: statistics.quantiles(x, n=100)[98] * 1e3 for k, x in lat.items()},
                "requests": {k: len(x) for k, x in lat.items()},
                "ratio_to_neo4j": ratios,
            }
            print(
                f"  {name}: "
                + ", ".join(f"{k} {p:.2f} ms" for k, p in out[name]["p50_ms"].items())
                + "; "
                + ", ".join(f"{k}/neo4j {r[1]:.2f}x" for k, r in ratios.items()),
                flush=True,
            )
    finally:
        for c in clients.values():
            await c.aclose()
    return out


def _embedded(onto: Ontology, settings: Settings, disk: Path | None) -> EmbeddedStore:
    return EmbeddedStore(onto, load_library(settings.queries_dir), disk)


def _fill(store: EmbeddedStore | Neo4jStore, nquads: bytes | None, ds: Any) -> float:
    t = time.perf_counter()
    if nquads is None:
        store.replace_all(ds)
    elif isinstance(store, EmbeddedStore):
        store.replace_with_nquads(nquads)
    else:
        store.replace_all_nquads(nquads)
    if isinstance(store, Neo4jStore):  # the full-text index fills after the load returns
        with store.driver.session(database=store.settings.neo4j_database) as session:
            session.run("CALL db.awaitIndexes(600)").consume()
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python3 -m bench.embedded_vs_neo4j", description=__doc__)
    ap.add_argument("--scales", nargs="+", default=["seed", "1000000"])
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--seconds", type=float, default=0.5, help="per store per round")
    ap.add_argument("--disk", action="store_true", help="the embedded store on disk (RocksDB)")
    ap.add_argument("--sparql", action="store_true", help="also the embedded store by SPARQL")
    ap.add_argument("--json", type=Path, help="write the numbers here")
    args = ap.parse_args(argv)
    settings = Settings()
    onto = load_ontology(settings.ontology_dir)
    git = ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]
    rev = subprocess.run(git, check=False, capture_output=True, text=True).stdout.strip()
    command = "python3 -m bench.embedded_vs_neo4j " + " ".join(argv or sys.argv[1:])
    before = _load_average()
    results: list[dict[str, Any]] = []
    with LocalNeo4j(settings, heap="2g", pagecache="1g") as neo:
        s = settings.model_copy(update={"neo4j_uri": neo.uri, "neo4j_password": ""})
        neo4j = Neo4jStore(onto, load_library(settings.queries_dir), s)
        try:
            for scale in args.scales:
                label, nquads, ds, targets = _data(scale, settings)
                with tempfile.TemporaryDirectory(prefix="eskg-bench-emb-") as tmp:
                    emb = _embedded(onto, settings, Path(tmp) / "store" if args.disk else None)
                    loads = {"embedded": _fill(emb, nquads, ds), "neo4j": _fill(neo4j, nquads, ds)}
                    stores: dict[str, Store] = {"embedded": emb, "neo4j": neo4j}
                    if args.sparql:
                        ref = _embedded(onto, settings, None)
                        ref.native = False
                        ref.store, ref.index = emb.store, emb.index
                        stores["embedded, SPARQL reads"] = ref
                    print(
                        f"{label}: loaded (s) {loads}, load average {_load_average()}", flush=True
                    )
                    found = asyncio.run(
                        _compare(stores, settings, targets, args.rounds, args.seconds)
                    )
                    results.append({"data": label, "load_seconds": loads, "questions": found})
        finally:
            neo4j.close()
    after = _load_average()
    print(
        f"\nCommand: `{command}` on {rev}; embedded store "
        f"{'on disk' if args.disk else 'in memory'}; load average (1, 5, 15 min) before "
        f"{before}, after {after}.\n"
    )
    sides = [k for k in results[0]["questions"][next(iter(qb.QUERIES))]["p50_ms"] if k != "neo4j"]
    head = "| data | question | " + " | ".join(f"{k} p50 ms" for k in sides)
    head += " | Neo4j p50 ms | " + " | ".join(f"{k} / Neo4j" for k in sides) + " |"
    print(head)
    print("|---|---|" + "---:|" * (2 * len(sides) + 1))
    for res in results:
        for name, q in res["questions"].items():
            p50 = q["p50_ms"]
            cells = [f"{p50[k]:.2f}" for k in sides] + [f"{p50['neo4j']:.2f}"]
            cells += [
                f"{r[1]:.2f}x [{r[0]:.2f}–{r[2]:.2f}]"
                for r in (q["ratio_to_neo4j"][k] for k in sides)
            ]
            print(f"| {res['data']} | {name} | " + " | ".join(cells) + " |")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "command": command,
                    "commit": rev,
                    "load_average": [before, after],
                    "results": results,
                },
                indent=1,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
