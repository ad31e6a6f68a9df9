"""The Neo4j store: the production store, reached through the official driver.

Every read is one named Cypher file with parameters; batch methods send all IRIs of a
GraphQL request in one query. Connection failures become StoreUnavailableError (503),
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
from eskg.config import Settings
from eskg.errors import (
    DataNotConformingError,
    InvalidInputError,
    ReadTimeoutError,
    StoreUnavailableError,
)
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
from eskg.search_text import Candidate, bounded, normalise, rank
from eskg.store.base import FLAGSHIP_PARAMS, Store, flagship_reads
from eskg.store.neo4j_batch import (
    EVERYTHING,
    Reading,
    ahead_statement,
    flagship_statement,
    level_statement,
    narrowed,
)
from eskg.store.neo4j_codec import decode, key_for, lexical
from eskg.store.neo4j_load import replace_graph, schema_in_background
from eskg.store.neo4j_search import lucene
from eskg.store.property_graph import PropertyGraph, nquads_property_graph, to_property_graph


def plain(value: Any) -> Any:
    """A Neo4j value as plain Python: dates and numbers as their lexical text."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (bool, int, float, date)) or hasattr(value, "iso_format"):
        return lexical(value)
    return str(value)


#: Composed statements kept per store: one per kind of read, depth and projection,
#: which the queries sent decide.
COMPOSED = 256


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
        # (kind, steps read ahead, projection) -> statement; the other depths and
        # projections are composed when first asked
        self._composed: dict[tuple[str, int, Projection | None], str] = {
            ("level", 0, None): level_statement(queries),
        }
        for q in FLAGSHIP_PARAMS:
            self._composed[(q, 0, None)] = flagship_statement(queries, q)

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
        graph without building an rdflib Dataset first."""
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

    def health(self) -> None:
        self.run_plain("RETURN 1 AS ok")

    def run_plain(self, text: str) -> None:
        """Run a constant statement (health checks)."""
        with self._session() as session:
            session.run(text).consume()

    def close(self) -> None:
        self.driver.close()

    # ----------------------------------------------------------- reads

    def entities(self, iris: list[str]) -> dict[str, EntityData]:
        return self._entities(self.run("entity_by_iri", {"iris": list(dict.fromkeys(iris))}))

    def relations(self, iris: list[str]) -> dict[str, list[RelationData]]:
        # one round trip: relations_of returns a row (type null) for an entity without
        # relations, and none for an IRI that is not an entity
        return self._relations(self.run("relations_of", {"iris": list(dict.fromkeys(iris))}))

    def citations(self, iris: list[str]) -> dict[str, CitationData]:
        return self._citations(self.run("citations_by_iri", {"iris": list(dict.fromkeys(iris))}))

    def read(
        self,
        entities: list[str],
        relations: list[str],
        citations: list[str],
        only: Projection | None = None,
    ) -> Reads:
        """One statement (``neo4j_batch``) instead of up to four round trips; with
        ``only``, the entities' properties it names and no others."""
        params = {
            "entities": list(dict.fromkeys(entities)),
            "relations": list(dict.fromkeys(relations)),
            "citations": list(dict.fromkeys(citations)),
        }
        text = self._statement("level", 0, only)
        row = self.run_text("entity_by_iri+relations_of+citations_by_iri", text, params)[0]
        return Reads(
            self._entities(row["entities"]),
            self._relations(row["relations"]),
            self._citations(row["citations"]),
        )

    def read_ahead(
        self,
        entities: list[str],
        relations: list[str],
        steps: list[Step],
        only: Projection | None = None,
    ) -> Ahead:
        """One statement (``neo4j_batch.ahead_statement``) for every level, instead of
        one per level."""
        if not steps:
            reads = self.read(entities, relations, [], only)
            return Ahead(reads, list(entities), list(relations))
        text = self._statement("ahead", len(steps), only)
        params = {
            "entities": list(dict.fromkeys(entities)),
            "relations": list(dict.fromkeys(relations)),
            **self._step_params(steps),
        }
        row = self.run_text(f"entity_by_iri+relations_of, {len(steps)} levels ahead", text, params)[
            0
        ]
        return self._ahead_found(row, entities, relations)

    def _statement(self, kind: str, depth: int, only: Projection | None = None) -> str:
        """The composed statement of ``kind`` (``level``, ``ahead`` or a
        flagship question) reading ``depth`` steps ahead and the entity properties of
        ``only``, composed once (the earliest composed go beyond ``COMPOSED``)."""
        found = self._composed.get((kind, depth, only))
        if found is None:
            reading = self._reading(only)
            if kind == "level":
                found = level_statement(self.queries, reading)
            elif kind == "ahead":
                found = ahead_statement(self.queries, depth, reading)
            else:
                found = flagship_statement(self.queries, kind, depth, reading)
            if len(self._composed) >= COMPOSED:
                del self._composed[next(iter(self._composed))]
            self._composed[(kind, depth, only)] = found
        return found

    def _reading(self, only: Projection | None) -> Reading:
        """What a statement returns for ``only``: of entities their IRI, classes,
        citations if asked and the keys of the literals asked; of relations those of the
        types asked; or (``None``) everything."""
        if only is None:
            return EVERYTHING
        keys = ["iri", "types"] + (["citations"] if only.citations else [])
        for name, lang in sorted(only.literals, key=lambda x: (x[0], x[1] or "")):
            keys.append(key_for(self.onto.properties[name], lang))
        types = None
        if only.links is not None:
            types = tuple(sorted({self.onto.properties[p].rel_type for p in only.links}))
        return narrowed(tuple(dict.fromkeys(keys)), types, only.relation_citations)

    def _step_params(self, steps: list[Step]) -> dict[str, Any]:
        params: dict[str, Any] = {}
        for i, step in enumerate(steps, 1):
            params[f"links_{i}"] = self._pairs(step.links)
            params[f"expand_{i}"] = self._pairs(step.expand)
        return params

    def _ahead_found(self, row: dict[str, Any], entities: list[str], relations: list[str]) -> Ahead:
        """What a statement ending in ``neo4j_batch._steps`` read, and asked for (the
        citations it read are not counted as asked: their callers know them)."""
        found: dict[str, list[RelationData]] = {}
        for level in row["relations"]:  # an IRI read at two levels has the same relations
            found.update(self._relations(level))
        asked_entities = list(entities) + [i for ahead in row["asked"] for i in ahead]
        asked_relations = list(relations) + [i for ahead in row["expanded"] for i in ahead]
        reads = Reads(self._entities(row["entities"]), found, self._citations(row["citations"]))
        return Ahead(reads, asked_entities, asked_relations)

    def _pairs(self, links: frozenset[tuple[str, str]]) -> list[list[Any]]:
        """Links (property name, direction) as ``[relationship type, outgoing]``."""
        return [
            [self.onto.properties[prop].rel_type, direction == "OUT"]
            for prop, direction in sorted(links)
        ]

    def _entities(self, rows: list[dict[str, Any]]) -> dict[str, EntityData]:
        out: dict[str, EntityData] = {}
        for row in rows:
            if row["iri"] in out:
                continue
            props = row["props"]
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
        """Candidates from the full-text indexes (``neo4j_search``), matched and ranked by
        ``search_text.rank`` as on the embedded store."""
        for t in types or []:
            self.onto.cls(t)  # unknown class names are refused before the query
        asked = lucene(normalise(bounded(text)))
        if asked is None:
            return []
        index, query = asked
        params = {"index": index, "query": query, "types": types or None}
        found = [
            Candidate(
                r["iri"],
                tuple(r["names"].split("\n")),
                tuple(r["acronyms"].split("\n")) if r["acronyms"] else (),
                tuple(r["classes"] or ()),
                int(r["relations"]),
            )
            for r in self.run("search_labels", params)
        ]
        return rank(self.onto, text, found, types, limit)

    def search_read(
        self,
        text: str,
        types: list[str] | None,
        limit: int,
        steps: list[Step],
        only: Projection | None = None,
    ) -> tuple[list[str], Ahead]:
        """The search, then one statement (``read_ahead``) for the entities found and
        every level below: the ranking between them runs here, in ``search_text``."""
        found = self.search(text, types, limit)
        return found, self.read_ahead(found, found if steps else [], steps, only)

    def paths(self, question: str, target: str) -> list[PathAnswer]:
        return self._answers(self.run(question, {FLAGSHIP_PARAMS[question]: target}))

    def paths_read(
        self,
        question: str,
        target: str,
        nodes: bool,
        sources: bool,
        steps: list[Step],
        only: Projection | None = None,
    ) -> tuple[list[PathAnswer], Ahead]:
        """One statement (``neo4j_batch.flagship_statement``) instead of two to four round
        trips, and one per level read ahead below the measures."""
        statement = self._statement(question, len(steps), only)
        params = {
            FLAGSHIP_PARAMS[question]: target,
            "nodes": nodes,
            "sources": sources,
            **self._step_params(steps),
        }
        row = self.run_text(f"{question}+entity_by_iri+citations_by_iri", statement, params)[0]
        found = self._answers(row["answers"])
        ents, _ = flagship_reads(found, nodes, sources)
        measures = list(dict.fromkeys(a.measure for a in found)) if steps else []
        return found, self._ahead_found(row, ents, measures)

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
