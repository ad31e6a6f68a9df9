"""One Cypher statement for a whole level of a GraphQL answer, composed from the named
queries ``entity_by_iri``, ``relations_of`` and ``citations_by_iri`` (and, for the first
level, a flagship question; a search ranks its candidates in Python first, then reads
the entities found as ``ahead_statement`` does).

Each statement costs a round trip and the driver's Python work for a session, a
transaction and a result (about 0.5 ms on the benchmark machine, more than Neo4j takes
to answer one of these). A level of an answer needs up to three of them, plus one more
for the documents of its citations a level later. Here they become one statement: each
named query runs in its own subquery and returns its rows collected into a list, and
the documents of the citations are read by ``entity_by_iri`` inside the same statement.
The queries stay the files the other stores and the SPARQL twins answer; this module
only wraps them, so a change to a file changes the composed statement too.

Each wrapped query reads its IRIs from ``$iris``, which the composition replaces by a
variable bound to the part's IRIs. A statement for a request that reads only some of its
entities' properties and relations (``Projection``) returns only those (``narrowed``):
``entity_by_iri``'s ``properties(n) AS props`` becomes a map projection of the keys, and
``relations_of`` follows only the relationship types asked, with or without their
citations, so that Neo4j reads, and the driver sends and decodes, no more than the
answer needs. The columns each query returns are listed here and
checked when the statement is built: a query file whose ``RETURN`` no longer names them
fails at start-up (``ConfigurationError`` naming the file), not mid-request.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from eskg.errors import ConfigurationError
from eskg.queries import QueryLibrary

#: The named queries composed, and the columns each returns.
COLUMNS: dict[str, tuple[str, ...]] = {
    "entity_by_iri": ("iri", "props"),
    "relations_of": ("iri", "type", "outgoing", "other", "citations", "valid_from", "valid_until"),
    "citations_by_iri": ("iri", "document", "locator", "quote"),
    "measures_covering_technology": ("nodes", "citations", "validity"),
    "measures_covering_material": ("nodes", "citations", "validity"),
}

#: What ``entity_by_iri`` returns of a node: every property, unless projected.
WHOLE = "properties(n) AS props"
#: The relationships ``relations_of`` follows, and what it returns of their citations:
#: every type and every citation, unless a read names the types it follows.
ANY_RELATION = "(n)-[r]-(m:Resource)"
RELATION_CITATIONS = "r.citations AS citations"

_IRIS = re.compile(r"\$iris\b")
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_COMMENT = re.compile(r"^\s*//.*$", re.MULTILINE)


def _text(queries: QueryLibrary, name: str) -> str:
    """The named query's text without comments, once its columns are checked."""
    text = _COMMENT.sub("", queries.get(name).cypher).strip()
    returned = text.rsplit("RETURN", 1)[-1]
    for column in COLUMNS[name]:
        # "... AS column" or a bare variable between commas
        if not re.search(rf"\bAS\s+{column}\b|(?:^|,)\s*{column}\s*(?:,|$)", returned):
            raise ConfigurationError(
                f"queries/{name}.cypher no longer returns the column {column!r}; "
                "update eskg/store/neo4j_batch.COLUMNS with it"
            )
    for marker in {
        "entity_by_iri": (WHOLE,),
        "relations_of": (ANY_RELATION, RELATION_CITATIONS),
    }.get(name, ()):
        if marker not in text:
            raise ConfigurationError(
                f"queries/{name}.cypher no longer has `{marker}`, which a read of some of "
                "the properties or relations replaces; update eskg/store/neo4j_batch with it"
            )
    return text


class Reading(NamedTuple):
    """What a composed statement returns of entities (``props``) and relations (the
    ``pattern`` it follows, and its ``citations``): ``narrowed`` makes one."""

    props: str = WHOLE
    pattern: str = ANY_RELATION
    citations: str = RELATION_CITATIONS


EVERYTHING = Reading()


def narrowed(
    keys: tuple[str, ...] | None, types: tuple[str, ...] | None, citations: bool = True
) -> Reading:
    """Only these entity property keys (a key a node lacks is null in the map; ``None``:
    every property), only relationships of these types (``None`` or none: every type),
    and relation citations or nulls."""
    for key in (*(keys or ()), *(types or ())):
        if not _KEY.fullmatch(key):
            raise ValueError(f"not a property key or relationship type: {key!r}")
    return Reading(
        WHOLE if keys is None else "n {" + ", ".join(f".{k}" for k in keys) + "} AS props",
        f"(n)-[r:{'|'.join(types)}]-(m:Resource)" if types else ANY_RELATION,
        RELATION_CITATIONS if citations else "null AS citations",
    )


def _body(queries: QueryLibrary, name: str, iris: str, reading: Reading = EVERYTHING) -> str:
    """The named query's text with ``$iris`` renamed, and what ``entity_by_iri`` and
    ``relations_of`` return as ``reading`` says."""
    text = _text(queries, name)
    if not _IRIS.search(text):
        raise ConfigurationError(
            f"queries/{name}.cypher no longer reads $iris; the batched read needs it"
        )
    if name == "entity_by_iri":
        text = text.replace(WHOLE, reading.props)
    elif name == "relations_of":
        text = text.replace(ANY_RELATION, reading.pattern).replace(
            RELATION_CITATIONS, reading.citations
        )
    return _IRIS.sub(iris, text)


def _collected(name: str, alias: str) -> str:
    return "collect({" + ", ".join(f"{c}: {c}" for c in COLUMNS[name]) + f"}}) AS {alias}"


