"""The storage interface every store implements (Neo4j, embedded Oxigraph).

The API speaks only to this interface. Each method answers from a named query file
(``queries/NAME.cypher`` or ``queries/NAME.rq``); the reads take many IRIs at once, and
``traverse`` reads a start (nodes, a label search or a path question) with the hops
below it in one call, so a caller reading a graph neighbourhood costs a few round trips,
not one per node.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from rdflib import Dataset

from eskg.bounds import DataBounds
from eskg.model import (
    CitationData,
    EntityData,
    FromNodes,
    FromSearch,
    Hop,
    PathAnswer,
    Projection,
    RelationData,
    Start,
    StoreStats,
    Traversal,
)
from eskg.ontology import Ontology
from eskg.queries import QueryLibrary
from eskg.vocab import FLAGSHIP_QUESTIONS, vocabulary

#: Questions every store must be able to answer; checked at start-up.
REQUIRED_QUERIES = (
    "entity_by_iri",
    "relations_of",
    "citations_by_iri",
    "graph_citations",
    "search_labels",
    "measures_covering_technology",
    "measures_covering_material",
    "class_counts",
    "relation_counts",
)

#: Flagship question -> its parameter naming the asked entity (``eskg.vocab``).
FLAGSHIP_PARAMS = {q.question: q.parameter for q in FLAGSHIP_QUESTIONS}


def flagship_reads(
    found: list[PathAnswer], nodes: bool, sources: bool
) -> tuple[list[str], list[str]]:
    """The entities and citations read with a path question's answers (``FromQuestion``):
    the first nodes (the measures), the nodes on the paths when ``nodes``, the edges'
    citations when ``sources``."""
    ents = [a.measure for a in found]
    if nodes:
        ents += [n for a in found for n in a.nodes]
    cits: list[str] = []
    if sources:
        cits = list(dict.fromkeys(x for a in found for edge in a.edge_citations for x in edge))
    return ents, cits


class Store(ABC):
    """A read interface over the graph, plus a whole-graph replace for loaders."""

    name: str = "store"
    #: Whether processes other than this one can change the data (a Neo4j server can be
    #: loaded by `eskg load` while the API runs); if not, ``changes`` tells every change.
    shared: bool = False
    #: Whether the store ends every read that runs past ``Settings.query_timeout`` by
    #: itself; if not (Oxigraph cannot cancel a query), the API bounds a read by how
    #: long it waits for the worker thread running it.
    bounds_reads: bool = False

    def __init__(self, onto: Ontology, queries: QueryLibrary) -> None:
        queries.require(*REQUIRED_QUERIES)
        vocabulary(onto)  # refuses an ontology without the terms the code names
        self.onto = onto
        self.queries = queries
        #: Bumped by every replace made through this object (success or failure).
        self.changes = 0

    @abstractmethod
    def replace_all(self, dataset: Dataset) -> None:
        """Make the store hold exactly this dataset; on failure it keeps what it had."""

    @abstractmethod
    def entities(self, iris: list[str]) -> dict[str, EntityData]:
        """Entity data for each IRI that exists."""

    @abstractmethod
    def relations(self, iris: list[str]) -> dict[str, list[RelationData]]:
        """Relations of each IRI, both directions."""

    @abstractmethod
    def citations(self, iris: list[str]) -> dict[str, CitationData]:
        """Citation data for each citation IRI that exists."""

    @abstractmethod
    def search(self, text: str, types: list[str] | None, limit: int) -> list[str]:
        """IRIs of entities whose labels match, best first."""

    @abstractmethod
    def paths(self, question: str, target: str) -> list[PathAnswer]:
        """Answers of a flagship question (see FLAGSHIP_PARAMS) for one target IRI."""

    def traverse(
        self, start: Start, hops: tuple[Hop, ...] = (), only: Projection | None = None
    ) -> Traversal:
        """What ``start`` reads (``FromNodes``, ``FromSearch``, ``FromQuestion``) and, hop
        after hop, the nodes linked from the links the hop before read by one of the hop's
        ``follow`` links, with the links of those reached by one of its ``expand`` links.
        With ``only``, the nodes may hold no more of their statements than it names; this
        store returns them whole, one call per kind of read and hop. Neo4j answers it in
        one statement."""
        found: list[str] = []
        answers: list[PathAnswer] = []
        if isinstance(start, FromNodes):
            nodes, links, cits = list(start.nodes), list(start.links), list(start.citations)
        elif isinstance(start, FromSearch):
            classes = list(start.classes) if start.classes is not None else None
            found = self.search(start.text, classes, start.limit)
            nodes, links, cits = found, found if hops else [], []
        else:
            answers = self.paths(start.question, start.target)
            nodes, cits = flagship_reads(answers, start.path_nodes, start.edge_citations)
            links = list(dict.fromkeys(a.measure for a in answers)) if hops else []
        out = Traversal(found, answers, asked_citations=cits)
        self._read_into(out, nodes, links, cits)
        frontier = links
        for hop in hops:
            linked = [
                (r.other, (r.prop, r.direction) in hop.expand)
                for iri in frontier
                for r in out.relations.get(iri, [])
                if (r.prop, r.direction) in hop.follow
            ]
            reached = list(dict.fromkeys(other for other, _ in linked))
            frontier = list(dict.fromkeys(other for other, expand in linked if expand))
            self._read_into(out, reached, frontier, [])
        return out

    def _read_into(
        self, out: Traversal, nodes: list[str], links: list[str], cits: list[str]
    ) -> None:
        """Read these nodes, links and citations (with the citations' documents) into
        ``out``, noting them as asked."""
        cited = self.citations(cits) if cits else {}
        wanted = nodes + [c.document for c in cited.values()]
        out.citations.update(cited)
        out.entities.update(self.entities(wanted) if wanted else {})
        out.relations.update(self.relations(links) if links else {})
        out.asked_entities += nodes
        out.asked_relations += links

    @abstractmethod
    def stats(self) -> StoreStats:
        """Counts per class and relation."""

    @abstractmethod
    def rows(self, question: str, params: dict[str, object]) -> list[dict[str, object]]:
        """Rows of any named question, as plain values (IRIs and lexical forms as text)."""

    @abstractmethod
    def list_bounds(self) -> DataBounds | None:
        """The list bounds (``eskg.bounds``) the load of the data now held counted and
        stored with it: one cheap read. None when that load stored none (a store loaded
        by an earlier version): ``max_degree`` and ``max_links`` compute them then."""

    def data_version(self) -> object:
        """A value that changes whenever the data does, loads by other processes included.

        Compared for equality only: this process's ``changes`` for a store only it writes,
        else also the answer of the ``data_version`` query (Neo4j: node and relationship
        counts and the id stamped by the last load).
        """
        if not self.shared:
            return self.changes
        rows = self.rows("data_version", {})
        return (self.changes, tuple(tuple(r.values()) for r in rows))

    def health(self) -> None:
        """Raise StoreUnavailableError when the store cannot answer."""

    def close(self) -> None:
        """Release connections."""
