"""Map validated RDF (our provenance pattern) onto a property graph for Neo4j.

* Each entity becomes a node labelled ``Resource`` plus its classes and their eskg
  superclasses; literal statements become properties (see ``eskg.store.neo4j_codec``).
* Each relation ``s p o`` becomes a relationship of type UPPER_SNAKE(p), carrying the
  named graph it sits in, that graph's citations and, when the graph has them, its
  ``eskg:validFrom`` / ``eskg:validUntil`` (as the relationship's ``validFrom`` /
  ``validUntil`` dates).
* Each citation becomes a ``Resource:Citation`` node with a ``DOCUMENT`` relationship.

The mapping is reversible (``eskg export --from neo4j`` rebuilds the same quads), so it
refuses RDF outside the pattern rather than dropping statements silently.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, XSD, Dataset, Literal, URIRef

from eskg import vocab
from eskg.bounds import BoundsCounter, DataBounds
from eskg.errors import DataNotConformingError
from eskg.ontology import ESKG, RESOURCE_LABEL, Ontology
from eskg.store.neo4j_codec import key_for, to_neo4j
from eskg.store.neo4j_search import search_properties

CITATION_LABEL = vocab.CITATION_CLASS
DOCUMENT_REL = "DOCUMENT"
CITATION, DOCUMENT, LOCATOR, QUOTE = (
    str(t) for t in (ESKG.citation, ESKG.document, ESKG.locator, ESKG.quote)
)
#: A relation's validity, written on its statement graph in the default graph; in Neo4j
#: the relationship's ``validFrom`` / ``validUntil`` (Neo4j dates).
VALIDITY = {
    str(ESKG[vocab.VALID_FROM]): vocab.VALID_FROM,
    str(ESKG[vocab.VALID_UNTIL]): vocab.VALID_UNTIL,
}
RDF_TYPE, CITATION_CLASS = str(RDF.type), str(ESKG.Citation)
XSD_BOOLEAN, XSD_DECIMAL, XSD_STRING = str(XSD.boolean), str(XSD.decimal), str(XSD.string)


@dataclass
class PropertyGraph:
    """Rows ready for batched UNWIND writes."""

    # label set (sorted tuple) -> node properties (``iri`` among them)
    nodes: dict[tuple[str, ...], list[dict[str, Any]]] = field(default_factory=dict)
    # relationship type -> rows {s, o, graph, citations} (and validFrom, validUntil when
    # the relation is bounded)
    relationships: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    citations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def node_count(self) -> int:
        return sum(len(v) for v in self.nodes.values()) + len(self.citations)

    @property
    def relationship_count(self) -> int:
        return sum(len(v) for v in self.relationships.values()) + len(self.citations)

    def relationship_types(self) -> set[str]:
        """The types of the relationships (``DOCUMENT`` of the citations apart)."""
        return set(self.relationships)

    def relationship_chunks(self, size: int) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """The relationship rows by type, in lists of at most ``size`` rows."""
        for rel_type, rows in self.relationships.items():
            for i in range(0, len(rows), size):
                yield rel_type, rows[i : i + size]

    def relation_bounds(self, names: Mapping[str, str]) -> DataBounds:
        """The list bounds of the relationships (``eskg.bounds``), ``names`` mapping a
        relationship type to its property's name."""
        counter = BoundsCounter()
        for rel_type, rows in self.relationships.items():
            name = names.get(rel_type, rel_type)
            for row in rows:
                counter.add(row["s"], name, row["o"])
        return counter.bounds()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while mapping or writing a graph.

    Both allocate objects per quad or row and make no reference cycles; with a large
    dataset alive, the collector's passes over it took about a third of the mapping's
    time at 100k quads, and 0.6 to 4.8 s of the writing at 1M. Resuming moves what was
    allocated meanwhile straight to the oldest generation (``gc.freeze`` then
    ``gc.unfreeze``): re-enabled as it was, the collector's first young pass walked all
    of it (0.6 s at 1M quads, after the mapping and again after the writes).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


