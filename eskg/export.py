"""RDF dumps of a store: N-Quads, TriG, JSON-LD (with graphs), Turtle, N-Triples.

From **Neo4j** the quads are rebuilt from the property graph, the reverse of
``eskg/store/property_graph.py`` and ``eskg/store/neo4j_codec.py``: node properties become
typed literals through the ontology's ranges, ``types`` become ``rdf:type`` in the node's
``graph``, relationships become triples in their ``graph``, ``citations`` become
``<graph> eskg:citation <c>`` in the default graph, a relationship's ``validFrom`` /
``validUntil`` ``<graph> eskg:validFrom <date>`` there too, and Citation nodes give their
own statements in the default graph. The bookkeeping property ``load`` is ignored; anything
else the mapping does not know is an error rather than a silently dropped statement.

From the **embedded** store the quads are read as they are, without the ontology graph.

Every dump adds the DCAT/VoID description (``eskg.describe``) in its own named graph;
Turtle and N-Triples carry the union of all graphs (``docs/dumps.md``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyoxigraph as ox
from neo4j.exceptions import Neo4jError
from rdflib import RDF, XSD, Dataset, Graph, Literal, URIRef

from eskg.config import Settings
from eskg.describe import (
    FORMATS,
    XSD_STRING,
    Counts,
    Quad,
    Term,
    canonical_lines,
    data_hash,
    describe,
    description_graph,
    quad_line,
    term_nq,
)
from eskg.errors import DataNotConformingError, InvalidInputError, StoreUnavailableError
from eskg.ontology import ESKG, PREFIXES, Ontology
from eskg.store.base import Store
from eskg.store.embedded import ONTOLOGY_GRAPH, EmbeddedStore
from eskg.store.neo4j import Neo4jStore
from eskg.store.neo4j_codec import RESERVED, decode, lexical, to_literal

Progress = Callable[[str], None]

BOOKKEEPING = {"load"}  # written by eskg/store/neo4j_load.py, not part of the data

# Parameterised reads of the whole graph (streamed by the driver, no SKIP paging).
NODES_CYPHER = "MATCH (n:Resource) WHERE NOT n:Citation RETURN n.iri AS iri, properties(n) AS props"
RELS_CYPHER = (
    "MATCH (a:Resource)-[r]->(b:Resource) WHERE type(r) <> $document "
    "RETURN a.iri AS s, type(r) AS type, b.iri AS o, r.graph AS graph, "
    "r.citations AS citations, r.validFrom AS valid_from, r.validUntil AS valid_until, "
    "r.load AS load"
)
CITATIONS_CYPHER = (
    "MATCH (c:Resource:Citation) OPTIONAL MATCH (c)-[:DOCUMENT]->(d:Resource) "
    "RETURN c.iri AS iri, properties(c) AS props, collect(d.iri) AS documents"
)


def _quiet(_: str) -> None:
    return None


def dataset_quads(ds: Dataset, skip_graphs: Iterable[str] = ()) -> list[Quad]:
    """The quads of an rdflib dataset, ``None`` for the default graph."""
    skip = set(skip_graphs)
    default = ds.default_graph.identifier if hasattr(ds, "default_graph") else None
    out: list[Quad] = []
    for s, p, o, g in ds.quads((None, None, None, None)):
        name = g.identifier if isinstance(g, Graph) else g
        if name is not None and str(name) in skip:
            continue
        graph = None if name is None or name == default else URIRef(str(name))
        if not isinstance(s, URIRef) or not isinstance(o, (URIRef, Literal)):
            raise DataNotConformingError(f"blank nodes are not supported in dumps ({s} {p} {o})")
        out.append((s, URIRef(str(p)), o, graph))
    return out


# ------------------------------------------------------------------ the dump


@dataclass
class Dump:
    """The data quads of a store plus the description of the dataset."""

    quads: list[Quad]
    description: list[tuple[URIRef, URIRef, Term]]
    description_graph: URIRef
    source: str
    seconds: float = 0.0
    counts: Counts | None = None
    version: str = ""
    turtle_head: str = ""  # comment lines written before Turtle (default TURTLE_HEAD)
    _cache: dict[str, bytes] = field(default_factory=dict, repr=False)

    def all_quads(self) -> list[Quad]:
        """Data and description quads."""
        return self.quads + [(s, p, o, self.description_graph) for s, p, o in self.description]

    def serialize(self, fmt: str) -> bytes:
        """The dump in one format (``nq``, ``trig``, ``jsonld``, ``ttl``, ``nt``)."""
        if fmt not in FORMATS:
            raise InvalidInputError(f"unknown dump format {fmt!r}; use one of {', '.join(FORMATS)}")
        if fmt in self._cache:
            return self._cache[fmt]
        quads = sorted(set(self.all_quads()), key=_order)
        if fmt in ("nq", "nt"):
            rows = (
                quads
                if fmt == "nq"
                else sorted({(s, p, o, None) for s, p, o, _ in quads}, key=_order)
            )
            data = "".join(f"{quad_line(q)}\n" for q in rows).encode("utf-8")
        elif fmt == "ttl":
            triples = [
                ox.Triple(to_ox(s), to_ox(p), to_ox(o))  # type: ignore[arg-type]
                for s, p, o, _ in sorted({(s, p, o, None) for s, p, o, _ in quads}, key=_order)
            ]
            body = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=ALL_PREFIXES)
            data = (self.turtle_head or TURTLE_HEAD).encode("utf-8") + (body or b"")
        else:
            trig = fmt == "trig"
            data = (
                ox.serialize(
                    [to_ox_quad(q) for q in quads],
                    format=ox.RdfFormat.TRIG if trig else ox.RdfFormat.JSON_LD,
                    prefixes=ALL_PREFIXES if trig else None,
                )
                or b""
            )
        self._cache[fmt] = data
        return data


# Turtle has no graphs: the file says where the complete provenance is.
TURTLE_HEAD = (
    "# eskg dump (Turtle): the union of all named graphs. A statement's graph is\n"
    "# <subject>#record (types, labels, properties) or <base>stmt/<hash> (relations);\n"
    "# those graph IRIs carry the eskg:citation links below. N-Quads/TriG/JSON-LD keep\n"
    "# the graphs themselves; see docs/dumps.md.\n"
)
ALL_PREFIXES = {
    **PREFIXES,
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
}


def _order(q: Quad) -> tuple[str, str, str, str]:
    s, p, o, g = q
    return (str(g) if g is not None else "", str(s), str(p), term_nq(o))


def to_ox(term: Term) -> ox.NamedNode | ox.Literal:
    """An rdflib term as an Oxigraph term."""
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    return ox.NamedNode(str(term))


def to_ox_quad(q: Quad) -> ox.Quad:
    """An Oxigraph quad (``None`` graph: the default graph)."""
    s, p, o, g = q
    graph = ox.NamedNode(str(g)) if g is not None else ox.DefaultGraph()
    return ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph)  # type: ignore[arg-type]


def finish(
    quads: list[Quad],
    onto: Ontology,
    settings: Settings,
    source: str,
    started: float,
    now: datetime | None = None,
) -> Dump:
    """Count, hash and describe the data quads."""
    lines = canonical_lines(quads)
    entities = {s for s, p, _, g in quads if p == RDF.type and g is not None}
    classes = {o for _, p, o, g in quads if p == RDF.type and g is not None}
    props = {p for _, p, _, _ in quads}
    counts = Counts(
        triples=len(lines), entities=len(entities), classes=len(classes), properties=len(props)
    )
    digest = data_hash(lines)
    desc = describe(settings, counts, digest, source, now)
    version = next(str(o) for _, p, o in desc if str(p).endswith("#version"))
    return Dump(
        quads=quads,
        description=desc,
        description_graph=description_graph(settings),
        source=source,
        seconds=time.perf_counter() - started,
        counts=counts,
        version=version,
    )


# ------------------------------------------------------------------ from the stores


def _ox_term(term: Any) -> Term:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value) if dt == XSD_STRING else Literal(term.value, datatype=dt)
    raise DataNotConformingError(f"blank nodes and quoted triples are not exported: {term}")


def export_embedded(store: EmbeddedStore, settings: Settings, progress: Progress = _quiet) -> Dump:
    """The embedded store's quads, without the ontology graph."""
    started = time.perf_counter()
    onto_graph = ox.NamedNode(ONTOLOGY_GRAPH)
    quads: list[Quad] = []
    for q in store.store.quads_for_pattern(None, None, None, None):
        if q.graph_name == onto_graph:
            continue
        g = None if isinstance(q.graph_name, ox.DefaultGraph) else URIRef(q.graph_name.value)
        s, p, o = _ox_term(q.subject), _ox_term(q.predicate), _ox_term(q.object)
        quads.append((s, p, o, g))  # type: ignore[arg-type]
    progress(f"read {len(quads)} quads from the embedded store")
    return finish(quads, store.onto, settings, "embedded", started)


