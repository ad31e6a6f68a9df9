"""One command for every benchmark: ``python3 -m bench.run [--quick]``.

Starts a throw-away Neo4j 5.26 (cli.neo4j_runtime, temporary home, free ports), runs the
load, query, embedded and start-up benchmarks side by side in this one session, stops
Neo4j, and writes ``docs/benchmarks.md`` with the raw numbers in
``bench/results/full.json`` (the previous session's kept as ``full-previous.json``).
``--quick`` uses smaller data and shorter loops (a few minutes) and writes
``bench/results/quick.md`` instead; the full run stays under about 25 minutes.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from neo4j import GraphDatabase

from bench import load as loadbench
from bench import query as qb
from bench.http_load import LoopResult
from bench.neo4j_server import LocalNeo4j
from bench.report import write_report
from cli import synthetic
from cli.neo4j_runtime import free_port
from eskg.config import Settings
from eskg.ontology import load_ontology
from eskg.queries import load_library
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

PROFILES = {
    "quick": {
        "load_scales": [10_000, 100_000],
        "load_repeats": 1,
        "million_repeats": 1,
        "peer_max": 100_000,
        "query_scale": 10_000,
        "seconds": 1.5,
        "concurrency": [1, 8, 32],
        "embedded_scales": [100_000],
        "floor_seconds": 1.0,
        "serve_repeats": 1,
    },
    # 1M is timed three times too: one run moved by 10% with the machine's other load
    # (101k triples/s, then 92k, the loader unchanged), across the 100k/s target
    "full": {
        "load_scales": [10_000, 100_000, 1_000_000],
        "load_repeats": 3,
        "million_repeats": 3,
        "peer_max": 100_000,
        "query_scale": 100_000,
        "seconds": 5.0,
        "concurrency": [1, 8, 32],
        "embedded_scales": [100_000, 1_000_000],
        "floor_seconds": 3.0,
        "serve_repeats": 3,
    },
}


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def _cmd(args: list[str]) -> str:
    try:
        return subprocess.run(
            args, capture_output=True, text=True, check=False, cwd=ROOT
        ).stdout.strip()
    except OSError:
        return "?"


def machine() -> dict[str, Any]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    from importlib.metadata import PackageNotFoundError, version

    def v(pkg: str) -> str:
        try:
            return version(pkg)
        except PackageNotFoundError:
            return "?"

    node_pkgs = {}
    lock = ROOT / "bench" / "neo4j-graphql" / "package-lock.json"
    if lock.is_file():
        packages = json.loads(lock.read_text()).get("packages", {})
        for name in ("@neo4j/graphql", "@apollo/server", "graphql", "neo4j-driver"):
            node_pkgs[name] = packages.get(f"node_modules/{name}", {}).get("version", "?")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "java": subprocess.run(
            ["java", "-version"], capture_output=True, text=True, check=False
        ).stderr.splitlines()[0],
        "node": _cmd(["node", "--version"]),
        "packages": {
            p: v(p)
            for p in (
                "rdflib",
                "rdflib-neo4j",
                "neo4j",
                "pyoxigraph",
                "strawberry-graphql",
                "fastapi",
                "uvicorn",
                "httpx",
            )
        },
        "node_packages": node_pkgs,
        "commit": _cmd(["git", "rev-parse", "--short", "HEAD"]),
        # changed tracked files, bar the run's own output (the results it rotates, the page)
        "dirty": len(
            _cmd(
                [
                    "git",
                    "status",
                    "--porcelain",
                    "--untracked-files=no",
                    "--",
                    ".",
                    ":!bench/results",
                    ":!docs/benchmarks.md",
                ]
            ).splitlines()
        ),
        "load_before": os.getloadavg(),
    }


def bench_load(
    cfg: dict[str, Any], uri: str, onto: Any, settings: Settings
) -> list[dict[str, Any]]:
    out = []
    for scale in cfg["load_scales"]:
        log(f"load: generating {scale} triples")
        t0 = time.perf_counter()
        data = synthetic.generate(scale)
        gen = time.perf_counter() - t0
        repeats = cfg["load_repeats"] if scale < 1_000_000 else cfg["million_repeats"]
        # one warm-up round (JVM JIT, plan cache) before the first scale only
        results = loadbench.run_scale(
            data,
            uri,
            onto,
            settings,
            repeats,
            peers=scale <= cfg["peer_max"],
            log=log,
            warmup=scale == cfg["load_scales"][0],
        )
        for r in results:
            out.append(
                {
                    "tool": r.tool,
                    "target": scale,
                    "triples": r.triples,
                    "seconds": r.seconds,
                    "median": r.median,
                    "rate": r.rate,
                    "error": r.error,
                    "detail": r.detail,
                    "generate_seconds": gen,
                }
            )
        del data
    return out


def bench_queries(
    cfg: dict[str, Any], uri: str, onto: Any, settings: Settings, logdir: Path
) -> dict[str, Any]:
    scale = cfg["query_scale"]
    log(f"query: loading {scale} synthetic triples into Neo4j with our loader")
    data = synthetic.generate(scale)
    s = settings.model_copy(update={"neo4j_uri": uri, "neo4j_password": ""})
    store = Neo4jStore(onto, load_library(settings.queries_dir), s)
    driver = GraphDatabase.driver(uri, notifications_min_severity="OFF")
    loadbench.reset(driver)
    store.replace_all(data.dataset())
    env = {"NEO4J_URI": uri, "NEO4J_PASSWORD": "", "ESKG_STORE": "neo4j"}
    qb.npm_install()
    # the peer's @cypher fields embed queries/*.cypher: regenerate so they never drift
    from bench import neo4j_graphql_schema

    neo4j_graphql_schema.OUT.write_text(neo4j_graphql_schema.type_defs(onto), encoding="utf-8")
    ours = qb.start_eskg(free_port(), env, logdir)
    # the same server with its response cache off: every request parsed, run and encoded
    cold = qb.start_eskg(
        free_port(), {**env, "ESKG_RESPONSE_CACHE_MB": "0"}, logdir, label="-nocache"
    )
    # ... and in one process (ESKG_WORKERS=1; by default it runs one per core on Neo4j)
    single = qb.start_eskg(
        free_port(),
        {**env, "ESKG_RESPONSE_CACHE_MB": "0", "ESKG_WORKERS": "1"},
        logdir,
        label="-nocache-1proc",
    )
    # ... and with the compiled executor off too: every request through graphql-core's
    # per-field execution (what the server did before api/compiled_exec.py)
    general = qb.start_eskg(
        free_port(),
        {**env, "ESKG_RESPONSE_CACHE_MB": "0", "ESKG_GRAPHQL_COMPILED": "false"},
        logdir,
        label="-nocache-general",
    )
    theirs = qb.start_neo4j_graphql(free_port(), uri, logdir)
    # our server on the embedded store holding the same data (Oxigraph on disk, one copy
    # per server: a store directory is opened by one process at a time)
    stores = Path(tempfile.mkdtemp(prefix="eskg-bench-embedded-"))
    disk = EmbeddedStore(onto, load_library(settings.queries_dir), stores / "a")
    disk.replace_all(data.dataset())
    disk.store.flush()
    del disk
    shutil.copytree(stores / "a", stores / "b")
    emb = qb.start_eskg(
        free_port(),
        {"ESKG_STORE": "embedded", "ESKG_EMBEDDED_PATH": str(stores / "a")},
        logdir,
        store="embedded",
    )
    emb_cold = qb.start_eskg(
        free_port(),
        {
            "ESKG_STORE": "embedded",
            "ESKG_EMBEDDED_PATH": str(stores / "b"),
            "ESKG_RESPONSE_CACHE_MB": "0",
        },
        logdir,
        store="embedded",
        label="-nocache",
    )
    out: dict[str, Any] = {
        "scale": len(data),
        "targets": data.targets,
        "queries": {},
        "ready": {"ours_neo4j_first": ours.ready_seconds, "neo4j_graphql": theirs.ready_seconds},
    }
    try:
        for name, (our_q, their_q, _) in qb.QUERIES.items():
            v = qb.variables(name, data.targets)
            a = qb.post(ours.url, our_q, v)
            for other in (cold, single, general, emb, emb_cold):
                if a != qb.post(other.url, our_q, v):
                    raise RuntimeError(f"{name}: {other.name} answers differently from {ours.name}")
            b = qb.post(theirs.url, their_q, v)
            entry: dict[str, Any] = {
                "variables": v,
                "our_query": our_q,
                "their_query": their_q,
                "answer_size": [qb.answer_size(a), qb.answer_size(b)],
                "levels": {},
            }
            for c in cfg["concurrency"]:
                # the two the targets compare side by side in every round
                servers = [
                    ("ours_cold", cold.url, our_q),
                    ("theirs", theirs.url, their_q),
                    ("ours", ours.url, our_q),
                    ("ours_cold_one", single.url, our_q),
                    ("ours_general", general.url, our_q),
                    ("embedded", emb.url, our_q),
                    ("embedded_cold", emb_cold.url, our_q),
                ]
                for _, url, text in servers:  # warm them all, then measure in rounds
                    qb.load_loop(url, text, v, c, 0.5)
                level, rounds = qb.level_rounds(servers, v, c, cfg["seconds"])
                entry["levels"][c] = {key: _loop(res) for key, res in level.items()}
                entry["levels"][c]["rounds"] = rounds
                log(
                    f"query {name} c={c}: "
                    + ", ".join(
                        f"{key} p50 {res.p50 * 1e3:.1f} ms {res.throughput:.0f}/s"
                        for key, res in level.items()
                    )
                )
            calls = qb.recorded_calls(store, s, our_q, v)
            floor = qb.cypher_floor(driver, calls, cfg["floor_seconds"])
            entry["floor"] = _loop(floor)
            entry["floor_statements"] = [n for n, _, _ in calls]
            # the statements graphql-core's executor sends for the same request
            general_calls = qb.recorded_calls(
                store, s.model_copy(update={"graphql_compiled": False}), our_q, v
            )
            entry["general_statements"] = [n for n, _, _ in general_calls]
            log(
                f"query {name}: Cypher floor p50 {floor.p50 * 1e3:.2f} ms ({len(calls)} statements)"
            )
            entry["overhead_paired"] = _paired_overhead(driver, calls, cold.url, our_q, v)
            log(
                f"query {name}: overhead over the floor, paired rounds: "
                f"{entry['overhead_paired']['median']:.2f}x"
            )
            out["queries"][name] = entry
    finally:
        for server in (ours, cold, single, general, emb, emb_cold, theirs):
            server.stop()
        shutil.rmtree(stores, ignore_errors=True)
        store.close()
        driver.close()
    return out


#: Rounds and seconds per side of the paired overhead measurement.
PAIRED_ROUNDS, PAIRED_SECONDS = 7, 0.6


def _paired_overhead(
    driver: Any, calls: Any, url: str, query: str, variables: dict[str, Any]
) -> dict[str, Any]:
    """Our executed request (cache off, 1 client) over its Cypher floor, measured in
    alternating short rounds (floor, then server) so that both sides of each ratio meet
    the same moment of a shared machine; the median of the per-round ratios."""
    floors, ours, ratios = [], [], []
    for _ in range(PAIRED_ROUNDS):
        f = qb.cypher_floor(driver, calls, PAIRED_SECONDS)
        o = qb.load_loop(url, query, variables, 1, PAIRED_SECONDS)
        floors.append(f.p50 * 1e3)
        ours.append(o.p50 * 1e3)
        ratios.append(o.p50 / f.p50)
    return {
        "rounds": PAIRED_ROUNDS,
        "seconds": PAIRED_SECONDS,
        "floor_p50_ms": floors,
        "ours_cold_p50_ms": ours,
        "ratios": ratios,
        "median": statistics.median(ratios),
    }


def _loop(r: LoopResult) -> dict[str, Any]:
    return {
        "p50_ms": r.p50 * 1e3,
        "p95_ms": r.p95 * 1e3,
        "throughput": r.throughput,
        "n": len(r.latencies),
        "errors": r.errors,
        "first_error": r.first_error,
        "cache_hits": r.cache_hits,
    }


def bench_embedded(cfg: dict[str, Any], onto: Any, settings: Settings) -> list[dict[str, Any]]:
    from loaders.pipeline import build

    sets: list[tuple[str, Any, dict[str, str]]] = []
    seed = build(settings).compiled.dataset
    base = settings.base_iri
    sets.append(
        (
            f"seed data ({len(seed)} quads)",
            seed,
            {
                "technology": base + "tech/semiconductors",
                "material": base + "material/permanent-magnets",
                "search": "永久磁石",
                "measure_entity": base + "tech/semiconductors",
            },
        )
    )
    out = []
    for label, ds, targets in sets:
        out.append(_embedded_one(label, ds, targets, onto, settings, cfg))
    for scale in cfg["embedded_scales"]:
        data = synthetic.generate(scale)
        t = dict(data.targets)
        out.append(
            _embedded_one(f"synthetic {len(data)} quads", data.dataset(), t, onto, settings, cfg)
        )
    return out


def _embedded_one(
    label: str, ds: Any, targets: dict[str, str], onto: Any, settings: Settings, cfg: dict[str, Any]
) -> dict[str, Any]:
    store = EmbeddedStore(onto, load_library(settings.queries_dir))
    store.replace_all(ds)
    secs = max(1.0, cfg["floor_seconds"])
    tech, mat = targets["technology"], targets["material"]
    rows = {
        "flagship: measures covering a technology": qb.timed(
            lambda: store.paths("measures_covering_technology", tech), secs
        ),
        "flagship: measures covering a material": qb.timed(
            lambda: store.paths("measures_covering_material", mat), secs
        ),
        "search by label": qb.timed(lambda: store.search(targets["search"], None, 20), secs),
        "entity with its relations": qb.timed(
            lambda: (store.entities([tech]), store.relations([tech])), secs
        ),
    }
    log(f"embedded {label}: " + ", ".join(f"{k} {v.p50 * 1e3:.2f} ms" for k, v in rows.items()))
    return {"data": label, "targets": targets, "results": {k: _loop(v) for k, v in rows.items()}}


def bench_serve(cfg: dict[str, Any], uri: str, logdir: Path) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {"neo4j": [], "embedded": []}
    for _ in range(cfg["serve_repeats"]):
        for store in ("neo4j", "embedded"):
            env = {"NEO4J_URI": uri, "NEO4J_PASSWORD": "", "ESKG_STORE": store}
            srv = qb.start_eskg(free_port(), env, logdir, store=store)
            srv.stop()
            out[store].append(srv.ready_seconds)
            log(f"eskg serve --store {store}: ready in {srv.ready_seconds:.2f} s")
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python3 -m bench.run", description=__doc__)
    ap.add_argument("--quick", action="store_true", help="small data, short loops (minutes)")
    ap.add_argument(
        "--out",
        type=Path,
        default=None,
        help="page to write (default docs/benchmarks.md; bench/results/quick.md "
        "with --quick, so a development run does not replace the page)",
    )
    ap.add_argument(
        "--only",
        choices=["load", "query", "embedded", "serve"],
        action="append",
        help="run only these parts (development; the report marks the rest absent)",
    )
    ap.add_argument(
        "--report-only",
        action="store_true",
        help="rewrite the report from bench/results/MODE.json without running",
    )
    args = ap.parse_args(argv)
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    mode = "quick" if args.quick else "full"
    cfg = PROFILES[mode]
    command = "python3 -m bench.run" + (" --quick" if args.quick else "")
    parts = set(args.only or ["load", "query", "embedded", "serve"])
    out = args.out or (ROOT / "docs" / "benchmarks.md" if mode == "full" else RESULTS / "quick.md")
    prev_path = RESULTS / f"{mode}-previous.json"
    if args.report_only:
        previous = json.loads(prev_path.read_text()) if prev_path.is_file() else None
        write_report(json.loads((RESULTS / f"{mode}.json").read_text()), out, previous)
        log(f"rewrote {out} from bench/results/{mode}.json")
        return
    if "load" in parts:
        try:
            import rdflib_neo4j  # noqa: F401  (the peer loader)
        except ImportError:
            sys.exit(
                "bench: rdflib-neo4j is not installed; install the bench extra first: "
                ".venv/bin/pip install -e '.[test,bench]'"
            )
    settings = Settings()
    onto = load_ontology(settings.ontology_dir)
    RESULTS.mkdir(parents=True, exist_ok=True)
    logdir = RESULTS / "logs"
    logdir.mkdir(exist_ok=True)
    results: dict[str, Any] = {
        "mode": mode,
        "command": command,
        "config": cfg,
        "machine": machine(),
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }
    t0 = time.perf_counter()
    neo = LocalNeo4j(settings)
    log(f"starting Neo4j (heap {neo.cfg.heap}, page cache {neo.cfg.pagecache}) on {neo.uri}")
    neo.start()
    results["neo4j"] = {
        "version": neo.status.version if neo.status else "?",
        "heap": neo.cfg.heap,
        "pagecache": neo.cfg.pagecache,
    }
    try:
        if "serve" in parts:
            results["serve"] = bench_serve(cfg, neo.uri, logdir)
        if "query" in parts:
            results["query"] = bench_queries(cfg, neo.uri, onto, settings, logdir)
        if "load" in parts:
            results["load"] = bench_load(cfg, neo.uri, onto, settings)
            # what is timed, as bench/load.py states it (its docstring after the title)
            body = (loadbench.__doc__ or "").split("\n\n", 1)[-1]
            results["load_method"] = " ".join(body.split()).replace("``", "`")
        if "embedded" in parts:
            results["embedded"] = bench_embedded(cfg, onto, settings)
    finally:
        log("stopping Neo4j")
        neo.stop()
    results["seconds"] = time.perf_counter() - t0
    results["machine"]["load_after"] = os.getloadavg()
    current = RESULTS / f"{mode}.json"
    previous = None
    if current.is_file():  # keep the last session beside this one, to show what reproduces
        current.replace(prev_path)
        previous = json.loads(prev_path.read_text())
    current.write_text(json.dumps(results, indent=1, default=str))
    write_report(results, out, previous)
    log(f"wrote {out} in {results['seconds']:.0f} s")


if __name__ == "__main__":
    main()
