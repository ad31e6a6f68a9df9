"""One Cypher statement for a traversal (``Store.traverse``), composed from the named
queries ``entity_by_iri``, ``relations_of`` and ``citations_by_iri`` (and, for a path
question, the question's own; a label search ranks its candidates in Python first, then
reads the nodes found as ``nodes_statement`` does).

Each statement costs a round trip and the driver's Python work for a session, a
transaction and a result (about 0.5 ms on the benchmark machine, more than Neo4j takes
to answer one of these). A traversal reads nodes, links and citations at its start and
nodes and links at every hop, plus the documents of its citations. Here they become one
statement: each named query runs in its own subquery, as written, and returns its rows
collected into a list; the documents of the citations are read by ``entity_by_iri``
inside the same statement.

The queries stay the files the other stores and the SPARQL twins answer, wrapped
verbatim: ``CALL (iris) { <file> }``. The three reads take their IRIs from the variable
``iris`` (a list), which the composition binds to each part's IRIs (``standalone``
binds it to the parameter ``$iris``), and what to return from parameters shared by
every part (``EVERYTHING`` gives their defaults): ``$keys``, the property keys of the
nodes (null: every property), ``$types``, the relationship types followed (null: every
type), and ``$link_citations``, whether the links' citations are returned. The columns
each query returns are listed here and checked when a statement is composed: a file
whose ``RETURN`` no longer names them, or that no longer reads ``iris``, fails at
start-up (``ConfigurationError`` naming the file), not mid-request.
"""

from __future__ import annotations

import re
from typing import Any

from eskg.errors import ConfigurationError
from eskg.queries import QueryLibrary

#: The named queries that read the IRIs of the variable ``iris``, and the columns each
#: returns.
READS: dict[str, tuple[str, ...]] = {
    "entity_by_iri": ("iri", "props", "values"),
    "relations_of": ("iri", "type", "outgoing", "other", "citations", "valid_from", "valid_until"),
    "citations_by_iri": ("iri", "document", "locator", "quote"),
}
#: The columns of a path question (a flagship question).
PATH_COLUMNS = ("nodes", "citations", "validity")
#: The parameters of a read of everything: every property, type and link citation.
EVERYTHING: dict[str, Any] = {"keys": None, "types": None, "link_citations": True}

_COMMENT = re.compile(r"^\s*//.*$", re.MULTILINE)
_READS_IRIS = re.compile(r"(?<![$\w])iris\b")


def _text(queries: QueryLibrary, name: str, columns: tuple[str, ...]) -> str:
    """The named query's text, as written, once its columns are checked."""
    text = queries.get(name).cypher.strip()
    code = _COMMENT.sub("", text)
    returned = code.rsplit("RETURN", 1)[-1]
    for column in columns:
        # "... AS column" or a bare variable between commas
        if not re.search(rf"\bAS\s+{column}\b|(?:^|,)\s*{column}\s*(?:,|$)", returned):
            raise ConfigurationError(
                f"queries/{name}.cypher no longer returns the column {column!r}; "
                "update eskg/store/neo4j_batch with it"
            )
    if name in READS and not _READS_IRIS.search(code):
        raise ConfigurationError(
            f"queries/{name}.cypher no longer reads the list `iris` (a variable, not a "
            "parameter), which the composed reads bind; update eskg/store/neo4j_batch with it"
        )
    return text


def standalone(queries: QueryLibrary, name: str) -> str:
    """One of the three reads alone: its IRIs from the parameter ``$iris``."""
    return f"WITH $iris AS iris\n{_text(queries, name, READS[name])}"


def _part(queries: QueryLibrary, name: str, carried: list[str], iris: str, alias: str) -> str:
    """A subquery running the named query on the IRIs ``iris`` (an expression over the
    ``carried`` variables, each IRI once) and collecting its rows. It aggregates, so it
    always yields one row: an empty part does not remove the row the other parts add to."""
    columns = READS[name]
    collected = "collect({" + ", ".join(f"{c}: {c}" for c in columns) + f"}}) AS {alias}"
    return (
        f"CALL ({', '.join(carried)}) {{\n"
        f"  UNWIND {iris} AS wanted\n  WITH collect(DISTINCT wanted) AS iris\n"
        f"  CALL (iris) {{\n{_text(queries, name, columns)}\n  }}\n"
        f"  RETURN {collected}\n}}\n"
    )