class _Literal:
    """An Oxigraph literal as ``encode`` reads one: ``datatype``, ``language``, ``str()``.

    Building ``rdflib.Literal`` objects costs microseconds each; this costs one object.
    The lexical forms rdflib normalises and the codec keeps as written (booleans,
    decimals) are normalised the same way, so both mappings give the same values.
    """

    __slots__ = ("datatype", "language", "lexical")

    def __init__(self, lexical: str, datatype: str, language: str | None) -> None:
        if datatype == XSD_BOOLEAN and lexical in ("1", "0"):
            lexical = "true" if lexical == "1" else "false"
        elif datatype == XSD_DECIMAL:
            with suppress(InvalidOperation):
                lexical = str(Decimal(lexical))
        self.lexical = lexical
        self.datatype = None if language else datatype
        self.language = language

    def __str__(self) -> str:
        return self.lexical


# A literal statement as a node property: (key, Neo4j value, the property's name if it
# takes one value, else None).
Encoded = tuple[str, Any, str | None]


class Builder:
    """Collects quads (as plain strings) and assembles the property graph."""

    def __init__(self, onto: Ontology) -> None:
        self.onto = onto
        self.graph_cits: dict[str, list[str]] = defaultdict(list)
        self.graph_validity: dict[str, dict[str, Any]] = defaultdict(dict)
        self.cit_props: dict[str, dict[str, Any]] = defaultdict(dict)
        self.types: dict[str, list[str]] = defaultdict(list)
        self.literals: dict[str, list[Encoded]] = defaultdict(list)
        self.node_graph: dict[str, str] = {}
        self.rels: dict[str, list[dict[str, Any]]] = defaultdict(list)
        # Look-ups cached per IRI: the loop runs once per quad (a million at the
        # benchmark's largest size).
        self.classes: dict[str, str] = {}
        self.rel_types: dict[str, str | None] = {}

    def default(self, s: str, p: str, o: str) -> None:
        """A statement of the default graph: citation links and citations only."""
        if p == CITATION:
            self.graph_cits[s].append(o)
        elif p == RDF_TYPE and o == CITATION_CLASS:
            self.cit_props[s]["iri"] = s
        elif p == DOCUMENT:
            self.cit_props[s]["document"] = o
        elif p == LOCATOR or p == QUOTE:
            self.cit_props[s]["locator" if p == LOCATOR else "quote"] = o
        elif p in VALIDITY:
            self.validity(s, VALIDITY[p], o)
        else:
            raise DataNotConformingError(
                f"statement outside a named graph is not supported: {s} {p} {o}; "
                "put entity statements in a named graph with a citation"
            )

    def validity(self, graph: str, key: str, lexical: str) -> None:
        """A bound of the relation held in ``graph`` (an ``xsd:date``)."""
        try:
            day = date.fromisoformat(lexical)
        except ValueError:
            raise DataNotConformingError(
                f"{graph}: {key} {lexical!r} is not a date YYYY-MM-DD"
            ) from None
        previous = self.graph_validity[graph].setdefault(key, day)
        if previous != day:
            raise DataNotConformingError(f"{graph}: two values of {key} ({previous}, {day})")

    def own(self, subject: str, graph: str) -> None:
        previous = self.node_graph.setdefault(subject, graph)
        if previous != graph:
            raise DataNotConformingError(
                f"{subject}: its own statements sit in two graphs ({previous}, {graph}); "
                "the Neo4j store keeps one graph per entity"
            )

    def type(self, subject: str, cls_iri: str, graph: str) -> None:
        self.own(subject, graph)
        name = self.classes.get(cls_iri)
        if name is None:
            cls = self.onto.class_by_iri(cls_iri)
            if cls is None:
                raise DataNotConformingError(f"{subject}: class {cls_iri} is not in the ontology")
            name = self.classes[cls_iri] = cls.name
        self.types[subject].append(name)

    def encode(self, subject: str, p: str, lit: Any) -> Encoded:
        """One literal statement as ``neo4j_codec.encode`` stores it, so that the
        Oxigraph path can cache it per distinct (property, literal)."""
        prop = self.onto.property_by_iri(p)
        if prop is None or prop.is_object:
            raise DataNotConformingError(f"{subject}: property {p} is not in the ontology")
        single = prop.name if prop.single_valued else None
        dt = lit.datatype
        # text stays text (``to_neo4j`` converts dates, booleans and integers only);
        # its datatype tests were two thirds of this method's time at 1M quads
        plain = lit.language or dt is None or str(dt) == XSD_STRING
        return key_for(prop, lit.language), str(lit) if plain else to_neo4j(lit), single

    def literal(self, subject: str, p: str, lit: Any, graph: str) -> None:
        self.own(subject, graph)
        self.literals[subject].append(self.encode(subject, p, lit))

    def relation(self, subject: str, p: str, o: str, graph: str) -> None:
        rel_type = self.rel_types.get(p, "")
        if rel_type == "":
            prop = self.onto.property_by_iri(p)
            rel_type = self.rel_types[p] = prop.rel_type if prop and prop.is_object else None
        if rel_type is None:
            raise DataNotConformingError(f"{subject}: relation {p} is not in the ontology")
        self.rels[rel_type].append({"s": subject, "o": o, "graph": graph})

    def finish(self) -> PropertyGraph:
        graph_cits = self.graph_citations()
        grouped = self.node_rows(graph_cits)
        no_cits: list[str] = []
        validity, node_graph = self.graph_validity, self.node_graph
        for rel_type, rows in self.rels.items():
            for row in rows:
                row["citations"] = graph_cits.get(row["graph"], no_cits)
                bounds = validity.get(row["graph"])
                if bounds:
                    row.update(bounds)
                for end in (row["s"], row["o"]):
                    if end not in node_graph:
                        raise no_statements(rel_type, row["s"], row["o"], end)
        self.check_citations()
        self.check_validity({row["graph"] for rows in self.rels.values() for row in rows})
        return PropertyGraph(grouped, dict(self.rels), self.citation_rows())

    def graph_citations(self) -> dict[str, list[str]]:
        """Each graph's citations, sorted, once."""
        return {g: sorted(set(c)) for g, c in self.graph_cits.items()}

    def node_rows(
        self, graph_cits: dict[str, list[str]]
    ) -> dict[tuple[str, ...], list[dict[str, Any]]]:
        """The node rows by label set."""
        types, node_graph = self.types, self.node_graph
        no_cits: list[str] = []
        label_sets: dict[tuple[str, ...], tuple[str, ...]] = {}
        grouped: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for subject, graph in sorted(node_graph.items()):
            asserted = tuple(sorted(types[subject]))
            if not asserted:
                raise DataNotConformingError(f"{subject}: an entity needs a type")
            labels = label_sets.get(asserted)
            if labels is None:
                labels = label_sets[asserted] = self._labels(asserted)
            props = _properties(self.literals[subject], subject)
            props.update(search_properties(self.onto, props))
            props.update(
                iri=subject,
                graph=graph,
                citations=graph_cits.get(graph, no_cits),
                types=list(asserted),
            )
            grouped[labels].append(props)
        return dict(grouped)

    def check_citations(self) -> None:
        for iri, cit in self.cit_props.items():
            if "iri" not in cit:
                raise DataNotConformingError(
                    f"{iri}: citation statements without `a eskg:Citation`"
                )

    def check_validity(self, held: set[str]) -> None:
        """Refuse a validity on a graph that holds no relation (``held``: those that do)."""
        for graph in self.graph_validity:
            if graph not in held:
                raise DataNotConformingError(
                    f"{graph}: validFrom/validUntil on a graph that holds no relation; "
                    "only a relation's statement graph carries a validity"
                )

    def citation_rows(self) -> list[dict[str, Any]]:
        return [self.cit_props[k] for k in sorted(self.cit_props)]

    def _labels(self, asserted: tuple[str, ...]) -> tuple[str, ...]:
        """A node's labels: its classes, their superclasses, and ``Resource``."""
        labels = {a for t in asserted for a in self.onto.ancestors(t)} | {RESOURCE_LABEL}
        return tuple(sorted(labels))


