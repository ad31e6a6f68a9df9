"""The embedded store's reads straight from Oxigraph's quad indexes.

A GraphQL answer reads the same few named queries (``entity_by_iri``, ``relations_of``,
``citations_by_iri``, ``graph_citations`` and the flagship questions) for dozens of IRIs;
through SPARQL each call is parsed, planned and evaluated, which costs far more than the
handful of index look-ups it amounts to (``docs/benchmarks.md``, *Embedded store: where
an answer's time goes*). Here each is answered with ``Store.quads_for_pattern``, row for
row as its ``queries/*.rq`` file answers it: the same rows, in the shapes below, which
``EmbeddedStore`` decodes whichever way they were read. ``tests/test_embedded_reads.py``
compares both ways on the bundled and on synthetic data.

The SPARQL the rows mirror reads named graphs with ``GRAPH ?g`` (never the default graph)
and the graphs' own statements (citations, validity) in the union of all graphs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product
from typing import Any

import pyoxigraph as ox

from eskg.errors import ConfigurationError
from eskg.ontology import Ontology
from eskg.vocab import MEASURE_CLASS, VALID_FROM, VALID_UNTIL

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"

#: An ``entity_by_iri`` row: predicate IRI, object (a literal, or the class of rdf:type),
#: the citations of the statement's graph.
EntityRow = tuple[str, Any, tuple[str, ...]]
#: A ``relations_of`` row: predicate IRI, direction (True: outgoing), the other end,
#: validFrom, validUntil (lexical forms), the citations of the statement's graph.
RelationRow = tuple[str, bool, str, str | None, str | None, tuple[str, ...]]
#: A ``citations_by_iri`` row: document, locator, quote.
CitationRow = tuple[str, str | None, str | None]
#: A flagship row: the nodes from the measure to the target, the graph of each edge, and
#: each edge's (validFrom, validUntil).
PathRow = tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str | None, str | None], ...]]

#: One edge of a flagship path, from the node nearer the measure to the one nearer the
#: target: the properties (local names) it may follow and whether it follows them forward.
Hop = tuple[tuple[str, ...], bool]

_COVERS_T = (("coversTechnology",), True)
_COVERS_M = (("coversMaterial",), True)
_UP = (("broader",), True)  # to a broader concept
_DOWN = (("broader",), False)  # to a narrower one
_PART = (("usedIn", "inField"), True)


def _along_broader(first: Hop) -> tuple[tuple[Hop, ...], ...]:
    """``first`` to the asked concept, or to a concept up to two skos:broader steps below
    or above it."""
    return ((first,), (first, _UP), (first, _UP, _UP), (first, _DOWN), (first, _DOWN, _DOWN))


#: The branches of each flagship question's UNION (``queries/<question>.rq``), in order:
#: the hops from the measure (?n0) to the asked entity. A question not here is answered
#: by its SPARQL.
FLAGSHIP_PATHS: dict[str, tuple[tuple[Hop, ...], ...]] = {
    "measures_covering_technology": (
        *_along_broader(_COVERS_T),
        (_COVERS_M, _PART),
        (_COVERS_M, _PART, _UP),
    ),
    "measures_covering_material": _along_broader(_COVERS_M),
}
# MEASURE_CLASS (eskg/vocab.py): the class whose instances (by ``rdfs:subClassOf*`` in
# the ontology graph) the flagship questions' FILTER EXISTS keeps as ?n0.


@dataclass(frozen=True)
class Terms:
    """The Oxigraph terms the reads match, resolved from the ontology once."""

    rdf_type: ox.NamedNode
    citation: ox.NamedNode
    valid_from: ox.NamedNode
    valid_until: ox.NamedNode
    document: ox.NamedNode
    locator: ox.NamedNode
    quote: ox.NamedNode
    sub_class_of: ox.NamedNode
    ontology_graph: ox.NamedNode
    measure: ox.NamedNode
    #: question -> branches -> hops as (property terms, forward)
    paths: dict[str, tuple[tuple[tuple[tuple[ox.NamedNode, ...], bool], ...], ...]]

    @classmethod
    def of(cls, onto: Ontology, ontology_graph: str) -> Terms:
        """The terms of ``onto``, whose statements the store holds in ``ontology_graph``
        (a ConfigurationError names a property it lacks)."""

        def prop(name: str) -> ox.NamedNode:
            return ox.NamedNode(str(onto.properties[name].iri))

        missing = [
            n
            for branches in FLAGSHIP_PATHS.values()
            for hops in branches
            for names, _ in hops
            for n in names
            if n not in onto.properties
        ]
        missing += [
            n
            for n in ("citation", VALID_FROM, VALID_UNTIL, "document", "locator", "quote")
            if n not in onto.properties
        ]
        if missing:
            raise ConfigurationError(
                "the ontology lacks properties the embedded store reads: "
                + ", ".join(sorted(set(missing)))
                + " (ontology/eskg.ttl, or FLAGSHIP_PATHS in eskg/store/embedded_reads.py)"
            )
        return cls(
            rdf_type=ox.NamedNode(RDF_TYPE),
            citation=prop("citation"),
            valid_from=prop(VALID_FROM),
            valid_until=prop(VALID_UNTIL),
            document=prop("document"),
            locator=prop("locator"),
            quote=prop("quote"),
            sub_class_of=ox.NamedNode(RDFS_SUBCLASS_OF),
            ontology_graph=ox.NamedNode(ontology_graph),
            measure=ox.NamedNode(str(onto.cls(MEASURE_CLASS).iri)),
            paths={
                q: tuple(
                    tuple((tuple(prop(n) for n in names), fwd) for names, fwd in hops)
                    for hops in branches
                )
                for q, branches in FLAGSHIP_PATHS.items()
            },
        )


@dataclass(frozen=True)
class GraphFacts:
    """What the union of all graphs says about one named graph."""

    citations: tuple[str, ...]
    valid_from: tuple[str, ...]
    valid_until: tuple[str, ...]


def measure_classes(store: ox.Store, terms: Terms) -> frozenset[ox.NamedNode | ox.BlankNode]:
    """``?class rdfs:subClassOf* eskg:Measure`` in the store's ontology graph."""
    found: set[Any] = {terms.measure}
    todo: list[Any] = [terms.measure]
    while todo:
        for q in store.quads_for_pattern(
            None, terms.sub_class_of, todo.pop(), terms.ontology_graph
        ):
            if q.subject not in found:
                found.add(q.subject)
                todo.append(q.subject)
    return frozenset(found)


