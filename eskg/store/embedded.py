"""The embedded store: Oxigraph (``pyoxigraph``), no server to install.

It holds the validated RDF as quads, plus the ontology in its own named graph so SPARQL
can follow ``rdfs:subClassOf``. Parameters are passed as SPARQL variable substitutions;
the reads a GraphQL answer makes (entities, relations, citations, the flagship
questions) are answered from the quad indexes row for row as their named query would
(``embedded_reads``); every other question runs its SPARQL.

On disk, another process can replace the store (``eskg load --store embedded``: a new
folder and index file renamed into place, the index last). The store looks at its index
file (one ``stat``, about a microsecond) whenever a read or a search starts and on every
``data_version``: a new file there means a completed replacement, and the store reopens
the folder and the index, and counts it as a change.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

from eskg import deadline
from eskg.bounds import BoundsCounter, DataBounds
from eskg.errors import EskgError, InvalidInputError
from eskg.model import CitationData, EntityData, Lit, PathAnswer, RelationData, StoreStats
from eskg.ontology import Ontology, local_name
from eskg.queries import QueryLibrary
from eskg.search_text import bounded
from eskg.store.base import FLAGSHIP_PARAMS, Store
from eskg.store.embedded_bounds import bounds_of, counted
from eskg.store.embedded_reads import (
    RDF_TYPE,
    CitationRow,
    EntityRow,
    PathRow,
    Reader,
    RelationRow,
    Terms,
    measure_classes,
)
from eskg.store.search_index import SearchIndex, build, index_path

ONTOLOGY_GRAPH = "https://w3id.org/eskg/ontology"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
#: Solutions taken between two checks of the request's deadline.
CHECK_EVERY = 256

log = logging.getLogger("eskg.store")


def generation(path: Path) -> tuple[int, int] | None:
    """Which index file an on-disk store's path holds now (device and inode: every load
    puts a new file there by a rename, after the folder), None if none. A file this
    process still has open keeps its inode, so a new file never looks like it."""
    try:
        found = os.stat(index_path(path))
    except FileNotFoundError:
        return None
    return (found.st_dev, found.st_ino)


def term_text(term: Any) -> str | None:
    """IRI or lexical form of an Oxigraph term; None when unbound."""
    if term is None:
        return None
    return str(term.value)


def to_lit(term: ox.Literal) -> Lit:
    """Our literal from an Oxigraph literal."""
    dt = term.datatype.value
    if term.language:
        return Lit(term.value, term.language, None)
    return Lit(term.value, None, None if dt == XSD_STRING else dt)


def ox_term(value: object) -> ox.NamedNode | ox.Literal:
    """A parameter as an Oxigraph term: URIRef -> IRI, date -> xsd:date, else a literal."""
    if isinstance(value, URIRef):
        try:
            return ox.NamedNode(str(value))
        except ValueError as exc:
            raise InvalidInputError(f"not a valid IRI: {str(value)!r}") from exc
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, date):
        return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    return ox.Literal(str(value))


def _where_body(text: str) -> tuple[int, int]:
    """Start and end offsets of the body of the first ``WHERE { ... }``."""
    start = text.index("WHERE {") + len("WHERE {")
    depth, i, quote = 1, start, ""
    while depth:
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch == "#" and text[i - 1] in " \n":
            i = text.index("\n", i) - 1  # a comment, to the end of the line
        elif ch in "\"'":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        i += 1
    return start, i - 1


def inline_params(text: str, terms: dict[str, Any], body: tuple[int, int] | None = None) -> str:
    """The query with each parameter written as a constant inside its WHERE clause.

    The values are Oxigraph terms (validated IRIs, escaped literals), written in their
    N-Triples form; a ``BIND`` at the end of the clause keeps the variable bound for the
    projection, GROUP BY and ORDER BY. ``body`` is ``_where_body(text)`` when known.
    """
    if not terms:
        return text
    start, end = body or _where_body(text)
    where = text[start:end]
    for name, term in terms.items():
        constant = str(term)  # N-Triples form: a validated IRI or an escaped literal
        pattern = re.compile(rf"[?$]{re.escape(name)}(?![A-Za-z0-9_])")
        where = pattern.sub(constant.replace("\\", "\\\\"), where)
        where += f"  BIND({constant} AS ?{name})\n"
    return text[:start] + where + text[end:]


class EmbeddedStore(Store):
    """Oxigraph in memory (default) or on disk, with its search index beside it
    (``search_index``: in memory, or a file next to the store's folder)."""

    name = "embedded"
    #: Whether ``entities``, ``relations``, ``citations`` and ``paths`` read Oxigraph's
    #: indexes (``embedded_reads``) or run their named queries as SPARQL (the reference
    #: the index reads are tested against, ``tests/test_embedded_reads.py``).
    native: bool = True

    def __init__(self, onto: Ontology, queries: QueryLibrary, path: Path | None = None) -> None:
        super().__init__(onto, queries)
        self.path = path
        self.terms = Terms.of(onto, ONTOLOGY_GRAPH)
        #: query text -> the offsets of its WHERE body (``_where_body``), found once
        self._bodies: dict[str, tuple[int, int]] = {}
        self._measure_classes: tuple[ox.Store, frozenset[Any]] | None = None
        self._lock = threading.Lock()
        self.store = self._new_store(path)
        found = None if path is None else SearchIndex.open(index_path(path))
        # a store filled by an earlier version, or whose index file went missing
        self.index = found or self._index(self.store, bounds_of(self.store, ONTOLOGY_GRAPH))
        if self.path is not None:
            self.index.install(index_path(self.path))
            self.shared = True  # `eskg load` in another process can replace it
        #: the index file read (``generation``)
        self._seen = None if path is None else generation(path)

    def _index(self, store: ox.Store, bounds: DataBounds) -> SearchIndex:
        """The search index of ``store``'s data, holding its ``bounds`` (not yet
        installed when on disk)."""
        sparql = self.queries.get("search_labels").sparql
        where = None if self.path is None else index_path(self.path)
        return build(store, self.onto, sparql, where, bounds)

    @staticmethod
    def _new_store(path: Path | None) -> ox.Store:
        if path is None:
            return ox.Store()
        path.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))

    # ------------------------------------------------------------ loading

    def replace_all(self, dataset: Dataset) -> None:
        """Build the new content beside the old and swap at the end (in memory)."""
        self.replace_with_nquads(dataset.serialize(format="nquads").encode("utf-8"))

    def replace_with_nquads(self, nquads: bytes) -> None:
        """Replace the content with N-Quads already validated (no rdflib on the way); the
        list bounds are counted as Oxigraph's bulk loader reads the quads."""
        onto_nt = self.onto.graph.serialize(format="nt").encode("utf-8")
        fresh = ox.Store() if self.path is None else self.store
        if self.path is not None:
            fresh.clear()
        counter = BoundsCounter()
        quads = ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
        fresh.bulk_extend(counted(quads, counter, ONTOLOGY_GRAPH))
        fresh.bulk_load(
            onto_nt, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(ONTOLOGY_GRAPH)
        )
        index = self._index(fresh, counter.bounds())
        with self._lock:
            self.store, self.index = fresh, index
            if self.path is not None:
                index.install(index_path(self.path))
                self._seen = generation(self.path)
            self.changes += 1

    def load_graph(self, graph: Graph) -> None:
        """Add plain triples (for tests and third-party RDF) to the default graph."""
        self.store.bulk_load(
            graph.serialize(format="nt").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES
        )
        self.changes += 1

    # ------------------------------------------------------------- queries

    def _reading(self, what: str) -> ox.Store:
        """The Oxigraph store a read runs on; every read starts here (a request past
        ESKG_REQUEST_TIMEOUT starts none)."""
        deadline.check(what)
        self.reopen_if_replaced()
        return self.store

    def data_version(self) -> object:
        """This object's ``changes``, after reopening the store if another process
        replaced it on disk (no query: the data changes only with a replacement)."""
        self.reopen_if_replaced()
        return self.changes

    def reopen_if_replaced(self) -> bool:
        """Reopen an on-disk store whose index file another process replaced (a completed
        ``eskg load``); True if it did. A replacement caught half-way (the folder not yet
        in place) is left for the next look."""
        if self.path is None:
            return False
        now = generation(self.path)
        if now is None or now == self._seen:
            return False
        with self._lock:
            if generation(self.path) == self._seen:
                return False  # another thread reopened it meanwhile
            if not self.path.is_dir():  # a next load moving folders: never make one here
                return False
            try:
                store = self._new_store(self.path)
                index = SearchIndex.open(index_path(self.path))
            except (OSError, EskgError) as exc:
                log.info("%s is being replaced; reopened at the next look (%s)", self.path, exc)
                return False
            if index is None:
                return False
            self.store, self.index, self._seen = store, index, now
            self.changes += 1
        log.info("%s was replaced by another process: reopened", self.path)
        return True

    def select(self, name: str, params: dict[str, object]) -> list[dict[str, Any]]:
        """Run a named SPARQL SELECT with parameters substituted; rows of Oxigraph terms."""
        text = self.queries.get(name).sparql
        what = f"query {name!r}"
        store = self._reading(what)
        terms = {k: ox_term(v) for k, v in params.items() if v is not None}
        body = self._bodies.get(text)
        if body is None and terms:
            body = self._bodies[text] = _where_body(text)
        try:
            # Constants the planner can see: Oxigraph plans before it applies
            # substitutions, so a substituted IRI still plans as an open scan.
            result = store.query(inline_params(text, terms, body), use_default_graph_as_union=True)
        except SyntaxError:
            subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
                ox.Variable(k): t for k, t in terms.items()
            }
            result = store.query(text, substitutions=subs, use_default_graph_as_union=True)
        variables = [v.value for v in result.variables]  # type: ignore[union-attr]
        # Oxigraph evaluates as the solutions are taken: a read that runs past the request's
        # deadline is stopped between solutions (it cannot be cancelled otherwise)
        out: list[dict[str, Any]] = []
        for sol in result:  # type: ignore[union-attr]
            out.append({v: sol[v] for v in variables})
            if len(out) % CHECK_EVERY == 0:
                deadline.check(what)
        return out

    def rows(self, question: str, params: dict[str, object]) -> list[dict[str, object]]:
        out: list[dict[str, object]] = []
        for row in self.select(question, params):
            out.append({k: term_text(v) for k, v in row.items()})
        return out

    def _reader(self, what: str) -> Reader | None:
        """The index reader of one call, or None to answer by SPARQL (``native`` off)."""
        return Reader(self._reading(what), self.terms) if self.native else None

    def entities(self, iris: list[str]) -> dict[str, EntityData]:
        reader = self._reader("query 'entity_by_iri'")
        out: dict[str, EntityData] = {}
        for iri in dict.fromkeys(iris):
            rows = self._entity_rows(iri) if reader is None else reader.entity_rows(iri)
            if rows:
                out[iri] = self._entity(iri, rows)
            deadline.check("query 'entity_by_iri'")
        return out

    def _entity_rows(self, iri: str) -> list[EntityRow]:
        """``entity_by_iri`` by SPARQL, in the rows of ``Reader.entity_rows``."""
        return [
            (r["p"].value, r["o"], () if r["c"] is None else (r["c"].value,))
            for r in self.select("entity_by_iri", {"iri": URIRef(iri)})
        ]

    def _entity(self, iri: str, rows: list[EntityRow]) -> EntityData:
        data = EntityData(iri=iri)
        seen: set[tuple[str, Lit]] = set()
        for p, o, cits in rows:
            if p == RDF_TYPE:
                cls = self.onto.class_by_iri(o.value)
                if cls and cls.name not in data.types:
                    data.types.append(cls.name)
            else:
                prop = self.onto.property_by_iri(p)
                key = (prop.name if prop else p, to_lit(o))
                if key not in seen:
                    seen.add(key)
                    data.literals.append(key)
            for c in cits:
                if c not in data.citations:
                    data.citations.append(c)
        data.types.sort()
        data.citations.sort()
        data.literals.sort(key=lambda kv: (kv[0], kv[1].lang or "", kv[1].value))
        return data

    def relations(self, iris: list[str]) -> dict[str, list[RelationData]]:
        reader = self._reader("query 'relations_of'")
        out: dict[str, list[RelationData]] = {}
        for iri in dict.fromkeys(iris):
            rows = self._relation_rows(iri) if reader is None else reader.relation_rows(iri)
            out[iri] = self._relations(rows)
            deadline.check("query 'relations_of'")
        return out

    def _relation_rows(self, iri: str) -> list[RelationRow]:
        """``relations_of`` by SPARQL, in the rows of ``Reader.relation_rows``."""
        return [
            (
                r["p"].value,
                r["outgoing"].value == "true",
                r["other"].value,
                term_text(r["valid_from"]),
                term_text(r["valid_until"]),
                () if r["c"] is None else (r["c"].value,),
            )
            for r in self.select("relations_of", {"iri": URIRef(iri)})
        ]

    def _relations(self, rows: list[RelationRow]) -> list[RelationData]:
        grouped: dict[tuple[str, str, str, str | None, str | None], set[str]] = defaultdict(set)
        for p, outgoing, other, valid_from, valid_until, cits in rows:
            prop = self.onto.property_by_iri(p)
            name = prop.name if prop else local_name(p)
            key = (name, "OUT" if outgoing else "IN", other, valid_from, valid_until)
            grouped[key].update(cits)
        return sorted(
            (
                RelationData(k[0], k[1], k[2], tuple(sorted(v)), k[3], k[4])
                for k, v in grouped.items()
            ),
            key=lambda r: (r.prop, r.direction, r.other),
        )

    def citations(self, iris: list[str]) -> dict[str, CitationData]:
        reader = self._reader("query 'citations_by_iri'")
        out: dict[str, CitationData] = {}
        for iri in dict.fromkeys(iris):
            row = self._citation_row(iri) if reader is None else reader.citation_row(iri)
            if row is not None:
                out[iri] = CitationData(iri, *row)
        return out

    def _citation_row(self, iri: str) -> CitationRow | None:
        """``citations_by_iri`` by SPARQL, in the row of ``Reader.citation_row``."""
        rows = self.select("citations_by_iri", {"iri": URIRef(iri)})
        if not rows:
            return None
        r = rows[0]
        return r["document"].value, term_text(r["locator"]), term_text(r["quote"])

    def search(self, text: str, types: list[str] | None, limit: int) -> list[str]:
        """Candidates from the search index, matched and ranked by ``search_text``."""
        for t in types or []:
            self.onto.cls(t)  # unknown class names are refused, as on Neo4j
        self.reopen_if_replaced()
        return self.index.search(self.onto, bounded(text), types, limit)

    def paths(self, question: str, target: str) -> list[PathAnswer]:
        reader = self._reader(f"query {question!r}")
        found = None if reader is None else reader.path_rows(question, target, self._measures())
        rows = self._path_rows(question, target) if found is None else found
        graph_cits: dict[str, tuple[str, ...]] = {}
        answers = []
        for nodes, graphs, validity in rows:
            for g in graphs:
                if g not in graph_cits:
                    graph_cits[g] = (
                        self._graph_citations(g) if reader is None else reader.graph_citations(g)
                    )
            answers.append(
                PathAnswer(nodes[0], nodes, tuple(graph_cits[g] for g in graphs), validity)
            )
        return sorted(set(answers), key=lambda a: (a.measure, a.nodes, a.edge_citations))

    def _path_rows(self, question: str, target: str) -> list[PathRow]:
        """A flagship question by SPARQL, in the rows of ``Reader.path_rows``."""
        out: list[PathRow] = []
        for row in self.select(question, {FLAGSHIP_PARAMS[question]: URIRef(target)}):
            nodes = tuple(row[f"n{i}"].value for i in range(4) if row.get(f"n{i}") is not None)
            graphs = tuple(row[f"g{i}"].value for i in range(1, 4) if row.get(f"g{i}") is not None)
            validity = tuple(
                (term_text(row.get(f"f{i}")), term_text(row.get(f"u{i}")))
                for i in range(1, len(graphs) + 1)
            )
            out.append((nodes, graphs, validity))
        return out

    def _graph_citations(self, graph: str) -> tuple[str, ...]:
        """``graph_citations`` by SPARQL, as ``Reader.graph_citations`` answers it."""
        return tuple(
            sorted(r["c"].value for r in self.select("graph_citations", {"graph": URIRef(graph)}))
        )

    def _measures(self) -> frozenset[Any]:
        """The measure classes of the ontology graph of the store now read (kept until a
        replace swaps the store)."""
        store = self.store
        known = self._measure_classes
        if known is None or known[0] is not store:
            known = self._measure_classes = (store, measure_classes(store, self.terms))
        return known[1]

    def list_bounds(self) -> DataBounds | None:
        """The bounds kept in the search index, which the load that built it counted."""
        return self.index.bounds()

    def stats(self) -> StoreStats:
        s = StoreStats()
        for r in self.select("class_counts", {}):
            s.classes[local_name(r["class"].value)] = int(r["count"].value)
        for r in self.select("relation_counts", {}):
            prop = self.onto.property_by_iri(r["p"].value)
            s.relations[prop.name if prop else r["p"].value] = int(r["count"].value)
        s.entities = s.classes.get("Entity", 0)
        s.statements = len(self.store) - len(self.onto.graph)
        return s