def _start(queries: QueryLibrary, carried: list[str], ents: str, rels: str, cits: str) -> str:
    """The three reads of a start; the nodes part also reads the citations' documents."""
    return (
        _part(queries, "citations_by_iri", carried, cits, "citations")
        + _part(queries, "relations_of", carried, rels, "relations")
        + _part(
            queries,
            "entity_by_iri",
            [*carried, "citations"],
            f"{ents} + [c IN citations | c.document]",
            "entities",
        )
    )


def nodes_statement(queries: QueryLibrary, depth: int) -> str:
    """A traversal from nodes (``FromNodes``) with ``depth`` hops. Parameters:
    ``$entities``, ``$relations`` and ``$citations`` (lists of IRIs, each may be empty),
    those of ``EVERYTHING`` and those of the hops (``_hops``). One row: the columns of
    ``_hops``."""
    return _start(queries, [], "$entities", "$relations", "$citations") + _hops(queries, depth)


def question_statement(queries: QueryLibrary, question: str, depth: int) -> str:
    """A traversal from a path question's answers (``FromQuestion``), in one statement:
    the first nodes of the paths, the nodes on the paths when ``$nodes`` is true, and the
    citations of the paths' edges (with their documents) when ``$sources`` is true; with
    ``depth`` hops, the first nodes' links and the hops too. Parameters: the question's
    own, ``$nodes``, ``$sources``, those of ``EVERYTHING`` and of the hops. One row:
    ``answers`` (the question's rows as maps) and the columns of ``_hops``."""
    body = _text(queries, question, PATH_COLUMNS)
    collected = ", ".join(f"{c}: {c}" for c in PATH_COLUMNS)
    return (
        f"CALL () {{\n  CALL () {{\n{body}\n  }}\n  RETURN collect({{{collected}}}) AS answers\n}}\n"
        + _start(
            queries,
            ["answers"],
            "[a IN answers | a.nodes[0]] + CASE WHEN $nodes"
            " THEN reduce(acc = [], a IN answers | acc + a.nodes) ELSE [] END",
            "[a IN answers | a.nodes[0]]" if depth else "[]",
            "CASE WHEN $sources THEN reduce(acc = [], a IN answers |"
            " acc + reduce(cs = [], e IN a.citations | cs + coalesce(e, []))) ELSE [] END",
        )
        + _hops(queries, depth, "answers, ")
    )


def _hops(queries: QueryLibrary, depth: int, returned: str = "") -> str:
    """``depth`` hops from the start's ``relations``, and the RETURN of the start's and
    the hops' columns (``returned`` first). Hop ``i`` (from 1) reads the nodes at the
    other ends of the links hop ``i - 1`` read whose type and direction are among
    ``$follow_i`` (pairs ``[relationship type, outgoing]``), and the links of those
    reached by one of ``$expand_i``. Columns: ``entities`` (every hop's), ``relations``
    (a list per hop), ``asked`` and ``expanded`` (per hop, the IRIs whose nodes and
    links it read) and ``citations``."""
    text = ""
    levels, asked, expanded, previous = ["relations"], [], [], "relations"
    for i in range(1, depth + 1):
        ahead, expand = f"ahead_{i}", f"expand_{i}"
        text += (
            f"WITH *, [r IN {previous} WHERE r.type IS NOT NULL"
            f" AND [r.type, r.outgoing] IN $follow_{i} | r.other] AS {ahead},"
            f" [r IN {previous} WHERE r.type IS NOT NULL"
            f" AND [r.type, r.outgoing] IN $expand_{i} | r.other] AS {expand}\n"
            + _part(queries, "relations_of", [expand], expand, f"relations_{i}")
            + _part(queries, "entity_by_iri", [ahead], ahead, f"entities_{i}")
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
