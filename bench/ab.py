"""Two revisions side by side: ``python3 -m bench.ab --before REV --after REV``.

A change that claims to keep the performance is measured against the revision before it
in one run, because this machine is shared and a run an hour later meets other load.
Each revision is checked out into a temporary worktree and served by its own code
(`eskg serve`, response cache off, so every request is parsed, validated, executed and
encoded) on both stores: one Neo4j holding the same synthetic data for both, and an
embedded store on disk per server, each filled by its own revision from the same N-Quads
file. For every question of `bench/query.py`, at one client (cold p50) and at 32
(throughput), the two servers take turns in rounds (`bench.query.level_rounds`: the order
reversed every other round), and each ratio after/before is the median of the ratios
within a round, where both met the same moment of the machine. Both revisions must give
the same answer to every question, or the run stops.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import query as qb
from bench.neo4j_server import LocalNeo4j
from cli import synthetic
from cli.neo4j_runtime import free_port
from eskg.config import Settings
from eskg.ontology import load_ontology
from eskg.queries import load_library
from eskg.store.neo4j import Neo4jStore

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DOCS = ROOT / "docs" / "benchmarks.md"
HEADING = "## Before and after, side by side (`bench/ab.py`)"

PROFILES: dict[str, dict[str, Any]] = {
    "quick": {"scale": 10_000, "seconds": 1.5, "clients": [1, 32]},
    "full": {"scale": 100_000, "seconds": 5.0, "clients": [1, 32]},
}
STORES = ("neo4j", "embedded")

#: Run in each revision's worktree (its own packages): fill an embedded store on disk
#: from an N-Quads file, with the calls both the old and the new code offer.
FILL_EMBEDDED = """
import sys
from pathlib import Path
from rdflib import Dataset
from eskg.config import Settings
from eskg.ontology import load_ontology
from eskg.queries import load_library
from eskg.store.embedded import EmbeddedStore
settings = Settings()
data = Dataset()
data.parse(sys.argv[1], format="nquads")
store = EmbeddedStore(
    load_ontology(settings.ontology_dir), load_library(settings.queries_dir), Path(sys.argv[2])
)
store.replace_all(data)
store.store.flush()
"""


def log(msg: str) -> None:
    print(f"[ab {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Revision:
    """A revision and the worktree that holds it."""

    role: str  # "before" or "after"
    rev: str
    commit: str
    tree: Path


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"bench.ab: git {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout.strip()


@contextmanager
def worktrees(before: str, after: str, into: Path) -> Iterator[list[Revision]]:
    """Both revisions checked out (detached) under ``into``; removed afterwards."""
    made: list[Revision] = []
    try:
        for role, rev in (("before", before), ("after", after)):
            commit = _git("rev-parse", "--verify", f"{rev}^{{commit}}")
            tree = into / role
            _git("worktree", "add", "--detach", str(tree), commit)
            made.append(Revision(role, rev, commit, tree))
        yield made
    finally:
        for r in made:
            _git("worktree", "remove", "--force", str(r.tree))


def fill_embedded(rev: Revision, nquads: Path, path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", FILL_EMBEDDED, str(nquads), str(path)],
        cwd=rev.tree,
        env={**os.environ, "PYTHONPATH": str(rev.tree)},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{rev.role} ({rev.rev}) could not fill {path}:\n{done.stderr[-2000:]}")


def ratios(rounds: list[dict[str, dict[str, float]]], key: str) -> list[float]:
    """after/before of ``key`` in each round (both sides met the same moment)."""
    return [r["after"][key] / r["before"][key] for r in rounds if r["before"][key] > 0]


def summary(xs: list[float]) -> dict[str, float]:
    return {"median": statistics.median(xs), "low": min(xs), "high": max(xs)} if xs else {}


def measure(
    servers: dict[tuple[str, str], qb.Server],
    targets: dict[str, str],
    cfg: dict[str, Any],
    questions: list[str],
    rounds_per_level: int,
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name in questions:
        query = qb.QUERIES[name][0]
        v = qb.variables(name, targets)
        for store in STORES:
            before, after = servers[("before", store)], servers[("after", store)]
            a, b = qb.post(before.url, query, v), qb.post(after.url, query, v)
            if a.get("data") != b.get("data"):
                raise RuntimeError(f"{name} on {store}: the two revisions answer differently")
            pair = [("before", before.url, query), ("after", after.url, query)]
            for clients in cfg["clients"]:
                for _, url, text in pair:  # warm both (JIT, plan caches, connections)
                    qb.load_loop(url, text, v, clients, 0.5)
                pooled, rounds = qb.level_rounds(pair, v, clients, cfg["seconds"], rounds_per_level)
                for side, res in pooled.items():
                    if res.errors:
                        raise RuntimeError(f"{name} {store} {side}: {res.first_error}")
                row = {
                    "question": name,
                    "store": store,
                    "clients": clients,
                    **{
                        side: {"p50_ms": res.p50 * 1e3, "throughput": res.throughput}
                        for side, res in pooled.items()
                    },
                    "p50_ratio": summary(ratios(rounds, "p50_ms")),
                    "throughput_ratio": summary(ratios(rounds, "throughput")),
                    "rounds": rounds,
                }
                rows.append(row)
                log(
                    f"{name} {store} c={clients}: p50 {row['before']['p50_ms']:.2f} -> "
                    f"{row['after']['p50_ms']:.2f} ms (x{row['p50_ratio']['median']:.2f}), "
                    f"{row['before']['throughput']:.0f} -> {row['after']['throughput']:.0f}/s "
                    f"(x{row['throughput_ratio']['median']:.2f})"
                )
    return rows


def table(result: dict[str, Any]) -> str:
    revs = result["revisions"]
    lines = [
        (
            f"before = `{revs['before']['rev']}` ({revs['before']['commit'][:7]}), "
            f"after = `{revs['after']['rev']}` ({revs['after']['commit'][:7]}); "
            f"{result['quads']:,} synthetic quads; {result['seconds_per_level']} s per level in "
            f"{result.get('rounds', qb.LEVEL_ROUNDS)} rounds; response cache off."
        ),
        "",
        (
            "| question | store | clients | before p50 ms | after p50 ms | p50 after/before "
            "(median, range) | before req/s | after req/s | req/s after/before (median, range) |"
        ),
        "|---|---|---:|---:|---:|---|---:|---:|---|",
    ]
    for r in result["rows"]:
        p, t = r["p50_ratio"], r["throughput_ratio"]
        lines.append(
            f"| {r['question']} | {r['store']} | {r['clients']} | {r['before']['p50_ms']:.2f} "
            f"| {r['after']['p50_ms']:.2f} | {p['median']:.2f} ({p['low']:.2f}–{p['high']:.2f}) "
            f"| {r['before']['throughput']:.0f} | {r['after']['throughput']:.0f} "
            f"| {t['median']:.2f} ({t['low']:.2f}–{t['high']:.2f}) |"
        )
    return "\n".join(lines)


def write_docs(result: dict[str, Any]) -> None:
    load = result["load_average"]
    section = "\n".join(
        [
            HEADING,
            "",
            (
                f"Command: `{result['command']}` ({result['started']}); load average (1, 5, 15 "
                f"min) before {', '.join(f'{x:.1f}' for x in load['before'])}, after "
                f"{', '.join(f'{x:.1f}' for x in load['after'])}. What is measured: the "
                "docstring of `bench/ab.py`. A ratio above 1 in p50, or below 1 in req/s, means "
                "the after revision is slower."
            ),
            "",
            table(result),
            "",
        ]
    )
    text = DOCS.read_text(encoding="utf-8")
    if HEADING in text:
        start = text.index(HEADING)
        rest = text.find("\n## ", start + len(HEADING))
        text = text[:start] + section + (text[rest + 1 :] if rest >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOCS.write_text(text, encoding="utf-8")


def run(
    before: str,
    after: str,
    mode: str,
    questions: list[str] | None = None,
    rounds: int = qb.LEVEL_ROUNDS,
    seconds: float | None = None,
) -> dict[str, Any]:
    """Both revisions measured on ``questions`` (default every one of ``bench.query``),
    each level in ``rounds`` rounds."""
    cfg = dict(PROFILES[mode])
    if seconds is not None:
        cfg["seconds"] = seconds
    asked = questions or list(qb.QUERIES)
    settings = Settings()
    onto = load_ontology(settings.ontology_dir)
    work = Path(tempfile.mkdtemp(prefix="eskg-bench-ab-"))
    logdir = RESULTS / "logs"
    logdir.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    servers: dict[tuple[str, str], qb.Server] = {}
    try:
        with worktrees(before, after, work / "trees") as revs, LocalNeo4j(settings) as neo:
            data = synthetic.generate(cfg["scale"])
            nquads = work / "data.nq"
            data.dataset().serialize(destination=str(nquads), format="nquads")
            log(f"{len(data)} synthetic quads; loading Neo4j at {neo.uri}")
            neo_settings = settings.model_copy(update={"neo4j_uri": neo.uri, "neo4j_password": ""})
            store = Neo4jStore(onto, load_library(settings.queries_dir), neo_settings)
            try:
                store.replace_all(data.dataset())
            finally:
                store.close()
            for rev in revs:
                path = work / f"embedded-{rev.role}"
                log(f"{rev.role} ({rev.rev}): filling its embedded store on disk")
                fill_embedded(rev, nquads, path)
                common = {"ESKG_RESPONSE_CACHE_MB": "0"}
                servers[(rev.role, "neo4j")] = qb.start_eskg(
                    free_port(),
                    {**common, "ESKG_STORE": "neo4j", "NEO4J_URI": neo.uri, "NEO4J_PASSWORD": ""},
                    logdir,
                    label=f"-ab-{rev.role}",
                    root=rev.tree,
                )
                servers[(rev.role, "embedded")] = qb.start_eskg(
                    free_port(),
                    {**common, "ESKG_STORE": "embedded", "ESKG_EMBEDDED_PATH": str(path)},
                    logdir,
                    store="embedded",
                    label=f"-ab-{rev.role}",
                    root=rev.tree,
                )
            try:
                rows = measure(servers, data.targets, cfg, asked, rounds)
            finally:
                for server in servers.values():
                    server.stop()
            return {
                "command": "python3 -m bench.ab "
                + f"--before {before} --after {after}"
                + (" --quick" if mode == "quick" else "")
                + "".join(f" --questions {q!r}" for q in questions or ())
                + (f" --rounds {rounds}" if rounds != qb.LEVEL_ROUNDS else "")
                + (f" --seconds {seconds:g}" if seconds is not None else ""),
                "started": started,
                "mode": mode,
                "quads": len(data),
                "seconds_per_level": cfg["seconds"],
                "rounds": rounds,
                "revisions": {r.role: {"rev": r.rev, "commit": r.commit} for r in revs},
                "load_average": {"before": load_before, "after": os.getloadavg()},
                "rows": rows,
            }
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python3 -m bench.ab", description=__doc__)
    ap.add_argument("--before", required=True, help="the revision before the change")
    ap.add_argument("--after", default="HEAD", help="the revision with it (default HEAD)")
    ap.add_argument("--quick", action="store_true", help="10k quads, short loops")
    ap.add_argument(
        "--write-docs", action="store_true", help="write the table into docs/benchmarks.md"
    )
    ap.add_argument(
        "--questions",
        action="append",
        choices=list(qb.QUERIES),
        metavar="QUESTION",
        help="measure only this question of bench/query.py (repeatable; default all: "
        + "; ".join(qb.QUERIES)
        + ")",
    )
    ap.add_argument(
        "--rounds",
        type=int,
        default=qb.LEVEL_ROUNDS,
        help=f"rounds per level, the level's seconds shared among them (default {qb.LEVEL_ROUNDS})",
    )
    ap.add_argument(
        "--seconds",
        type=float,
        help="seconds per level for each revision, shared among the rounds "
        f"(default {PROFILES['full']['seconds']:g}; quick {PROFILES['quick']['seconds']:g})",
    )
    args = ap.parse_args(argv)
    if args.rounds < 1:
        ap.error("--rounds must be at least 1")
    if args.seconds is not None and not 0 < args.seconds <= 120:
        ap.error("--seconds must be above 0 and at most 120")
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    mode = "quick" if args.quick else "full"
    result = run(args.before, args.after, mode, args.questions, args.rounds, args.seconds)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"ab-{mode}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(table(result))
    if args.write_docs:
        write_docs(result)
        log(f"wrote {DOCS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
