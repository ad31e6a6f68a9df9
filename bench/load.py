"""Load benchmarks: our Neo4j loader vs rdflib-neo4j on the same Neo4j and triples, and
the embedded store.

Every run starts from an empty database without indexes or constraints, so each loader
pays for its own schema (ours: the constraint and indexes of ``ensure_schema``;
rdflib-neo4j: its ``Resource(uri)`` constraint). Timings start from the data in memory
(an rdflib Dataset for us, triples for rdflib-neo4j) and end when the data is committed;
the Python-side conversion each tool does is inside the timing.
"""

from __future__ import annotations

import contextlib
import io
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

from rdflib import Dataset, Graph

from eskg.config import Settings
from eskg.ontology import DCTERMS, ESKG, SKOS, Ontology
from eskg.queries import load_library
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore
from eskg.synthetic import Synthetic
from neo4j import Driver, GraphDatabase


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


def ours(store: Neo4jStore, ds: Dataset) -> float:
    started = time.perf_counter()
    store.replace_all(ds)
    return time.perf_counter() - started


def rdflib_neo4j(driver: Driver, triples: list[Any], batch_size: int = 5000) -> float:
    """rdflib-neo4j 1.1 as its README configures it: batching on, SHORTEN prefixes."""
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
        for t in triples:
            g.add(t)
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
    triples = list(data.triples())
    driver = GraphDatabase.driver(uri, notifications_min_severity="OFF")
    s = settings.model_copy(update={"neo4j_uri": uri, "neo4j_password": ""})
    store = Neo4jStore(onto, load_library(settings.queries_dir), s)
    jobs: list[tuple[LoadResult, Any, bool]] = [
        (LoadResult("eskg -> Neo4j", n), lambda: ours(store, ds), True),
    ]
    if peers:
        jobs.append((LoadResult("rdflib-neo4j -> Neo4j", n),
                     lambda: rdflib_neo4j(driver, triples), True))
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
                except Exception as exc:  # recorded as a finding, not a crash
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
    return [r for r, _, _ in jobs]
