"""Write a property graph into Neo4j: constraints first, then one transaction.

Into a database without ``Resource`` nodes (a first load, a benchmark run) the graph is
created with ``CREATE``, and relationships find their ends by the element ids their
nodes' creation returned, so no statement looks anything up by IRI. Over an existing
graph, nodes and relationships are merged on their IRIs, and whatever the previous load
left and this one did not write is deleted at the end. (Deleting the old graph first
and creating the new one made each uniqueness check skip the deleted index entries:
minutes at a million quads.) Either way a failure rolls the whole transaction back, so
readers keep the old graph. Every element is stamped with the load's id (``eskg
export`` uses it to detect a reload).

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
from typing import Any

from neo4j import Driver, ManagedTransaction

from eskg.errors import DataNotConformingError
from eskg.ontology import RESOURCE_LABEL, Ontology
from loaders.property_graph import CITATION_LABEL, DOCUMENT_REL, PropertyGraph, gc_paused

Progress = Callable[[str], None]

# Rows per statement when the caller does not say: fewer, larger statements mean fewer
# round trips; 10,000 rows of nodes stay at a few megabytes of parameters.
DEFAULT_BATCH = 10_000


def schema_statements(onto: Ontology) -> list[str]:
    """Constraints and indexes derived from the ontology."""
    stmts = [
        f"CREATE CONSTRAINT resource_iri IF NOT EXISTS FOR (n:{RESOURCE_LABEL}) REQUIRE n.iri IS UNIQUE",
        f"CREATE INDEX resource_graph IF NOT EXISTS FOR (n:{RESOURCE_LABEL}) ON (n.graph)",
    ]
    for prop in onto.object_properties:
        stmts.append(
            f"CREATE INDEX rel_graph_{prop.rel_type.lower()} IF NOT EXISTS "
            f"FOR ()-[r:{prop.rel_type}]-() ON (r.graph)"
        )
    return stmts


def ensure_schema(driver: Driver, onto: Ontology, database: str) -> None:
    """Create constraints and indexes (idempotent, one schema transaction) and wait
    until they are online."""
    with driver.session(database=database) as session:
        with session.begin_transaction() as tx:
            for stmt in schema_statements(onto):
                tx.run(stmt).consume()
            tx.commit()
        session.run("CALL db.awaitIndexes(300)").consume()


def _batches(rows: Sequence[dict[str, Any]], size: int) -> Iterator[Sequence[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _create_nodes(labels: Sequence[str]) -> str:
    return (
        f"UNWIND $rows AS row CREATE (n:{':'.join(labels)}) SET n = row, n.load = $load "
        "RETURN row.iri AS iri, elementId(n) AS id"
    )


def _create_rels(rel_type: str) -> str:
    return (
        "UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.s "
        f"MATCH (b) WHERE elementId(b) = row.o CREATE (a)-[r:{rel_type}]->(b) "
        "SET r.graph = row.graph, r.citations = row.citations, r.load = $load"
    )


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
        "SET r.graph = row.graph, r.citations = row.citations, r.load = $load"
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
    for rel_type in pg.relationships:
        if rel_type not in types:
            raise DataNotConformingError(f"relationship type not in the ontology: {rel_type}")


def _node_groups(pg: PropertyGraph) -> Iterator[tuple[Sequence[str], list[dict[str, Any]]]]:
    yield from pg.nodes.items()
    fields = ("iri", "locator", "quote")
    citations = [{k: c[k] for k in fields if k in c} for c in pg.citations]
    yield sorted((RESOURCE_LABEL, CITATION_LABEL)), citations


def _rel_groups(
    pg: PropertyGraph, ends: Callable[[str], str | None]
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Relationship rows by type, ends given as ``ends(iri)`` (IRI or element id)."""
    for rel_type, group in pg.relationships.items():
        yield (
            rel_type,
            [
                {
                    "s": ends(r["s"]),
                    "o": ends(r["o"]),
                    "graph": r["graph"],
                    "citations": r["citations"],
                }
                for r in group
            ],
        )
    # a citation whose document is not in the graph gets no DOCUMENT relationship
    docs = ((ends(c["iri"]), ends(c["document"])) for c in pg.citations if "document" in c)
    yield DOCUMENT_REL, [{"s": s, "o": o} for s, o in docs if o is not None]


def _write_all(
    tx: ManagedTransaction,
    pg: PropertyGraph,
    onto: Ontology,
    load: str,
    batch: int,
    progress: Progress,
) -> None:
    record = tx.run(ANY_RESOURCE).single()
    if record is not None and record["found"]:
        _merge_all(tx, pg, onto, load, batch, progress)
    else:
        _create_all(tx, pg, load, batch, progress)


def _create_all(
    tx: ManagedTransaction, pg: PropertyGraph, load: str, batch: int, progress: Progress
) -> None:
    ids: dict[str, str] = {}
    for labels, rows in _node_groups(pg):
        query = _create_nodes(labels)
        for chunk in _batches(rows, batch):
            for iri, element_id in tx.run(query, rows=chunk, load=load).values():
                ids[iri] = element_id
    progress(f"nodes created: {len(ids)}")
    done = 0
    for rel_type, rows in _rel_groups(pg, ids.get):
        query = _create_rels(rel_type)
        for chunk in _batches(rows, batch):
            tx.run(query, rows=chunk, load=load).consume()
        done += len(rows)
    progress(f"relationships created: {done}")


def _merge_all(
    tx: ManagedTransaction,
    pg: PropertyGraph,
    onto: Ontology,
    load: str,
    batch: int,
    progress: Progress,
) -> None:
    done = 0
    for labels, rows in _node_groups(pg):
        query = _merge_nodes(labels, onto)
        for chunk in _batches(rows, batch):
            tx.run(query, rows=chunk, load=load).consume()
        done += len(rows)
    progress(f"nodes merged: {done}")
    done = 0
    for rel_type, rows in _rel_groups(pg, str):
        query = _merge_rels(rel_type)
        for chunk in _batches(rows, batch):
            tx.run(query, rows=chunk, load=load).consume()
        done += len(rows)
    progress(f"relationships merged: {done}")
    tx.run(STALE_RELS, load=load).consume()
    tx.run(STALE_NODES, load=load).consume()
    progress("what the previous load left deleted")


def replace_graph(
    driver: Driver,
    pg: PropertyGraph,
    onto: Ontology,
    database: str,
    batch: int = DEFAULT_BATCH,
    progress: Progress = lambda _: None,
) -> float:
    """Make Neo4j hold exactly this property graph, atomically; returns seconds taken."""
    start = time.perf_counter()
    check_names(pg, onto)
    ensure_schema(driver, onto, database)
    load = uuid.uuid4().hex
    with driver.session(database=database) as session, gc_paused():
        session.execute_write(_write_all, pg, onto, load, batch, progress)
    return time.perf_counter() - start


def counts(driver: Driver, database: str) -> tuple[int, int]:
    """Node and relationship counts of the whole database."""
    with driver.session(database=database) as session:
        nodes = session.run("MATCH (n) RETURN count(n) AS c").single()
        rels = session.run("MATCH ()-[r]->() RETURN count(r) AS c").single()
        return (int(nodes["c"]) if nodes else 0, int(rels["c"]) if rels else 0)
