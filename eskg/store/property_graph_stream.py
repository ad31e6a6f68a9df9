"""The property graph of an N-Quads file without its relationships in memory.

``nquads_property_graph`` holds every relationship row (and the writers copy them once
more): at 10M quads that and the nodes did not fit beside Neo4j. ``file_property_graph``
reads the file twice instead. The first pass is ``property_graph.Builder``'s, which
keeps the nodes, the citations and each graph's citations and validity, and of the
relations only their types, the graphs holding one and the list bounds
(``eskg.bounds``). The writers then ask ``relationship_chunks``, a second pass over the
file that gives the same rows in lists of a writer's size as it reads them (a relation
whose end has no statements is refused there, and the load is undone or rolled back).
The graph Neo4j holds at the end is the one ``nquads_property_graph`` gives.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from eskg.bounds import BoundsCounter, DataBounds
from eskg.ontology import Ontology
from eskg.store.property_graph import (
    RDF_TYPE,
    Builder,
    PropertyGraph,
    gc_paused,
    no_statements,
    oxigraph_quads,
    parse_nquads,
)


class _RelationsCounted(Builder):
    """The builder keeping of each relation its type, its graph and its counts."""

    def __init__(self, onto: Ontology) -> None:
        super().__init__(onto)
        self.seen_types: set[str] = set()
        self.held: set[str] = set()
        self.counter = BoundsCounter()
        self.count = 0
        self.names = {p.rel_type: p.name for p in onto.object_properties}

    def relation(self, subject: str, p: str, o: str, graph: str) -> None:
        rel_type = self.rel_types.get(p)
        if rel_type is None:
            super().relation(subject, p, o, graph)  # refuses a non-relation, caches the type
            self.rels.clear()
            rel_type = self.rel_types[p]
            assert rel_type is not None
        self.seen_types.add(rel_type)
        self.held.add(graph)
        self.counter.add(subject, self.names.get(rel_type, rel_type), o)
        self.count += 1


class FilePropertyGraph(PropertyGraph):
    """Nodes and citations in memory; relationships read from the file when asked."""

    def __init__(self, path: Path, b: _RelationsCounted) -> None:
        graph_cits = b.graph_citations()
        super().__init__(b.node_rows(graph_cits), {}, b.citation_rows())
        b.check_citations()
        b.check_validity(b.held)
        self.path = path
        self.onto = b.onto
        self._graph_cits = graph_cits
        self._validity = dict(b.graph_validity)
        self._node_graph = b.node_graph
        self._rel_types = dict(b.rel_types)
        self._types = b.seen_types
        self._bounds = b.counter.bounds()
        self._count = b.count

    @property
    def relationship_count(self) -> int:
        return self._count + len(self.citations)

    def relationship_types(self) -> set[str]:
        return set(self._types)

    def relation_bounds(self, names: Mapping[str, str]) -> DataBounds:
        return self._bounds  # counted by the first pass, keyed by property name

    def relationship_chunks(self, size: int) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """The second pass: the relationship rows of the file, by type, ``size`` at a time."""
        named, default = ox.NamedNode, ox.DefaultGraph
        graph_cits, validity, node_graph = self._graph_cits, self._validity, self._node_graph
        rel_types, no_cits = self._rel_types, list[str]()
        pending: dict[str, list[dict[str, Any]]] = {}
        for q in parse_nquads(self.path):
            o, g = q.object, q.graph_name
            if isinstance(g, default) or not isinstance(o, named):
                continue
            p = q.predicate.value
            if p == RDF_TYPE:
                continue
            rel_type = rel_types[p]
            assert rel_type is not None  # the first pass refused any other
            s, gv = q.subject.value, g.value  # type: ignore[union-attr]
            row: dict[str, Any] = {"s": s, "o": o.value, "graph": gv}
            row["citations"] = graph_cits.get(gv, no_cits)
            bounds = validity.get(gv)
            if bounds:
                row.update(bounds)
            for end in (s, o.value):
                if end not in node_graph:
                    raise no_statements(rel_type, s, o.value, end)
            rows = pending.setdefault(rel_type, [])
            rows.append(row)
            if len(rows) >= size:
                yield rel_type, rows
                pending[rel_type] = []
        for rel_type, rows in pending.items():
            if rows:
                yield rel_type, rows


def file_property_graph(path: Path, onto: Ontology) -> FilePropertyGraph:
    """The first pass over an N-Quads file (see the module's docstring)."""
    b = _RelationsCounted(onto)
    with gc_paused():
        oxigraph_quads(b, parse_nquads(path))
        return FilePropertyGraph(path, b)
