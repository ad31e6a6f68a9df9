"""The Neo4j store: the production store, reached through the official driver.

Every read is one named Cypher file with parameters; batch methods send all IRIs at
once, and a traversal is one statement composed from the files (``neo4j_batch``). Connection failures become StoreUnavailableError (503),
so the API says which store is down instead of showing a stack trace.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from neo4j import Driver, GraphDatabase, Query, Session
from neo4j.exceptions import (
    AuthError,
    ClientError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from rdflib import Dataset

from eskg import deadline
from eskg.bounds import DataBounds
from eskg.config import Settings
from eskg.errors import (
    DataNotConformingError,
    InvalidInputError,
    ReadTimeoutError,
    StoreUnavailableError,
)
from eskg.model import (
    CitationData,
    EntityData,
    FromNodes,
    FromQuestion,
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
from eskg.search_text import Candidate, bounded, normalise, rank
from eskg.store.base import FLAGSHIP_PARAMS, Store, flagship_reads
from eskg.store.neo4j_batch import (
    EVERYTHING,
    READS,
    nodes_statement,
    question_statement,
    standalone,
)
from eskg.store.neo4j_bounds import READ as READ_BOUNDS
from eskg.store.neo4j_bounds import read_bounds
from eskg.store.neo4j_codec import decode, key_for, lexical
from eskg.store.neo4j_load import replace_graph, schema_in_background
from eskg.store.neo4j_search import lucene, specificities
from eskg.store.property_graph import PropertyGraph, nquads_property_graph, to_property_graph
from eskg.store.property_graph_stream import file_property_graph

#: Rows the search statement returns beyond the limit asked: room for candidates that
#: hold the text but do not match it (not at a word start) before it asks for all.
SEARCH_SLACK = 10
#: ``take`` of the search statement for every candidate (LIMIT takes no null).
SEARCH_ALL = 2**62


def plain(value: Any) -> Any:
    """A Neo4j value as plain Python: dates and numbers as their lexical text."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (bool, int, float, date)) or hasattr(value, "iso_format"):
        return lexical(value)
    return str(value)


