"""Write a property graph into Neo4j: constraints first, batched UNWIND MERGE, idempotent.

The whole replace runs in one transaction: nodes and relationships are merged on their
IRIs and stamped with this load's id, then whatever the previous load left and this one
did not write is deleted. A failure anywhere rolls back, so readers keep the old graph.
Labels and relationship types in the statements come from the ontology, never from
input; every value travels as a parameter.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from neo4j import Driver, ManagedTransaction

from eskg.ontology import RESOURCE_LABEL, Ontology
from loaders.property_graph import CITATION_LABEL, DOCUMENT_REL, PropertyGraph

Progress = Callable[[str], None]


def schema_statements(onto: Ontology) -> list[str]:
    """Constraints and indexes derived from the ontology."""
    stmts = [
        f"CREATE CONSTRAINT resource_iri IF NOT EXISTS FOR (n:{RESOURCE_LABEL}) REQUIRE n.iri IS UNIQUE",
        f"CREATE INDEX resource_graph IF NOT EXISTS FOR (n:{RESOURCE_LABEL}) ON (n.graph)",
        f"CREATE INDEX resource_load IF NOT EXISTS FOR (n:{RESOURCE_LABEL}) ON (n.load)",
    ]
    for prop in onto.object_properties:
        stmts.append(
            f"CREATE INDEX rel_graph_{prop.rel_type.lower()} IF NOT EXISTS "
            f"FOR ()-[r:{prop.rel_type}]-() ON (r.graph)"
        )
    return stmts


def ensure_schema(driver: Driver, onto: Ontology, database: str) -> None:
    """Create constraints and indexes (idempotent) and wait until they are online."""
    with driver.session(database=database) as session:
        for stmt in schema_statements(onto):
            session.run(stmt).consume()
        session.run("CALL db.awaitIndexes(300)").consume()


def _batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _node_query(labels: tuple[str, ...], onto: Ontology) -> str:
    others = sorted((set(onto.classes) | {CITATION_LABEL}) - set(labels))
    remove = f" REMOVE n:{':'.join(others)}" if others else ""
    return (
        f"UNWIND $rows AS row MERGE (n:{RESOURCE_LABEL} {{iri: row.iri}}) "
        f"SET n = row.props, n.load = $load SET n:{':'.join(labels)}{remove}"
    )


def _rel_query(rel_type: str) -> str:
    return (
        f"UNWIND $rows AS row MATCH (a:{RESOURCE_LABEL} {{iri: row.s}}) "
        f"MATCH (b:{RESOURCE_LABEL} {{iri: row.o}}) MERGE (a)-[r:{rel_type}]->(b) "
        "SET r.graph = row.graph, r.citations = row.citations, r.load = $load"
    )


CITATION_QUERY = (
    f"UNWIND $rows AS row MERGE (c:{RESOURCE_LABEL} {{iri: row.iri}}) "
    f"SET c = {{iri: row.iri, locator: row.locator, quote: row.quote, load: $load}} "
    f"SET c:{CITATION_LABEL} WITH c, row "
    f"MATCH (d:{RESOURCE_LABEL} {{iri: row.document}}) MERGE (c)-[r:{DOCUMENT_REL}]->(d) "
    "SET r.load = $load"
)
STALE_RELS = "MATCH ()-[r]->() WHERE r.load IS NULL OR r.load <> $load DELETE r"
STALE_NODES = f"MATCH (n:{RESOURCE_LABEL}) WHERE n.load IS NULL OR n.load <> $load DETACH DELETE n"


def _write_all(
    tx: ManagedTransaction,
    pg: PropertyGraph,
    onto: Ontology,
    load: str,
    batch: int,
    progress: Progress,
) -> None:
    done = 0
    total = pg.node_count + pg.relationship_count
    for labels, rows in pg.nodes.items():
        query = _node_query(labels, onto)
        for chunk in _batches(rows, batch):
            tx.run(query, rows=chunk, load=load).consume()
            done += len(chunk)
        progress(f"nodes {':'.join(labels)}: {len(rows)} ({done}/{total})")
    for rel_type, rows in pg.relationships.items():
        query = _rel_query(rel_type)
        for chunk in _batches(rows, batch):
            tx.run(query, rows=chunk, load=load).consume()
            done += len(chunk)
    progress(f"relationships written ({done}/{total})")
    for chunk in _batches(pg.citations, batch):
        tx.run(CITATION_QUERY, rows=chunk, load=load).consume()
    progress(f"citations: {len(pg.citations)}")
    tx.run(STALE_RELS, load=load).consume()
    tx.run(STALE_NODES, load=load).consume()


def replace_graph(
    driver: Driver,
    pg: PropertyGraph,
    onto: Ontology,
    database: str,
    batch: int = 1000,
    progress: Progress = lambda _: None,
) -> float:
    """Make Neo4j hold exactly this property graph, atomically; returns seconds taken."""
    start = time.perf_counter()
    ensure_schema(driver, onto, database)
    load = uuid.uuid4().hex
    with driver.session(database=database) as session:
        session.execute_write(_write_all, pg, onto, load, batch, progress)
    return time.perf_counter() - start


def counts(driver: Driver, database: str) -> tuple[int, int]:
    """Node and relationship counts of the whole database."""
    with driver.session(database=database) as session:
        nodes = session.run("MATCH (n) RETURN count(n) AS c").single()
        rels = session.run("MATCH ()-[r]->() RETURN count(r) AS c").single()
        return (int(nodes["c"]) if nodes else 0, int(rels["c"]) if rels else 0)