def _part(
    queries: QueryLibrary,
    name: str,
    carried: list[str],
    iris: str,
    alias: str,
    reading: Reading = EVERYTHING,
) -> str:
    """A subquery running the named query on the IRIs ``iris`` (an expression over the
    ``carried`` variables, each IRI once) and collecting its rows. It aggregates, so it
    always yields one row: an empty part does not remove the row the other parts add to."""
    return (
        f"CALL ({', '.join(carried)}) {{\n"
        f"  UNWIND {iris} AS wanted\n  WITH collect(DISTINCT wanted) AS iris\n"
        f"  CALL (iris) {{\n{_body(queries, name, 'iris', reading)}\n  }}\n"
        f"  RETURN {_collected(name, alias)}\n}}\n"
    )


def _level(
    queries: QueryLibrary, carried: list[str], ents: str, rels: str, cits: str, reading: Reading
) -> str:
    """The three reads of a level; the entities part also reads the citations' documents."""
    return (
        _part(queries, "citations_by_iri", carried, cits, "citations")
        + _part(queries, "relations_of", carried, rels, "relations", reading)
        + _part(
            queries,
            "entity_by_iri",
            [*carried, "citations"],
            f"{ents} + [c IN citations | c.document]",
            "entities",
            reading,
        )
    )


def level_statement(queries: QueryLibrary, reading: Reading = EVERYTHING) -> str:
    """One level's reads. Parameters: ``$entities``, ``$relations``, ``$citations``
    (lists of IRIs, each may be empty). One row: ``entities``, ``relations`` and
    ``citations``, each a list of the named query's rows as maps; ``entities`` also holds
    the documents of the citations found."""
    return (
        _level(queries, [], "$entities", "$relations", "$citations", reading)
        + "RETURN entities, relations, citations"
    )


def flagship_statement(
    queries: QueryLibrary, question: str, depth: int = 0, reading: Reading = EVERYTHING
) -> str:
    """A flagship question's answers with what its answer reads, in one statement:
    the measures, the entities on the paths when ``$nodes`` is true, and the citations
    of the paths' edges (with their documents) when ``$sources`` is true; with ``depth``
    steps read ahead below the measures, their relations and the steps too (parameters
    per step as ``ahead_statement``'s). Parameters: the question's own, ``$nodes`` and
    ``$sources``. One row: ``answers`` (the question's rows as maps) and the columns of
    ``ahead_statement``."""
    body = _text(queries, question)
    return (
        f"CALL () {{\n  CALL () {{\n{body}\n  }}\n"
        "  RETURN collect({nodes: nodes, citations: citations, validity: validity}) AS answers\n}\n"
        + _level(
            queries,
            ["answers"],
            "[a IN answers | a.nodes[0]] + CASE WHEN $nodes"
            " THEN reduce(acc = [], a IN answers | acc + a.nodes) ELSE [] END",
            "[a IN answers | a.nodes[0]]" if depth else "[]",
            "CASE WHEN $sources THEN reduce(acc = [], a IN answers |"
            " acc + reduce(cs = [], e IN a.citations | cs + coalesce(e, []))) ELSE [] END",
            reading,
        )
        + _steps(queries, depth, reading, "answers, ")
    )


def ahead_statement(queries: QueryLibrary, depth: int, reading: Reading = EVERYTHING) -> str:
    """``Store.read_ahead`` with ``depth`` steps in one statement. Parameters:
    ``$entities`` and ``$relations`` (the first level), and per step ``i`` (from 1)
    ``$links_i`` and ``$expand_i`` (pairs ``[relationship type, outgoing]``). Step ``i``
    reads the entities at the other ends of the relations step ``i - 1`` read whose type
    and direction are among its links, and the relations of those reached by one of its
    expand links. One row: ``entities`` (every level's), ``relations`` (a list per
    level), ``asked`` and ``expanded`` (per step, the IRIs whose entities and relations it
    read)."""
    return _level(queries, [], "$entities", "$relations", "[]", reading) + _steps(
        queries, depth, reading
    )


def _steps(queries: QueryLibrary, depth: int, reading: Reading, returned: str = "") -> str:
    """``depth`` steps read ahead from the level's ``relations``, and the RETURN of the
    level's and the steps' columns (``returned`` first)."""
    text = ""
    levels, asked, expanded, previous = ["relations"], [], [], "relations"
    for i in range(1, depth + 1):
        ahead, expand = f"ahead_{i}", f"expand_{i}"
        text += (
            f"WITH *, [r IN {previous} WHERE r.type IS NOT NULL"
            f" AND [r.type, r.outgoing] IN $links_{i} | r.other] AS {ahead},"
            f" [r IN {previous} WHERE r.type IS NOT NULL"
            f" AND [r.type, r.outgoing] IN $expand_{i} | r.other] AS {expand}\n"
            + _part(queries, "relations_of", [expand], expand, f"relations_{i}", reading)
            + _part(queries, "entity_by_iri", [ahead], ahead, f"entities_{i}", reading)
        )
        previous = f"relations_{i}"
        levels.append(previous)
        asked.append(ahead)
        expanded.append(expand)
    return (
        text
        + f"RETURN {returned}"
        + " + ".join(["entities", *(f"entities_{i}" for i in range(1, depth + 1))])
        + f" AS entities, [{', '.join(levels)}] AS relations, [{', '.join(asked)}] AS asked,"
        + f" [{', '.join(expanded)}] AS expanded, citations"
    )
