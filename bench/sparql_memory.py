"""Memory of one serve process's SPARQL store: its own in-memory copy (before issue 19)
against the shared on-disk store opened read-only (``eskg.store.read_only``).

``python -m bench.sparql_memory --nquads sN.nq --store DIR --processes 2`` starts, for
each design, that many processes at once; each opens its store (in memory: loads the
file and builds the search index, as ``replace_with_nquads`` does; read-only: opens the
folder ``eskg load`` wrote), answers the same SPARQL questions, and reports its
``/proc/self/smaps_rollup``: RSS, PSS (its share of pages it shares with others) and
anonymous (private) memory, in MiB.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

from eskg.config import Settings
from eskg.ontology import load_ontology
from eskg.queries import load_library
from eskg.store.embedded import EmbeddedStore
from eskg.store.read_only import ReadOnlyEmbeddedStore

QUESTIONS = (
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        "SELECT ?s ?l WHERE { GRAPH ?g { ?s skos:prefLabel ?l } } LIMIT 1000"
    ),
)


def rollup() -> dict[str, float]:
    text = Path("/proc/self/smaps_rollup").read_text()
    out = {}
    for key in ("Rss", "Pss", "Anonymous"):
        m = re.search(rf"^{key}:\s+(\d+) kB", text, re.MULTILINE)
        out[key.lower() + "_mib"] = int(m.group(1)) / 1024 if m else 0.0
    return out


def child(mode: str, nquads: Path, store_dir: Path) -> None:
    settings = Settings()
    onto = load_ontology(settings.ontology_dir)
    queries = load_library(settings.queries_dir)
    if mode == "in-memory":
        store: EmbeddedStore = EmbeddedStore(onto, queries, None)
        store.replace_with_nquads(nquads.read_bytes())
    else:
        store = ReadOnlyEmbeddedStore(onto, queries, store_dir)
    for q in QUESTIONS:
        list(store.store.query(q))  # type: ignore[arg-type]
    store.search("battery technology 1", None, 20)
    print(json.dumps({"mode": mode, **rollup()}), flush=True)
    sys.stdin.read()  # held until every process of the round has reported


def round_of(mode: str, n: int, nquads: Path, store_dir: Path) -> list[dict[str, float]]:
    cmd = [sys.executable, "-m", "bench.sparql_memory", "--child", mode]
    cmd += ["--nquads", str(nquads), "--store", str(store_dir)]
    procs = [
        subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(n)
    ]
    reports = []
    for p in procs:
        assert p.stdout is not None
        reports.append(json.loads(p.stdout.readline()))
    for p in procs:
        p.communicate("")
    return reports


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nquads", type=Path, required=True)
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--child", choices=["in-memory", "read-only"])
    ap.add_argument("--modes", default="in-memory,read-only")
    args = ap.parse_args()
    if args.child:
        child(args.child, args.nquads, args.store)
        return
    for mode in args.modes.split(","):
        print(json.dumps({mode: round_of(mode, args.processes, args.nquads, args.store)}))


if __name__ == "__main__":
    main()