def no_statements(rel_type: str, s: str, o: str, end: str) -> DataNotConformingError:
    """The error of a relation one of whose ends has no statements."""
    return DataNotConformingError(f"relation {rel_type} {s} -> {o}: {end} has no statements")


def _properties(literals: list[Encoded], where: str) -> dict[str, Any]:
    """A node's literal properties, as ``neo4j_codec.encode`` makes them from the same
    statements (``test_property_graph`` checks that): each statement's key and value are
    worked out once per distinct literal by ``Builder.encode``, here only assembled."""
    props: dict[str, Any] = {}
    lists = False
    for key, value, single in literals:
        if single:
            if key in props and props[key] != value:
                raise DataNotConformingError(f"{where}: {single} takes one value, got two")
            props[key] = value
        else:
            props.setdefault(key, []).append(value)
            lists = True
    if lists:
        for value in props.values():
            if isinstance(value, list):
                value.sort(key=str)
    return props


def to_property_graph(ds: Dataset, onto: Ontology) -> PropertyGraph:
    """The property graph of a dataset that follows our provenance pattern."""
    b = Builder(onto)
    with gc_paused():
        _dataset_quads(b, ds)
        return b.finish()


def _dataset_quads(b: Builder, ds: Dataset) -> None:
    default_id, rdf_type = ds.default_graph.identifier, RDF.type  # hoisted: a Namespace
    # attribute costs a call per quad. One pass over every quad: the default graph holds
    # citation links and citations.
    for s, p, o, g in ds.quads((None, None, None, None)):
        gid = g.identifier if hasattr(g, "identifier") else g  # type: ignore[union-attr]
        if gid is None or gid == default_id:
            b.default(str(s), str(p), str(o))
        elif p == rdf_type:
            b.type(str(s), str(o), str(gid))
        elif isinstance(o, Literal):
            b.literal(str(s), str(p), o, str(gid))
        elif isinstance(o, URIRef):
            b.relation(str(s), str(p), str(o), str(gid))
        else:
            raise DataNotConformingError(f"{s}: blank nodes are not supported ({p})")


