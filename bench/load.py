"""Load benchmarks: our Neo4j loader vs rdflib-neo4j on the same Neo4j and statements,
and the embedded store.

Every run starts from an empty database without indexes or constraints, so each loader
pays for its own schema (ours: the constraint and indexes of ``ensure_schema``;
rdflib-neo4j: its ``Resource(uri)`` constraint).

The Neo4j loaders are timed from a file on disk to committed data, each parsing with its
own parser, as each is documented to be used: ours reads the N-Quads file
(``Neo4jStore.replace_all_nquads``: Oxigraph's parser, the property-graph mapping, and,
the database being empty, a first load: committed transactions of 10,000 rows, two at a
time, undone by the loader on failure); rdflib-neo4j reads an N-Triples file of the same statements into
``Graph(store=Neo4jStore(...))`` with ``Graph.parse`` (its README's use, batching on,
at its fastest batch size ``PEER_BATCH``; it stores triples, and rdflib refuses to parse
quads into it: "Dataset must be backed by a graph-aware store"). The files are written
before the timing. (Until November 2026 the timing started from the data in memory: an
rdflib Dataset for us, its triples for rdflib-neo4j, at its README's batch size 5,000.)
The embedded store is timed from an rdflib Dataset in memory to its ``replace_all`` returning.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from neo4j import Driver, GraphDatabase
from rdflib import Dataset, Graph

from cli.synthetic import Synthetic
from eskg.config import Settings
from eskg.ontology import DCTERMS, ESKG, SKOS, Ontology
from eskg.queries import load_library
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore


@dataclass
class LoadResult:
    tool: str
    triples: int
    seconds: list[float] = field(default_factory=list)
    error: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float:
        s = sorted(self.seconds)
        return s[len(s) // 2] if s else float("nan")

    @property
    def rate(self) -> float:
        return self.triples / self.median if self.seconds else float("nan")


def reset(driver: Driver) -> None:
    """Empty the database and drop every constraint and index (outside any timing)."""
    with driver.session() as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()
        for row in list(s.run("SHOW CONSTRAINTS YIELD name")):
            s.run(f"DROP CONSTRAINT `{row['name']}` IF EXISTS").consume()
        for row in list(s.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'")):
            s.run(f"DROP INDEX `{row['name']}` IF EXISTS").consume()


def counts(driver: Driver) -> tuple[int, int]:
    with driver.session() as s:
        n = s.run("MATCH (n) RETURN count(n) AS c").single()["c"]  # type: ignore[index]
        r = s.run("MATCH ()-[r]->() RETURN count(r) AS c").single()["c"]  # type: ignore[index]
    return int(n), int(r)


def ours(store: Neo4jStore, nquads: Path) -> float:
    started = time.perf_counter()
    store.replace_all_nquads(nquads)
    return time.perf_counter() - started


def write_files(data: Synthetic, folder: Path) -> tuple[Path, Path]:
    """The data as N-Quads (for us) and its triples as N-Triples (for rdflib-neo4j)."""
    nquads, ntriples = folder / "data.nq", folder / "data.nt"
    nquads.write_text(data.nquads(), encoding="utf-8")
    with ntriples.open("w", encoding="utf-8") as out:
        for s, p, o in data.triples():  # grouped by subject, as rdflib-neo4j batches nodes
            out.write(f"{s.n3()} {p.n3()} {o.n3()} .\n")
    return nquads, ntriples


# rdflib-neo4j's fastest batch size of those tried at 100k triples (same session, file
# to commit): 5,000 (its README's) 7.6-8.8 s, 20,000 5.4-5.8 s, 50,000 4.2-4.8 s,
# 100,000 4.2-4.3 s.
PEER_BATCH = 50_000


def rdflib_neo4j(driver: Driver, ntriples: Path, batch_size: int = PEER_BATCH) -> float:
    """rdflib-neo4j 1.1 as its README configures it (batching on, SHORTEN prefixes) but
    with its fastest batch size, and ``Graph.parse`` of the file into its store."""
    from rdflib_neo4j import HANDLE_VOCAB_URI_STRATEGY, Neo4jStore, Neo4jStoreConfig

    config = Neo4jStoreConfig(
        auth_data=None,
        custom_prefixes={"eskg": str(ESKG), "dcterms": str(DCTERMS), "skos": str(SKOS)},
        handle_vocab_uri_strategy=HANDLE_VOCAB_URI_STRATEGY.SHORTEN,
        batching=True,
        batch_size=batch_size,
    )
    with contextlib.redirect_stdout(io.StringIO()):  # it prints progress
        started = time.perf_counter()
        g = Graph(store=Neo4jStore(config=config, neo4j_driver=driver))
        g.parse(ntriples, format="nt")
        g.close(True)
        return time.perf_counter() - started


def embedded(onto: Ontology, settings: Settings, ds: Dataset) -> float:
    store = EmbeddedStore(onto, load_library(settings.queries_dir))
    started = time.perf_counter()
    store.replace_all(ds)
    return time.perf_counter() - started


def run_scale(
    data: Synthetic,
    uri: str,
    onto: Ontology,
    settings: Settings,
    repeats: int,
    peers: bool = True,
    log: Any = print,
    warmup: bool = True,
) -> list[LoadResult]:
    """Load one data set ``repeats`` times with each tool, interleaved (A B C, A B C, ...)
    so that drift in the machine's load hits every tool alike; one untimed warm-up round
    first (JVM JIT, Cypher plan cache) unless ``warmup`` is false."""
    n = len(data)
    ds = data.dataset()
    folder = tempfile.TemporaryDirectory(prefix="eskg-bench-load-")
    nquads, ntriples = write_files(data, Path(folder.name))
    driver = GraphDatabase.driver(uri, notifications_min_severity="OFF")
    s = settings.model_copy(update={"neo4j_uri": uri, "neo4j_password": ""})
    store = Neo4jStore(onto, load_library(settings.queries_dir), s)
    jobs: list[tuple[LoadResult, Any, bool]] = [
        (LoadResult("eskg -> Neo4j", n), lambda: ours(store, nquads), True),
    ]
    if peers:
        jobs.append(
            (LoadResult("rdflib-neo4j -> Neo4j", n), lambda: rdflib_neo4j(driver, ntriples), True)
        )
    jobs.append((LoadResult("embedded (Oxigraph)", n), lambda: embedded(onto, settings, ds), False))
    try:
        for i in range(repeats + (1 if warmup else 0)):
            timed = i > 0 or not warmup
            for res, job, needs_neo4j in jobs:
                if res.error:
                    continue
                if needs_neo4j:
                    reset(driver)
                try:
                    took = job()
                except Exception as exc:  # noqa: BLE001 - recorded as a finding, not a crash
                    res.error = f"{exc.__class__.__name__}: {str(exc)[:600]}"
                    res.detail["traceback"] = traceback.format_exc(limit=4)[-2000:]
                    log(f"  {res.tool} {n} failed: {res.error}")
                    continue
                if timed:
                    res.seconds.append(took)
                if needs_neo4j:
                    res.detail["nodes"], res.detail["relationships"] = counts(driver)
                log(f"  {res.tool} {n}: {took:.2f} s{'' if timed else ' (warm-up)'}")
    finally:
        reset(driver)
        store.close()
        driver.close()
        folder.cleanup()
    return [r for r, _, _ in jobs]


def main() -> None:
    """``python -m bench.load [SIZE ...] [--repeats N]``: time our loader alone (file to
    commit, ``Neo4jStore.replace_all_nquads``) on a scratch Neo4j, medians of N runs after
    one warm-up; run it on two commits to compare loaders."""
    import argparse
    import statistics

    from bench.neo4j_server import LocalNeo4j
    from cli import synthetic
    from eskg.ontology import load_ontology

    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    settings = Settings()
    onto = load_ontology(settings.ontology_dir)
    with LocalNeo4j(settings) as neo, tempfile.TemporaryDirectory() as tmp:
        s = settings.model_copy(update={"neo4j_uri": neo.uri, "neo4j_password": ""})
        store = Neo4jStore(onto, load_library(settings.queries_dir), s)
        driver = GraphDatabase.driver(neo.uri, notifications_min_severity="OFF")
        for size in args.sizes:
            data = synthetic.generate(size)
            nquads, _ = write_files(data, Path(tmp))
            seconds = []
            for i in range(args.repeats + 1):
                reset(driver)
                took = ours(store, nquads)
                print(f"{len(data)} quads: {took:.2f} s{' (warm-up)' if i == 0 else ''}")
                if i:
                    seconds.append(took)
            median = statistics.median(seconds)
            print(f"{len(data)} quads: median {median:.2f} s, {len(data) / median:,.0f} quads/s")
        reset(driver)
        store.close()
        driver.close()


if __name__ == "__main__":
    main()