class Neo4jStore(Store):
    """Neo4j through Bolt."""

    name = "neo4j"
    shared = True
    bounds_reads = True  # every read is a transaction with ESKG_QUERY_TIMEOUT

    def __init__(
        self,
        onto: Ontology,
        queries: QueryLibrary,
        settings: Settings,
        driver: Driver | None = None,
    ) -> None:
        super().__init__(onto, queries)
        self.settings = settings
        self._specificities = specificities(onto)
        auth = (settings.neo4j_user, settings.neo4j_password) if settings.neo4j_password else None
        self.driver = driver or GraphDatabase.driver(
            settings.neo4j_uri,
            auth=auth,
            connection_timeout=5.0,
            connection_acquisition_timeout=10.0,
            # The server's notifications (e.g. "property altLabel_ja does not exist" on
            # every search) are logged by the driver as multi-kilobyte warnings per query.
            notifications_min_severity="OFF",
        )
        # the composed reads (neo4j_batch): a query file they cannot wrap fails here.
        # (start, hops) -> statement; the other numbers of hops are composed when first
        # asked (a few: a request's hops are bounded by its depth limit)
        self._alone = {name: standalone(queries, name) for name in READS}
        self._composed: dict[tuple[str, int], str] = {("nodes", 0): nodes_statement(queries, 0)}
        for q in FLAGSHIP_PARAMS:
            self._composed[(q, 0)] = question_statement(queries, q, 0)

    @contextmanager
    def _session(self) -> Iterator[Session]:
        try:
            with self.driver.session(database=self.settings.neo4j_database) as session:
                yield session
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            raise StoreUnavailableError(
                f"Neo4j at {self.settings.neo4j_uri} is not answering ({exc.__class__.__name__}); "
                "start it with `eskg neo4j start` or check NEO4J_URI"
            ) from exc
        except AuthError as exc:
            raise StoreUnavailableError(
                "Neo4j refused the credentials; check NEO4J_USER and NEO4J_PASSWORD"
            ) from exc

    def run(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Rows of a named Cypher query."""
        return self.run_text(name, self.queries.get(name).cypher, params)

    def run_text(self, name: str, text: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Rows of a statement; ``name`` says which one in errors."""
        # the query's own limit, or the request's time left (ESKG_REQUEST_TIMEOUT) if less;
        # a request already past its deadline sends nothing
        timeout = deadline.timeout_for(self.settings.query_timeout, f"query {name!r}")
        with self._session() as session:
            try:
                result = session.run(Query(text, timeout=timeout), params)
                return [dict(r) for r in result]
            except ClientError as exc:
                code = exc.code or ""
                if "TransactionTimedOut" in code or "Terminated" in code:
                    deadline.check(f"query {name!r}")  # the request's deadline ended it
                    raise ReadTimeoutError(
                        f"query {name!r} ran past the {self.settings.query_timeout} s limit"
                    ) from exc
                raise InvalidInputError(f"query {name!r} failed: {exc.message}") from exc

    def replace_all(self, dataset: Dataset) -> None:
        self._replace(lambda: to_property_graph(dataset, self.onto))

    def replace_all_nquads(self, source: bytes | Path) -> None:
        """``replace_all`` from N-Quads (bytes or a file), parsed by Oxigraph: the same
        graph without building an rdflib Dataset first; from a file, without holding its
        relationships (``property_graph_stream``: two passes over the file)."""
        if isinstance(source, Path):
            self._replace(lambda: file_property_graph(source, self.onto))
        else:
            self._replace(lambda: nquads_property_graph(source, self.onto))

    def _replace(self, mapping: Callable[[], PropertyGraph]) -> None:
        """Load the graph ``mapping`` makes; Neo4j makes the schema meanwhile."""
        with self._session():
            pass
        schema = schema_in_background(self.driver, self.settings.neo4j_database)
        graph = mapping()  # errors of the schema's thread are raised by replace_graph
        try:
            replace_graph(
                self.driver,
                graph,
                self.onto,
                self.settings.neo4j_database,
                self.settings.neo4j_batch_size,
                schema=schema,
            )
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailableError(
                f"Neo4j went away during the load; the previous graph is kept (a first "
                f"load may leave part of itself, which the next load replaces): {exc}"
            ) from exc
        except (Neo4jError, DriverError, OverflowError, TypeError) as exc:
            raise DataNotConformingError(
                f"Neo4j refused the load, which was rolled back (the previous graph is kept): "
                f"{exc.__class__.__name__}: {exc}"
            ) from exc
        finally:  # answers cached by an API in this process are dropped at once
            self.changes += 1

    def list_bounds(self) -> DataBounds | None:
        """The ``ListBounds`` node of the load now held (``neo4j_bounds``)."""
        return read_bounds(self.run_text("list_bounds", READ_BOUNDS, {}))

    def health(self) -> None:
        self.run_plain("RETURN 1 AS ok")

    def run_plain(self, text: str) -> None:
        """Run a constant statement (health checks)."""
        with self._session() as session:
            session.run(text).consume()

    def close(self) -> None:
        self.driver.close()

    # ----------------------------------------------------------- reads

    def _read(self, name: str, iris: list[str]) -> list[dict[str, Any]]:
        """Rows of one of the three reads (``neo4j_batch.READS``) of everything."""
        params = {"iris": list(dict.fromkeys(iris)), **EVERYTHING}
        return self.run_text(name, self._alone[name], params)

    def entities(self, iris: list[str]) -> dict[str, EntityData]:
        return self._entities(self._read("entity_by_iri", iris))

    def relations(self, iris: list[str]) -> dict[str, list[RelationData]]:
        # one round trip: relations_of returns a row (type null) for an entity without
        # relations, and none for an IRI that is not an entity
        return self._relations(self._read("relations_of", iris))

    def citations(self, iris: list[str]) -> dict[str, CitationData]:
        return self._citations(self._read("citations_by_iri", iris))

    def traverse(
        self, start: Start, hops: tuple[Hop, ...] = (), only: Projection | None = None
    ) -> Traversal:
        """One statement (``neo4j_batch``) for the start and every hop, instead of up to
        four round trips per hop; with ``only``, the nodes' properties and the links it
        names and no others. A label search first ranks its candidates (``search``)."""
        params: dict[str, Any] = {**self._returned(only), **self._hop_params(hops)}
        out = Traversal()
        if isinstance(start, FromQuestion):
            kind, name = start.question, f"{start.question}+entity_by_iri+citations_by_iri"
            params |= {
                FLAGSHIP_PARAMS[start.question]: start.target,
                "nodes": start.path_nodes,
                "sources": start.edge_citations,
            }
        else:
            if isinstance(start, FromNodes):
                nodes, links, cits = start.nodes, start.links, start.citations
            else:
                classes = list(start.classes) if start.classes is not None else None
                out.found = self.search(start.text, classes, start.limit)
                nodes, links, cits = tuple(out.found), tuple(out.found) if hops else (), ()
            kind, name = "nodes", "entity_by_iri+relations_of+citations_by_iri"
            params |= {
                "entities": list(dict.fromkeys(nodes)),
                "relations": list(dict.fromkeys(links)),
                "citations": list(dict.fromkeys(cits)),
            }
            out.asked_entities, out.asked_relations = list(nodes), list(links)
            out.asked_citations = list(cits)
        if hops:
            name += f", {len(hops)} hops"
        row = self.run_text(name, self._statement(kind, len(hops)), params)[0]
        if isinstance(start, FromQuestion):
            out.answers = self._answers(row["answers"])
            out.asked_entities, out.asked_citations = flagship_reads(
                out.answers, start.path_nodes, start.edge_citations
            )
            if hops:
                out.asked_relations = list(dict.fromkeys(a.measure for a in out.answers))
        for level in row["relations"]:  # an IRI read at two hops has the same relations
            out.relations.update(self._relations(level))
        out.entities = self._entities(row["entities"], params["keys"])
        out.citations = self._citations(row["citations"])
        out.asked_entities += [i for reached in row["asked"] for i in reached]
        out.asked_relations += [i for reached in row["expanded"] for i in reached]
        return out

    def _statement(self, kind: str, depth: int) -> str:
        """The composed statement of ``kind`` (``nodes`` or a path question) with
        ``depth`` hops, composed once."""
        found = self._composed.get((kind, depth))
        if found is None:
            if kind == "nodes":
                found = nodes_statement(self.queries, depth)
            else:
                found = question_statement(self.queries, kind, depth)
            self._composed[(kind, depth)] = found
        return found

    def _returned(self, only: Projection | None) -> dict[str, Any]:
        """The parameters saying what a statement returns for ``only``: of nodes their
        IRI, classes, citations if asked and the keys of the literals asked; of links those
        of the types asked; or (``None``) everything."""
        if only is None:
            return dict(EVERYTHING)
        keys = ["iri", "types"] + (["citations"] if only.citations else [])
        for name, lang in sorted(only.literals, key=lambda x: (x[0], x[1] or "")):
            keys.append(key_for(self.onto.properties[name], lang))
        types = None
        if only.links is not None:
            types = sorted({self.onto.properties[p].rel_type for p in only.links})
        return {
            "keys": list(dict.fromkeys(keys)),
            "types": types,
            "link_citations": only.link_citations,
        }

    def _hop_params(self, hops: tuple[Hop, ...]) -> dict[str, Any]:
        params: dict[str, Any] = {}
        for i, hop in enumerate(hops, 1):
            params[f"follow_{i}"] = self._pairs(hop.follow)
            params[f"expand_{i}"] = self._pairs(hop.expand)
        return params

    def _pairs(self, links: frozenset[tuple[str, str]]) -> list[list[Any]]:
        """Links (property name, direction) as ``[relationship type, outgoing]``."""
        return [
            [self.onto.properties[prop].rel_type, direction == "OUT"]
            for prop, direction in sorted(links)
        ]

    def _entities(
        self, rows: list[dict[str, Any]], keys: list[str] | None = None
    ) -> dict[str, EntityData]:
        """Entities of ``entity_by_iri``'s rows: every property (``props``), or the
        ``values`` of ``keys`` when the read named them."""
        out: dict[str, EntityData] = {}
        for row in rows:
            if row["iri"] in out:
                continue
            props = row["props"]
            if props is None:  # a key the node lacks is None, which ``decode`` skips
                props = dict(zip(keys or (), row["values"]))
            out[row["iri"]] = EntityData(
                iri=row["iri"],
                types=sorted(props.get("types") or []),
                literals=decode(self.onto, props),
                citations=sorted(props.get("citations") or []),
            )
        return out

    def _relations(self, rows: list[dict[str, Any]]) -> dict[str, list[RelationData]]:
        out: dict[str, list[RelationData]] = {}
        for row in rows:
            rels = out.setdefault(row["iri"], [])
            if row["type"] is None:
                continue
            prop = self.onto.property_by_rel_type(row["type"])
            rels.append(
                RelationData(
                    prop.name if prop else row["type"],
                    "OUT" if row["outgoing"] else "IN",
                    row["other"],
                    tuple(sorted(row["citations"] or [])),
                    row.get("valid_from"),
                    row.get("valid_until"),
                )
            )
        return {
            iri: sorted(rels, key=lambda r: (r.prop, r.direction, r.other))
            for iri, rels in out.items()
        }

    @staticmethod
    def _citations(rows: list[dict[str, Any]]) -> dict[str, CitationData]:
        return {
            r["iri"]: CitationData(r["iri"], r["document"], r["locator"], r["quote"]) for r in rows
        }

    def search(self, text: str, types: list[str] | None, limit: int) -> list[str]:
        """Candidates from the full-text indexes (``neo4j_search``), ranked in Neo4j so
        that only the best few travel, and decided by ``search_text.rank`` as on the
        embedded store."""
        for t in types or []:
            self.onto.cls(t)  # unknown class names are refused before the query
        normalised = normalise(bounded(text))
        asked = lucene(normalised)
        if asked is None:
            return []
        index, query = asked
        params = {
            "index": index,
            "query": query,
            "text": normalised,
            "types": types or None,
            "specificity": self._specificities,
        }
        take = limit + SEARCH_SLACK
        found = self._search_rows(params, take)
        ranked = rank(self.onto, text, found, types, limit)
        if len(ranked) < limit and len(found) == take:
            # a candidate holding the text, though not at a word start, took a place:
            # every candidate then (neo4j_search)
            ranked = rank(self.onto, text, self._search_rows(params, None), types, limit)
        return ranked

    def _search_rows(self, params: dict[str, Any], take: int | None) -> list[Candidate]:
        """The statement's candidates, its best ``take`` (None: all)."""
        rows = self.run("search_labels", params | {"take": SEARCH_ALL if take is None else take})
        return [
            Candidate(
                r["iri"],
                tuple(r["names"].split("\n")),
                tuple(r["acronyms"].split("\n")) if r["acronyms"] else (),
                tuple(r["classes"] or ()),
                int(r["relations"]),
            )
            for r in rows
        ]

    def paths(self, question: str, target: str) -> list[PathAnswer]:
        return self._answers(self.run(question, {FLAGSHIP_PARAMS[question]: target}))

    @staticmethod
    def _answers(rows: list[dict[str, Any]]) -> list[PathAnswer]:
        answers = {
            PathAnswer(
                r["nodes"][0],
                tuple(r["nodes"]),
                tuple(tuple(sorted(c or [])) for c in r["citations"]),
                tuple((v[0], v[1]) for v in r.get("validity") or ()),
            )
            for r in rows
        }
        return sorted(answers, key=lambda a: (a.measure, a.nodes, a.edge_citations))

    def stats(self) -> StoreStats:
        s = StoreStats()
        for r in self.run("class_counts", {}):
            if r["class"] in self.onto.classes:
                s.classes[r["class"]] = int(r["count"])
        for r in self.run("relation_counts", {}):
            prop = self.onto.property_by_rel_type(r["type"])
            s.relations[prop.name if prop else r["type"]] = int(r["count"])
        s.entities = s.classes.get("Entity", 0)
        return s

    def rows(self, question: str, params: dict[str, object]) -> list[dict[str, object]]:
        # an optional parameter not given is null, as SPARQL leaves it unbound
        given = {p: None for p in self.queries.get(question).optional} | dict(params)
        return [{k: plain(v) for k, v in r.items()} for r in self.run(question, given)]