def parse_nquads(source: bytes | Path) -> Iterator[ox.Quad]:
    """Oxigraph's parser over N-Quads bytes or a file."""
    if isinstance(source, Path):
        return ox.parse(path=source, format=ox.RdfFormat.N_QUADS)
    return ox.parse(source, format=ox.RdfFormat.N_QUADS)


def nquads_property_graph(source: bytes | Path, onto: Ontology) -> PropertyGraph:
    """The property graph of N-Quads (bytes or a file), parsed by Oxigraph: the same
    result as ``to_property_graph`` of the same quads, without an rdflib Dataset (at
    100k quads 0.4 s against 0.6 s for the mapping alone, and no Dataset to build)."""
    b = Builder(onto)
    with gc_paused():
        oxigraph_quads(b, parse_nquads(source))
        return b.finish()


def oxigraph_quads(b: Builder, quads: Iterator[ox.Quad]) -> None:
    """The builder's methods, inlined for the two commonest statements (citation links
    and literals: over half and a fifth of the synthetic quads), the names the loop
    reads held in locals: a million iterations at the benchmark's largest size."""
    default_graph, named, literal, triple = ox.DefaultGraph, ox.NamedNode, ox.Literal, ox.Triple
    graph_cits, node_literals, node_graph = b.graph_cits, b.literals, b.node_graph
    default, own, encode, type_, relation = b.default, b.own, b.encode, b.type, b.relation
    # one entry per distinct (property, literal): keys, values and checks worked out once
    encoded: dict[tuple[str, str, str, str | None], Encoded] = {}
    for q in quads:
        subject, p, o, g = q.subject, q.predicate.value, q.object, q.graph_name
        if isinstance(subject, triple) or isinstance(o, triple):
            raise DataNotConformingError(f"quoted triples are not supported: {q}")
        s = subject.value
        if isinstance(g, default_graph):
            if p == CITATION:
                graph_cits[s].append(o.value)
            else:
                default(s, p, o.value)
        elif p == RDF_TYPE:
            type_(s, o.value, g.value)
        elif isinstance(o, literal):
            key = (p, o.value, o.datatype.value, o.language)
            enc = encoded.get(key)
            if enc is None:
                enc = encoded[key] = encode(s, p, _Literal(key[1], key[2], key[3]))
            gv = g.value
            if node_graph.get(s) != gv:
                own(s, gv)
            node_literals[s].append(enc)
        elif isinstance(o, named):
            relation(s, p, o.value, g.value)
        else:
            raise DataNotConformingError(f"{s}: blank nodes are not supported ({p})")
