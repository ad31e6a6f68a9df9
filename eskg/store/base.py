"""The storage interface every store implements (Neo4j, embedded Oxigraph).

The API speaks only to this interface. Each method answers from a named query file
(``queries/NAME.cypher`` or ``queries/NAME.rq``); batch methods take many IRIs at once so
a GraphQL request costs a few round trips, not one per field.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from rdflib import Dataset

from eskg.model import (
    Ahead,
    CitationData,
    EntityData,
    PathAnswer,
    Projection,
    Reads,
    RelationData,
    Step,
    StoreStats,
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
    """The entities and citations read with a flagship question's answers: the measures,
    the entities on the paths when ``nodes``, the edges' citations when ``sources``."""
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

    def read(
        self,
        entities: list[str],
        relations: list[str],
        citations: list[str],
        only: Projection | None = None,
    ) -> Reads:
        """Entities, relation lists and citations at once, with the documents of the
        citations among the entities: what one level of a GraphQL answer needs. A store
        whose calls cost a round trip each answers it in one (Neo4j). With ``only``, the
        entities may hold no more of their statements than it names (the batched reads
        below take it too); this store returns them whole."""
        cited = self.citations(citations) if citations else {}
        wanted = entities + [c.document for c in cited.values()]
        return Reads(
            self.entities(wanted) if wanted else {},
            self.relations(relations) if relations else {},
            cited,
        )

    def read_ahead(
        self,
        entities: list[str],
        relations: list[str],
        steps: list[Step],
        only: Projection | None = None,
    ) -> Ahead:
        """``read(entities, relations, [])`` and, step after step, the entities linked from
        the relations the step before read by one of the step's links, with the relations
        of those linked by one of its ``expand`` links: the levels of a GraphQL answer below
        an entity, read before its fields are filled. Neo4j answers it in one statement."""
        reads = self.read(entities, relations, [], only)
        asked_entities, asked_relations = list(entities), list(relations)
        frontier = relations
        for step in steps:
            linked = [
                (r.other, (r.prop, r.direction) in step.expand)
                for iri in frontier
                for r in reads.relations.get(iri, [])
                if (r.prop, r.direction) in step.links
            ]
            ahead = list(dict.fromkeys(other for other, _ in linked))
            frontier = list(dict.fromkeys(other for other, expand in linked if expand))
            more = self.read(ahead, frontier, [], only)
            reads.entities.update(more.entities)
            reads.relations.update(more.relations)
            asked_entities += ahead
            asked_relations += frontier
        return Ahead(reads, asked_entities, asked_relations)

    @abstractmethod
    def search(self, text: str, types: list[str] | None, limit: int) -> list[str]:
        """IRIs of entities whose labels match, best first."""

    @abstractmethod
    def paths(self, question: str, target: str) -> list[PathAnswer]:
        """Answers of a flagship question (see FLAGSHIP_PARAMS) for one target IRI."""

    def search_read(
        self,
        text: str,
        types: list[str] | None,
        limit: int,
        steps: list[Step],
        only: Projection | None = None,
    ) -> tuple[list[str], Ahead]:
        """What ``search`` finds, with the entities found and, read ahead from them as
        ``read_ahead`` reads (their relations when there are steps), the levels below;
        Neo4j answers it in one statement."""
        found = self.search(text, types, limit)
        return found, self.read_ahead(found, found if steps else [], steps, only)

    def paths_read(
        self,
        question: str,
        target: str,
        nodes: bool,
        sources: bool,
        steps: list[Step],
        only: Projection | None = None,
    ) -> tuple[list[PathAnswer], Ahead]:
        """A flagship question's answers with what ``flagship_reads`` says the answer
        reads (and the citations' documents), and, when there are steps, the measures'
        relations and the levels read ahead below them as ``read_ahead`` reads them;
        Neo4j answers it in one statement."""
        found = self.paths(question, target)
        ents, cits = flagship_reads(found, nodes, sources)
        reads = self.read(ents, [], cits, only)
        if not steps:
            return found, Ahead(reads, ents, [])
        measures = list(dict.fromkeys(a.measure for a in found))
        below = self.read_ahead([], measures, steps, only)
        reads.entities.update(below.reads.entities)
        reads.relations.update(below.reads.relations)
        return found, Ahead(reads, ents + below.entities, below.relations)

    @abstractmethod
    def stats(self) -> StoreStats:
        """Counts per class and relation."""

    @abstractmethod
    def rows(self, question: str, params: dict[str, object]) -> list[dict[str, object]]:
        """Rows of any named question, as plain values (IRIs and lexical forms as text)."""

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