def _node_quads(onto: Ontology, iri: str, props: dict[str, Any]) -> list[Quad]:
    graph = props.get("graph")
    if not isinstance(graph, str):
        raise DataNotConformingError(f"Neo4j node {iri} has no 'graph' property; reload it")
    g, s = URIRef(graph), URIRef(iri)
    out: list[Quad] = []
    for name in props.get("types") or []:
        if name not in onto.classes:
            raise DataNotConformingError(f"Neo4j node {iri}: type {name!r} is not in the ontology")
        out.append((s, RDF.type, onto.classes[name].iri, g))
    known = set(RESERVED) | BOOKKEEPING
    for key, value in props.items():
        if key not in known and not decode(onto, {key: value}):
            raise DataNotConformingError(
                f"Neo4j node {iri}: property {key!r} is not an ontology property; "
                "the export would lose it"
            )
    for name, lit in decode(onto, {k: v for k, v in props.items() if k not in known}):
        out.append((s, onto.properties[name].iri, to_literal(lit), g))
    return out


def export_neo4j(store: Neo4jStore, settings: Settings, progress: Progress = _quiet) -> Dump:
    """Rebuild the quads held by Neo4j (reverse of the property-graph mapping)."""
    started, onto = time.perf_counter(), store.onto
    quads: list[Quad] = []
    links: set[tuple[str, str]] = set()  # (graph, citation)
    loads: set[str] = set()  # every element of one load carries the same load id
    try:
        with store._session() as session, session.begin_transaction() as tx:
            for row in tx.run(NODES_CYPHER):
                props = dict(row["props"])
                quads += _node_quads(onto, row["iri"], props)
                links.update((props["graph"], c) for c in props.get("citations") or [])
                loads.add(str(props.get("load")))
            progress(f"nodes: {len(quads)} statements")
            before = len(quads)
            for row in tx.run(RELS_CYPHER, document="DOCUMENT"):
                prop = onto.property_by_rel_type(row["type"])
                if prop is None or row["graph"] is None:
                    raise DataNotConformingError(
                        f"Neo4j relationship {row['s']} -[{row['type']}]-> {row['o']}: "
                        "unknown type or no 'graph'; the export would lose it"
                    )
                quads.append((URIRef(row["s"]), prop.iri, URIRef(row["o"]), URIRef(row["graph"])))
                links.update((row["graph"], c) for c in row["citations"] or [])
                quads += _validity_quads(row["graph"], row["valid_from"], row["valid_until"])
                loads.add(str(row["load"]))
            progress(f"relationships: {len(quads) - before} statements")
            for row in tx.run(CITATIONS_CYPHER):
                quads += _citation_quads(row["iri"], dict(row["props"]), list(row["documents"]))
                loads.add(str(row["props"].get("load")))
            progress(f"citations: {len(links)} citation links")
    except Neo4jError as exc:
        raise StoreUnavailableError(f"Neo4j could not be read for the export: {exc}") from exc
    if len(loads) > 1:
        raise StoreUnavailableError(
            "Neo4j was reloaded while the export read it (elements of "
            f"{len(loads)} loads seen); run the export again"
        )
    quads += [(URIRef(g), ESKG.citation, URIRef(c), None) for g, c in sorted(links)]
    return finish(quads, onto, settings, "neo4j", started)


