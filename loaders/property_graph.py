"""Map validated RDF (our provenance pattern) onto a property graph for Neo4j.

* Each entity becomes a node labelled ``Resource`` plus its classes and their eskg
  superclasses; literal statements become properties (see ``eskg.store.neo4j_codec``).
* Each relation ``s p o`` becomes a relationship of type UPPER_SNAKE(p), carrying the
  named graph it sits in and that graph's citations.
* Each citation becomes a ``Resource:Citation`` node with a ``DOCUMENT`` relationship.

The mapping is reversible (``eskg export --from neo4j`` rebuilds the same quads), so it
refuses RDF outside the pattern rather than dropping statements silently.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import RDF, Dataset, Literal, URIRef

from eskg.errors import DataNotConformingError
from eskg.ontology import ESKG, RESOURCE_LABEL, Ontology
from eskg.store.neo4j_codec import encode

CITATION_LABEL = "Citation"
DOCUMENT_REL = "DOCUMENT"


@dataclass
class PropertyGraph:
    """Rows ready for batched UNWIND writes."""

    # label set (sorted tuple) -> rows {iri, props}
    nodes: dict[tuple[str, ...], list[dict[str, Any]]] = field(default_factory=dict)
    # relationship type -> rows {s, o, graph, citations}
    relationships: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    citations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def node_count(self) -> int:
        return sum(len(v) for v in self.nodes.values()) + len(self.citations)

    @property
    def relationship_count(self) -> int:
        return sum(len(v) for v in self.relationships.values()) + len(self.citations)


def to_property_graph(ds: Dataset, onto: Ontology) -> PropertyGraph:
    """The property graph of a dataset that follows our provenance pattern."""
    graph_cits: dict[str, list[str]] = defaultdict(list)
    cit_props: dict[str, dict[str, Any]] = defaultdict(dict)
    types: dict[str, list[str]] = defaultdict(list)
    literals: dict[str, list[tuple[str, Literal]]] = defaultdict(list)
    node_graph: dict[str, str] = {}
    rels: dict[str, list[dict[str, Any]]] = defaultdict(list)
    # Terms looked up once: a Namespace attribute costs a call per quad, and the loop
    # runs once per quad (a million at the benchmark's largest size).
    citation, document, locator, quote = ESKG.citation, ESKG.document, ESKG.locator, ESKG.quote
    rdf_type, citation_class = RDF.type, ESKG.Citation
    default_id = ds.default_graph.identifier
    classes: dict[str, str] = {}
    props: dict[str, Any] = {}
    # One pass over every quad: the default graph holds citation links and citations.
    for s, p, o, g in ds.quads((None, None, None, None)):
        gid = g.identifier if hasattr(g, "identifier") else g  # type: ignore[union-attr]
        if gid is None or gid == default_id:
            if p == citation:
                graph_cits[str(s)].append(str(o))
            elif p == rdf_type and o == citation_class:
                cit_props[str(s)]["iri"] = str(s)
            elif p == document:
                cit_props[str(s)]["document"] = str(o)
            elif p == locator or p == quote:
                cit_props[str(s)]["locator" if p == locator else "quote"] = str(o)
            else:
                raise DataNotConformingError(
                    f"statement outside a named graph is not supported: {s} {p} {o}; "
                    "put entity statements in a named graph with a citation"
                )
            continue
        graph = str(gid)
        subject = str(s)
        if p == rdf_type or isinstance(o, Literal):
            previous = node_graph.setdefault(subject, graph)
            if previous != graph:
                raise DataNotConformingError(
                    f"{subject}: its own statements sit in two graphs ({previous}, {graph}); "
                    "the Neo4j store keeps one graph per entity"
                )
            if p == rdf_type:
                key = str(o)
                name = classes.get(key)
                if name is None:
                    cls = onto.class_by_iri(key)
                    if cls is None:
                        raise DataNotConformingError(f"{subject}: class {o} is not in the ontology")
                    name = classes[key] = cls.name
                types[subject].append(name)
            else:
                literals[subject].append((str(p), o))  # type: ignore[arg-type]
        elif isinstance(o, URIRef):
            key = str(p)
            prop = props.get(key)
            if prop is None:
                prop = props[key] = onto.property_by_iri(key)
            if prop is None or not prop.is_object:
                raise DataNotConformingError(f"{subject}: relation {p} is not in the ontology")
            rels[prop.rel_type].append({"s": subject, "o": str(o), "graph": graph})
        else:
            raise DataNotConformingError(f"{subject}: blank nodes are not supported ({p})")
    pg = PropertyGraph()
    grouped: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for subject, graph in sorted(node_graph.items()):
        if not types[subject]:
            raise DataNotConformingError(f"{subject}: an entity needs a type")
        props = encode(onto, literals[subject], subject)
        props.update(
            iri=subject,
            graph=graph,
            citations=sorted(set(graph_cits.get(graph, []))),
            types=sorted(types[subject]),
        )
        labels = {a for t in types[subject] for a in onto.ancestors(t)} | {RESOURCE_LABEL}
        grouped[tuple(sorted(labels))].append({"iri": subject, "props": props})
    pg.nodes = dict(grouped)
    for rel_type, rows in rels.items():
        for row in rows:
            row["citations"] = sorted(set(graph_cits.get(row["graph"], [])))
            for end in ("s", "o"):
                if row[end] not in node_graph:
                    raise DataNotConformingError(
                        f"relation {rel_type} {row['s']} -> {row['o']}: {row[end]} has no statements"
                    )
    pg.relationships = dict(rels)
    pg.citations = [cit_props[k] for k in sorted(cit_props)]
    return pg
