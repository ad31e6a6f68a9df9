"""A first load into an empty graph: committed transactions in parallel, undone on failure.

Neo4j executes and commits each transaction on one thread of its own, so a million
quads written in one transaction keep one core busy (about 12 s on two cores) while the
other idles. Here the rows are cut into units of ``rows_per_tx`` rows, each written and
committed in its own transaction, ``writers`` at a time: nodes first (their creation
returns the element ids the relationships find their ends by), then relationships.
Concurrent relationship units can deadlock on a shared end node; Neo4j reports that as
a transient error and the driver retries the unit, which commits all or nothing.

The graph was empty, so everything carrying this load's id is this load's: if any unit
fails, the units already committed are deleted (in batches, by the load id) and the
error is raised again, so the graph is empty again. Readers meanwhile may see part of a
first load; a load over an existing graph stays one transaction (``neo4j_load``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from neo4j import Driver, ManagedTransaction
from neo4j.exceptions import DriverError, Neo4jError

from eskg.ontology import RESOURCE_LABEL
from eskg.store.property_graph import CITATION_LABEL, DOCUMENT_REL, PropertyGraph
from eskg.vocab import VALID_FROM, VALID_UNTIL

Progress = Callable[[str], None]
Rows = Sequence[dict[str, Any]]

# Transactions writing at once: one per core of the two-core machine the benchmark runs
# on (measured at 1M quads: see bench/notes.md, "Load rate").
WRITERS = 2
# Rows per committed transaction: small enough that one unit's commit overlaps another's
# execution and the last unit of a phase runs alone briefly; 10,000 measured a little
# faster than 20,000 at 100k and 1M quads, 50,000 slower, three writers no faster.
ROWS_PER_TX = 10_000
# Units submitted and not yet done, per writer, before the next one is built.
QUEUED = 2
# Nodes deleted per transaction when undoing a failed load.
UNDO_BATCH = 5_000

UNDO = (
    f"MATCH (n:{RESOURCE_LABEL}) WHERE n.load = $load "
    f"CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF {UNDO_BATCH} ROWS"
)


@dataclass(frozen=True)
class Unit:
    """One committed transaction's work: a statement and its rows."""

    query: str
    rows: Rows


def create_nodes_query(labels: Sequence[str]) -> str:
    """One record per statement, the IRIs and element ids as two lists: a record per
    node cost the client more CPU than Neo4j spent creating the node (at 1M quads
    about 2 of the 4 s of Python CPU during the writes, on the cores Neo4j writes on)."""
    return (
        f"UNWIND $rows AS row CREATE (n:{':'.join(labels)}) SET n = row, n.load = $load "
        "RETURN collect(row.iri) AS iris, collect(elementId(n)) AS ids"
    )


def create_rels_query(rel_type: str) -> str:
    return (
        "UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.s "
        f"MATCH (b) WHERE elementId(b) = row.o CREATE (a)-[r:{rel_type}]->(b) "
        "SET r.graph = row.graph, r.citations = row.citations, r.validFrom = row.validFrom, "
        "r.validUntil = row.validUntil, r.load = $load"
    )


def node_groups(pg: PropertyGraph) -> Iterator[tuple[Sequence[str], list[dict[str, Any]]]]:
    """Node rows by label set, citations last."""
    yield from pg.nodes.items()
    fields = ("iri", "locator", "quote")
    citations = [{k: c[k] for k in fields if k in c} for c in pg.citations]
    yield sorted((RESOURCE_LABEL, CITATION_LABEL)), citations