def _validity_quads(graph: str, valid_from: Any, valid_until: Any) -> list[Quad]:
    """A relationship's bounds as the statements on its graph in the default graph."""
    out: list[Quad] = []
    for prop, value in ((ESKG.validFrom, valid_from), (ESKG.validUntil, valid_until)):
        if value is not None:
            out.append((URIRef(graph), prop, Literal(lexical(value), datatype=XSD.date), None))
    return out


def _citation_quads(iri: str, props: dict[str, Any], documents: list[str]) -> list[Quad]:
    c = URIRef(iri)
    out: list[Quad] = [(c, RDF.type, ESKG.Citation, None)]
    out += [(c, ESKG.document, URIRef(d), None) for d in documents]
    for key in ("locator", "quote"):
        if props.get(key) is not None:
            out.append((c, ESKG[key], Literal(str(props[key])), None))
    unknown = set(props) - {"iri", "locator", "quote"} - BOOKKEEPING
    if unknown:
        raise DataNotConformingError(f"Neo4j citation {iri}: unknown properties {sorted(unknown)}")
    return out


def export_store(store: Store, settings: Settings, progress: Progress = _quiet) -> Dump:
    """The dump of whichever store this is."""
    if isinstance(store, Neo4jStore):
        return export_neo4j(store, settings, progress)
    if isinstance(store, EmbeddedStore):
        return export_embedded(store, settings, progress)
    raise InvalidInputError(f"the {store.name} store cannot be exported")


__all__ = [
    "Dump",
    "Quad",
    "canonical_lines",
    "dataset_quads",
    "export_embedded",
    "export_neo4j",
    "export_store",
    "quad_line",
    "to_ox",
    "to_ox_quad",
]
