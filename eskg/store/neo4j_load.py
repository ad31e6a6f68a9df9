"""Write a property graph into Neo4j: constraints first, then the graph.

Over an existing graph, nodes and relationships are merged on their IRIs in one
transaction, and whatever the previous load left and this one did not write is deleted
at the end; a failure rolls it all back, so readers keep the old graph. (Deleting the
old graph first and creating the new one made each uniqueness check skip the deleted
index entries: minutes at a million quads.) Into a database without ``Resource`` nodes
(a first load, a benchmark run) the graph is created with ``CREATE`` in parallel
committed transactions, deleted again if one fails (``eskg.store.neo4j_create``). Every
element is stamped with the load's id (``eskg export`` uses it to detect a reload). The
list bounds of the graph (``eskg.store.neo4j_bounds``) are counted from its rows and
written with it: in the same transaction over an existing graph, after the last unit of
a first load.

Labels and relationship types in the statements come from the ontology (checked before
anything is sent), never from input; every value travels as a parameter. They are
written into the statement text, one statement per label set and per relationship type:
Neo4j 5.26's dynamic types (``CREATE ()-[:$(row.type)]->()``) would need only one
statement, but gave relationships the wrong types in a batch of mixed types.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from neo4j import Driver, ManagedTransaction

from eskg.bounds import DataBounds
from eskg.errors import DataNotConformingError
from eskg.ontology import RESOURCE_LABEL, Ontology
from eskg.store.neo4j_bounds import count_bounds, write_bounds
from eskg.store.neo4j_create import (
    ROWS_PER_TX,
    WRITERS,
    create_graph,
    node_groups,
    rel_groups,
)
from eskg.store.neo4j_search import COUNT_RELATIONS, RELATIONS_BATCHED
from eskg.store.neo4j_search import SCHEMA as SEARCH_SCHEMA
from eskg.store.property_graph import CITATION_LABEL, DOCUMENT_REL, PropertyGraph, gc_paused

Progress = Callable[[str], None]

# Rows per statement when the caller does not say: fewer, larger statements mean fewer
# round trips; 10,000 rows of nodes stay at a few megabytes of parameters.
DEFAULT_BATCH = 10_000


# Indexes earlier versions made and this one drops: one per relationship type on
# ``r.graph``. No query looks a relationship up by its graph with a type
# (``graph_citations`` matches untyped relationships, which no relationship index
# serves), and keeping them cost about a tenth of a first load at 1M quads.
OBSOLETE_INDEX_PREFIX = "rel_graph_"


def schema_statements() -> list[str]:
    """Constraints and indexes: the IRI every read starts from, the node's graph
    (``graph_citations``), and the full-text indexes of search (``neo4j_search``)."""
    return [
        f"CREATE CONSTRAINT resource_iri IF NOT EXISTS FOR (n:{RESOURCE_LABEL}) REQUIRE n.iri IS UNIQUE",
        f"CREATE INDEX resource_graph IF NOT EXISTS FOR (n:{RESOURCE_LABEL}) ON (n.graph)",
        *SEARCH_SCHEMA,
    ]


def ensure_schema(driver: Driver, database: str) -> None:
    """Create constraints and indexes (idempotent, one schema transaction), drop the
    obsolete ones an earlier version made, and wait until they are online."""
    with driver.session(database=database) as session:
        obsolete = [
            str(r["name"])
            for r in session.run(
                "SHOW INDEXES YIELD name WHERE name STARTS WITH $prefix RETURN name",
                prefix=OBSOLETE_INDEX_PREFIX,
            )
        ]
        with session.begin_transaction() as tx:
            for name in obsolete:
                tx.run(f"DROP INDEX `{name}` IF EXISTS").consume()
            for stmt in schema_statements():
                tx.run(stmt).consume()
            tx.commit()
        session.run("CALL db.awaitIndexes(300)").consume()


def schema_in_background(driver: Driver, database: str) -> Future[None]:
    """``ensure_schema`` on a thread of its own, for ``replace_graph(schema=...)``: Neo4j
    makes the schema while the caller maps the data (0.15-0.5 s at 100k quads)."""
    pool = ThreadPoolExecutor(1, thread_name_prefix="eskg-schema")
    try:
        return pool.submit(ensure_schema, driver, database)
    finally:
        pool.shutdown(wait=False)


def _batches(rows: Sequence[dict[str, Any]], size: int) -> Iterator[Sequence[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _merge_nodes(labels: Sequence[str], onto: Ontology) -> str:
    others = sorted((set(onto.classes) | {CITATION_LABEL}) - set(labels))
    remove = f" REMOVE n:{':'.join(others)}" if others else ""
    return (
        f"UNWIND $rows AS row MERGE (n:{RESOURCE_LABEL} {{iri: row.iri}}) "
        f"SET n = row, n.load = $load SET n:{':'.join(labels)}{remove}"
    )


def _merge_rels(rel_type: str) -> str:
    return (
        f"UNWIND $rows AS row MATCH (a:{RESOURCE_LABEL} {{iri: row.s}}) "
        f"MATCH (b:{RESOURCE_LABEL} {{iri: row.o}}) MERGE (a)-[r:{rel_type}]->(b) "
        "SET r.graph = row.graph, r.citations = row.citations, r.validFrom = row.validFrom, "
        "r.validUntil = row.validUntil, r.load = $load"
    )


ANY_RESOURCE = f"MATCH (n:{RESOURCE_LABEL}) RETURN count(n) > 0 AS found LIMIT 1"
STALE_RELS = "MATCH ()-[r]->() WHERE r.load IS NULL OR r.load <> $load DELETE r"
STALE_NODES = f"MATCH (n:{RESOURCE_LABEL}) WHERE n.load IS NULL OR n.load <> $load DETACH DELETE n"


def check_names(pg: PropertyGraph, onto: Ontology) -> None:
    """Refuse any label or relationship type the ontology does not define."""
    labels = set(onto.classes) | {RESOURCE_LABEL, CITATION_LABEL}
    types = {p.rel_type for p in onto.object_properties} | {DOCUMENT_REL}
    for label_set in pg.nodes:
        if not set(label_set) <= labels:
            raise DataNotConformingError(
                f"labels not in the ontology: {sorted(set(label_set) - labels)}"
            )
    for rel_type in pg.relationship_types():
        if rel_type not in types:
            raise DataNotConformingError(f"relationship type not in the ontology: {rel_type}")


def _merge_unless_empty(
    tx: ManagedTransaction,
    pg: PropertyGraph,
    onto: Ontology,
    load: str,
    batch: int,
    progress: Progress,
    bounds: DataBounds,
) -> bool:
    """Merge the graph and its bounds over the existing one; False, writing nothing, if
    there is none."""
    record = tx.run(ANY_RESOURCE).single()
    if record is None or not record["found"]:
        return False
    _merge_all(tx, pg, onto, load, batch, progress)
    write_bounds(tx, bounds, load)
    return True


def _merge_all(
    tx: ManagedTransaction,
    pg: PropertyGraph,
    onto: Ontology,
    load: str,
    batch: int,
    progress: Progress,
) -> None:
    done = 0
    for labels, rows in node_groups(pg):
        query = _merge_nodes(labels, onto)
        for chunk in _batches(rows, batch):
            tx.run(query, rows=chunk, load=load).consume()
        done += len(rows)
    progress(f"nodes merged: {done}")
    done = 0
    for rel_type, rows in rel_groups(pg, str, batch):
        tx.run(_merge_rels(rel_type), rows=rows, load=load).consume()
        done += len(rows)
    progress(f"relationships merged: {done}")
    tx.run(STALE_RELS, load=load).consume()
    tx.run(STALE_NODES, load=load).consume()
    progress("what the previous load left deleted")
    tx.run(COUNT_RELATIONS).consume()
    progress("relations of the searchable entities counted")


def replace_graph(
    driver: Driver,
    pg: PropertyGraph,
    onto: Ontology,
    database: str,
    batch: int = DEFAULT_BATCH,
    progress: Progress = lambda _: None,
    writers: int = WRITERS,
    rows_per_tx: int = ROWS_PER_TX,
    schema: Future[None] | None = None,
) -> float:
    """Make Neo4j hold exactly this property graph; returns seconds taken. Over an
    existing graph in one transaction; into an empty one in ``writers`` parallel
    transactions of ``rows_per_tx`` rows, deleted again if one fails. ``schema`` is
    ``schema_in_background``'s, if the caller started it."""
    start = time.perf_counter()
    check_names(pg, onto)
    if schema is None:
        ensure_schema(driver, database)
    else:
        schema.result()
    load = uuid.uuid4().hex
    bounds = count_bounds(pg, onto)
    with gc_paused(), driver.session(database=database) as session:
        merged = session.execute_write(_merge_unless_empty, pg, onto, load, batch, progress, bounds)
        if not merged:
            create_graph(driver, pg, database, load, batch, progress, writers, rows_per_tx)
            session.execute_write(write_bounds, bounds, load)
            # committed batches (auto-commit: CALL IN TRANSACTIONS); should it fail, a
            # search counts the relations of the nodes left without (neo4j_search)
            session.run(RELATIONS_BATCHED).consume()
            progress("relations of the searchable entities counted")
    return time.perf_counter() - start


def counts(driver: Driver, database: str) -> tuple[int, int]:
    """Node and relationship counts of the whole database."""
    with driver.session(database=database) as session:
        nodes = session.run("MATCH (n) RETURN count(n) AS c").single()
        rels = session.run("MATCH ()-[r]->() RETURN count(r) AS c").single()
        return (int(nodes["c"]) if nodes else 0, int(rels["c"]) if rels else 0)