def node_of(text: str) -> ox.NamedNode | None:
    """``text`` as an IRI node, or None when Oxigraph refuses it as an IRI: such a text
    names nothing here (the SPARQL reads answered it alike, as an IRI no statement has)."""
    try:
        return ox.NamedNode(text)
    except ValueError:
        return None


class Reader:
    """The reads of one store call; remembers the graphs it has looked at."""

    def __init__(self, store: ox.Store, terms: Terms) -> None:
        self.store = store
        self.t = terms
        self._graphs: dict[Any, GraphFacts] = {}

    def graph(self, g: Any) -> GraphFacts:
        """``OPTIONAL { ?g eskg:citation ?c }`` and the graph's validFrom / validUntil."""
        found = self._graphs.get(g)
        if found is None:
            cits: list[str] = []
            froms: list[str] = []
            untils: list[str] = []
            t = self.t
            for q in self.store.quads_for_pattern(g, None, None, None):
                p, o = q.predicate, q.object
                if isinstance(o, ox.Triple):
                    continue
                if p == t.citation:
                    cits.append(o.value)
                elif p == t.valid_from:
                    froms.append(o.value)
                elif p == t.valid_until:
                    untils.append(o.value)
            found = self._graphs[g] = GraphFacts(tuple(cits), tuple(froms), tuple(untils))
        return found

    def entity_rows(self, iri: str) -> list[EntityRow]:
        """``entity_by_iri``: the entity's literals and types in named graphs."""
        node = node_of(iri)
        if node is None:
            return []
        rdf_type = self.t.rdf_type
        out: list[EntityRow] = []
        for q in self.store.quads_for_pattern(node, None, None, None):
            g = q.graph_name
            if isinstance(g, ox.DefaultGraph):
                continue
            o, p = q.object, q.predicate
            if isinstance(o, ox.Literal) or p == rdf_type:
                out.append((p.value, o, self.graph(g).citations))
        return out

    def relation_rows(self, iri: str) -> list[RelationRow]:
        """``relations_of``: statements in named graphs linking the entity to an IRI
        (outgoing) or to it from anything (incoming), rdf:type aside."""
        node = node_of(iri)
        if node is None:
            return []
        rdf_type = self.t.rdf_type
        out: list[RelationRow] = []
        for outgoing, quads in (
            (True, self.store.quads_for_pattern(node, None, None, None)),
            (False, self.store.quads_for_pattern(None, None, node, None)),
        ):
            for q in quads:
                g, p = q.graph_name, q.predicate
                if isinstance(g, ox.DefaultGraph) or p == rdf_type:
                    continue
                other: Any = q.object if outgoing else q.subject
                if outgoing and not isinstance(other, ox.NamedNode):
                    continue
                facts = self.graph(g)
                for f, u in product(facts.valid_from or (None,), facts.valid_until or (None,)):
                    out.append((p.value, outgoing, other.value, f, u, facts.citations))
        return out

    def citation_row(self, iri: str) -> CitationRow | None:
        """``citations_by_iri``: the first document, locator and quote of the citation."""
        node = node_of(iri)
        if node is None:
            return None
        t = self.t
        document = locator = quote = None
        for q in self.store.quads_for_pattern(node, None, None, None):
            p, o = q.predicate, q.object
            if isinstance(o, ox.Triple):
                continue
            if p == t.document and document is None:
                document = o.value
            elif p == t.locator and locator is None:
                locator = o.value
            elif p == t.quote and quote is None:
                quote = o.value
        return None if document is None else (document, locator, quote)

    def graph_citations(self, g: str) -> tuple[str, ...]:
        """``graph_citations``: the citations of the statements in graph ``g``, sorted."""
        return tuple(sorted(self.graph(ox.NamedNode(g)).citations))

    def path_rows(
        self, question: str, target: str, measures: frozenset[Any]
    ) -> list[PathRow] | None:
        """The flagship question's rows for ``target``; None for a question without
        branches here (answer it by SPARQL)."""
        branches = self.t.paths.get(question)
        if branches is None:
            return None
        start = node_of(target)
        if start is None:
            return []
        is_measure: dict[Any, bool] = {}
        out: list[PathRow] = []
        for hops in branches:
            for nodes, graphs in self._walk(hops, start):
                n0 = nodes[0]
                keep = is_measure.get(n0)
                if keep is None:
                    keep = is_measure[n0] = self._typed_as(n0, measures)
                if not keep:
                    continue
                names = tuple(n.value for n in nodes)
                edges = [self.graph(g) for g in graphs]
                spans = [product(e.valid_from or (None,), e.valid_until or (None,)) for e in edges]
                for validity in product(*spans):
                    out.append((names, tuple(g.value for g in graphs), validity))
        return out

    def _walk(
        self, hops: tuple[tuple[tuple[ox.NamedNode, ...], bool], ...], target: Any
    ) -> Iterator[tuple[tuple[Any, ...], tuple[Any, ...]]]:
        """Every chain matching ``hops`` that ends at ``target``, walked back from it:
        (nodes from ?n0 to the target, the graph of each edge)."""
        partial: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = [((target,), ())]
        for props, forward in reversed(hops):
            longer: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = []
            for nodes, graphs in partial:
                near = nodes[0]
                if not forward and isinstance(near, ox.Literal):
                    continue  # a literal is never a subject
                for p in props:
                    found = (
                        self.store.quads_for_pattern(None, p, near, None)
                        if forward
                        else self.store.quads_for_pattern(near, p, None, None)
                    )
                    for q in found:
                        g = q.graph_name
                        if isinstance(g, ox.DefaultGraph):
                            continue
                        other = q.subject if forward else q.object
                        longer.append(((other, *nodes), (g, *graphs)))
            partial = longer
        yield from partial

    def _typed_as(self, node: Any, classes: frozenset[Any]) -> bool:
        """``FILTER EXISTS { GRAPH ?gt { ?node a ?class } }`` with ?class in ``classes``."""
        if isinstance(node, ox.Literal):
            return False
        return any(
            q.object in classes and not isinstance(q.graph_name, ox.DefaultGraph)
            for q in self.store.quads_for_pattern(node, self.t.rdf_type, None, None)
        )