def rel_groups(
    pg: PropertyGraph, ends: Callable[[str], str | None], size: int
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Relationship rows by type, at most ``size`` at a time (as the graph gives them:
    ``PropertyGraph.relationship_chunks``), ends given as ``ends(iri)`` (IRI or element
    id)."""
    for rel_type, group in pg.relationship_chunks(size):
        yield (
            rel_type,
            [
                {
                    "s": ends(r["s"]),
                    "o": ends(r["o"]),
                    "graph": r["graph"],
                    "citations": r["citations"],
                    # absent bounds stay absent: SET to null writes no property
                    VALID_FROM: r.get(VALID_FROM),
                    VALID_UNTIL: r.get(VALID_UNTIL),
                }
                for r in group
            ],
        )
    # a citation whose document is not in the graph gets no DOCUMENT relationship
    docs = ((ends(c["iri"]), ends(c["document"])) for c in pg.citations if "document" in c)
    yield DOCUMENT_REL, [{"s": s, "o": o} for s, o in docs if o is not None]


def units(groups: Iterable[tuple[str, Rows]], rows_per_tx: int) -> Iterator[Unit]:
    """Each group's rows cut into units of at most ``rows_per_tx`` rows, as the groups
    come: the writers start on the first while the next groups' rows are built."""
    for query, rows in groups:
        for i in range(0, len(rows), rows_per_tx):
            yield Unit(query, rows[i : i + rows_per_tx])


class _Rows(list[dict[str, Any]]):
    """A statement's rows, with a short ``repr``: the driver formats each RUN's
    parameters for a debug log line even when nothing logs at debug level (about 0.5 s
    of Python CPU at 1M quads)."""

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


def _write_unit(tx: ManagedTransaction, unit: Unit, load: str, batch: int) -> list[list[Any]]:
    """Run a unit's statement on ``batch`` rows at a time; the rows it returns."""
    out: list[list[Any]] = []
    for i in range(0, len(unit.rows), batch):
        rows = _Rows(unit.rows[i : i + batch])
        out.extend(tx.run(unit.query, rows=rows, load=load).values())
    return out


class Writer:
    """Commits units on ``writers`` threads, each unit in a transaction of its own."""

    def __init__(self, driver: Driver, database: str, load: str, batch: int, writers: int) -> None:
        self.driver, self.database, self.load, self.batch = driver, database, load, batch
        self.writers = writers

    def _commit(self, unit: Unit) -> list[list[Any]]:
        with self.driver.session(database=self.database) as session:
            return session.execute_write(_write_unit, unit, self.load, self.batch)

    def run(self, work: Iterable[Unit]) -> tuple[int, list[list[Any]]]:
        """Commit every unit, each submitted as ``work`` gives it (building the rows of
        later units overlaps the writing of earlier ones: 0.35 s of Python at 1M quads
        for the relationships); the number of rows and what the statements returned, in
        order. On a failure the units not started are cancelled and the error raised
        once the running ones have ended."""
        rows = 0
        futures: list[Future[list[list[Any]]]] = []
        with ThreadPoolExecutor(self.writers, thread_name_prefix="eskg-load") as pool:
            try:
                for unit in work:
                    # at most QUEUED units waiting per writer: a graph that reads its
                    # rows from a file keeps only those in memory
                    running = [f for f in futures[-self.writers * QUEUED :] if not f.done()]
                    if len(running) >= self.writers * QUEUED:
                        wait(running, return_when=FIRST_COMPLETED)
                    if any(f.done() and f.exception() for f in futures):
                        break  # a unit failed: raised below
                    futures.append(pool.submit(self._commit, unit))
                    rows += len(unit.rows)
                return rows, [row for future in futures for row in future.result()]
            except BaseException:
                for future in futures:
                    future.cancel()
                raise

    def undo(self) -> None:
        """Delete everything this load wrote, in batches of committed transactions."""
        with self.driver.session(database=self.database) as session:
            session.run(UNDO, load=self.load).consume()


def create_graph(
    driver: Driver,
    pg: PropertyGraph,
    database: str,
    load: str,
    batch: int,
    progress: Progress,
    writers: int = WRITERS,
    rows_per_tx: int = ROWS_PER_TX,
) -> None:
    """Create the property graph in an empty database; on failure leave it empty again
    and raise the error."""
    writer = Writer(driver, database, load, batch, writers)
    try:
        nodes = units(((create_nodes_query(l), r) for l, r in node_groups(pg)), rows_per_tx)
        ids: dict[str, str] = {}
        for iris, element_ids in writer.run(nodes)[1]:
            ids.update(zip(iris, element_ids, strict=True))
        progress(f"nodes created: {len(ids)}")
        groups = rel_groups(pg, ids.get, rows_per_tx)
        rels = units(((create_rels_query(t), r) for t, r in groups), rows_per_tx)
        progress(f"relationships created: {writer.run(rels)[0]}")
    except BaseException as exc:
        try:
            writer.undo()
        except (Neo4jError, DriverError, OSError) as undo_exc:  # the server went away
            exc.add_note(
                f"the nodes of the failed first load {load} could not be deleted "
                f"({undo_exc.__class__.__name__}: {undo_exc}); the next load replaces them"
            )
        raise
