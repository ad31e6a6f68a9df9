"""The list bounds on Neo4j (``eskg.bounds``): counted from the relationships a load
writes, kept in one ``ListBounds`` node stamped with the load's id.

The node is written in the load's transaction over an existing graph, and after the
last committed unit of a first load (``neo4j_load``). It is not a ``Resource``: no read,
export or count of the data sees it. ``READ`` returns it with the load id of the data,
so bounds left by another load (a first load that failed after its units committed, a
graph written by an earlier version) are not taken for the data's.
"""

from __future__ import annotations

from typing import Any

from neo4j import ManagedTransaction

from eskg.bounds import IN, OUT, DataBounds
from eskg.ontology import RESOURCE_LABEL, Ontology
from eskg.store.property_graph import PropertyGraph

BOUNDS_LABEL = "ListBounds"
WRITE = (
    f"OPTIONAL MATCH (old:{BOUNDS_LABEL}) DELETE old WITH count(*) AS gone "
    f"CREATE (:{BOUNDS_LABEL} {{load: $load, relations: $relations, props: $props, "
    "directions: $directions, most: $most})"
)
READ = (
    f"OPTIONAL MATCH (b:{BOUNDS_LABEL}) "
    f"OPTIONAL MATCH (e:{RESOURCE_LABEL}) WHERE e.load IS NOT NULL "
    "WITH b, e LIMIT 1 "
    "RETURN b.load AS bounds_load, e.load AS data_load, b.relations AS relations, "
    "b.props AS props, b.directions AS directions, b.most AS most"
)


def count_bounds(pg: PropertyGraph, onto: Ontology) -> DataBounds:
    """The bounds of a property graph's relationships (one row per quad), keyed by the
    ontology's property names as the embedded store keys them."""
    return pg.relation_bounds({p.rel_type: p.name for p in onto.object_properties})


def write_bounds(tx: ManagedTransaction, bounds: DataBounds, load: str) -> None:
    """Replace the ``ListBounds`` node with these bounds of load ``load``."""
    keys = sorted(bounds.links)
    tx.run(
        WRITE,
        load=load,
        relations=bounds.relations,
        props=[p for p, _ in keys],
        directions=[d for _, d in keys],
        most=[bounds.links[k] for k in keys],
    ).consume()


def read_bounds(rows: list[dict[str, Any]]) -> DataBounds | None:
    """The bounds in ``READ``'s rows: empty bounds for a graph without data, None when
    the node is missing or of another load than the data's."""
    row = rows[0] if rows else {}
    if row.get("data_load") is None:
        return DataBounds()
    if row.get("bounds_load") != row["data_load"]:
        return None
    keys = zip(row["props"], row["directions"], row["most"], strict=True)
    links = {(str(p), str(d)): int(n) for p, d, n in keys if d in (IN, OUT)}
    return DataBounds(int(row["relations"]), links)
