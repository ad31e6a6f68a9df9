"""A read-only SPARQL 1.1 Protocol endpoint at ``/sparql`` over the embedded Oxigraph store.

Queries arrive by GET (``?query=``) or POST (an ``application/x-www-form-urlencoded`` form
with ``query=``, or the query itself as an ``application/sparql-query`` body). SELECT and ASK
answer in SPARQL results JSON (default), XML, CSV or TSV; CONSTRUCT and DESCRIBE in Turtle
(default), N-Triples, JSON-LD or RDF/XML, chosen by ``Accept``. Every serialization is
pyoxigraph's own.

Safety, in the order it is applied:

* ``SERVICE`` is refused before anything runs: Oxigraph would otherwise make the HTTP call.
  The check is lexical: once comments, strings, IRIs, variables and the local part of
  prefixed names are removed, the letters ``service`` anywhere (in any case) refuse the
  query. It errs on the side of refusing (a prefix named ``service:``).
* SPARQL Update is refused (403): the text is only ever given to ``Store.query``, which
  cannot write, and an update is recognised by its first keyword (or by the parser failing
  on it) to say so clearly.
* The query runs in a daemon thread; after ``sparql_timeout`` seconds the request answers
  503. Results are read row by row, so a streaming query stops at its next row; one that
  must finish before its first row (ORDER BY, COUNT, GROUP BY) finishes in the background.
  At most ``MAX_RUNNING`` queries run at once, counting those still finishing.
* SELECT rows and CONSTRUCT/DESCRIBE triples are cut at ``sparql_result_cap``; the response
  then carries ``X-ESKG-Results-Truncated: true``.

Without ``FROM``/``FROM NAMED`` in the query or ``default-graph-uri``/``named-graph-uri`` in
the request, the default graph is the union of all graphs (``use_default_graph_as_union``),
so plain triple patterns see every statement whichever named graph holds it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.conneg import NotAcceptableError, choose
from api.deps import EmbeddedDep, PublicBaseDep, SettingsDep, StoreDep
from api.graphql_http import GRAPHQL_PATH
from api.sparql_service import describe_service
from eskg.config import Settings
from eskg.errors import (
    EskgError,
    InvalidInputError,
    QueryFailedError,
    QueryTimeoutError,
    StoreUnavailableError,
    UnsupportedMediaTypeError,
    UpdateNotAllowedError,
)
from eskg.store.base import Store
from eskg.store.embedded import EmbeddedStore

router = APIRouter(tags=["sparql"])

# Queries allowed to run at once, including those still finishing after a timeout.
MAX_RUNNING = 4
#: Seconds a query waits for one of the MAX_RUNNING slots before it is refused.
SLOT_WAIT = 2.0

# Prefixes written in Turtle answers (those of ontology/eskg.ttl).
PREFIXES = {
    "eskg": "https://w3id.org/eskg/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "foaf": "http://xmlns.com/foaf/0.1/",
}

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"

# ------------------------------------------------------------------ formats


@dataclass(frozen=True)
class Format:
    """A media type we can answer in: the name clients ask for and what we send."""

    media_type: str
    content_type: str


@dataclass(frozen=True)
class ResultFormat(Format):
    """For SELECT and ASK."""

    writer: ox.QueryResultsFormat


@dataclass(frozen=True)
class GraphFormat(Format):
    """For CONSTRUCT and DESCRIBE."""

    writer: ox.RdfFormat


F = TypeVar("F", bound=Format)

# The first of each list is the default; wildcards pick the first match, so the
# registered types come before the aliases.
RESULT_FORMATS: list[ResultFormat] = [
    ResultFormat(
        "application/sparql-results+json",
        "application/sparql-results+json",
        ox.QueryResultsFormat.JSON,
    ),
    ResultFormat(
        "application/sparql-results+xml",
        "application/sparql-results+xml",
        ox.QueryResultsFormat.XML,
    ),
    ResultFormat("text/csv", "text/csv; charset=utf-8", ox.QueryResultsFormat.CSV),
    ResultFormat(
        "text/tab-separated-values",
        "text/tab-separated-values; charset=utf-8",
        ox.QueryResultsFormat.TSV,
    ),
    ResultFormat("application/json", "application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ResultFormat("application/xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ResultFormat("text/xml", "application/sparql-results+xml", ox.QueryResultsFormat.XML),
]
GRAPH_FORMATS: list[GraphFormat] = [
    GraphFormat("text/turtle", "text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
    GraphFormat("application/n-triples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    GraphFormat("application/ld+json", "application/ld+json", ox.RdfFormat.JSON_LD),
    GraphFormat("application/rdf+xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    GraphFormat("application/x-turtle", "text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
    GraphFormat("text/plain", "application/n-triples", ox.RdfFormat.N_TRIPLES),
    GraphFormat("application/json", "application/ld+json", ox.RdfFormat.JSON_LD),
]


def negotiate(header: str | None, formats: list[F], kind: str) -> F:
    """The format to answer in, or 406 naming the ones this kind of query can have."""
    media = choose(header, [f.media_type for f in formats], f"a {kind} query")
    return next(f for f in formats if f.media_type == media)


#: ``format=`` / ``output=`` names (for clients that cannot set Accept), per kind of answer.
RESULT_NAMES = {
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "srx": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_NAMES = {
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "json": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "xml": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
}


def named_format(name: str, formats: list[F], names: dict[str, str], kind: str) -> F:
    """The format a ``format=`` value names: a short name or one of the media types."""
    wanted = names.get(name.strip().lower(), name.strip().lower())
    for fmt in formats:
        if fmt.media_type == wanted:
            return fmt
    choices = ", ".join(sorted(set(names) | {f.media_type for f in formats}))
    raise NotAcceptableError(
        f"format={name!r} cannot be written for a {kind} query; use one of {choices}"
    )


def pick(
    accept: str | None, fmt: str | None, formats: list[F], names: dict[str, str], kind: str
) -> F:
    """``format=`` when given, else negotiation on ``Accept``."""
    if fmt:
        return named_format(fmt, formats, names, kind)
    return negotiate(accept, formats, kind)


_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
#: Alternatives of the parser's "expected one of" list kept in a message: keywords and
#: punctuation, not the character classes (about 1 kB of Unicode ranges).
_MAX_EXPECTED = 8
_EXPECTED = re.compile(r'"(?:[^"\\]|\\.)*"|\[[^\]]*\]|[A-Za-z][A-Za-z_0-9]*')


def short_syntax_error(text: str, message: str) -> str:
    """The parser's message cut to its line, column, the words it expected and the text
    where it stopped."""
    found = _POSITION.match(message.strip())
    if not found:
        return f"malformed SPARQL query: {message.strip()[:300]}"
    line, column, rest = int(found.group(1)), int(found.group(2)), found.group(3)
    expected = ""
    if rest.startswith("expected one of "):
        tokens = _EXPECTED.findall(rest[16:])
        items = [i for i in tokens if not i.startswith("[")]
        if items:
            more = ", …" if len(items) > _MAX_EXPECTED else ""
            expected = f"; expected {', '.join(items[:_MAX_EXPECTED])}{more}"
    elif rest:
        expected = f"; {rest[:200]}"
    lines = text.splitlines() or [""]
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    near = source[max(0, column - 31) : column + 30].strip()
    where = f" near {near!r}" if near else " at the end of the query"
    return f"malformed SPARQL query at line {line}, column {column}{where}{expected}"


# ------------------------------------------------------------------ lexical checks

# Strings (long and short), IRIs, comments and the escapes of local names (``ex:a\#b``),
# in the order SPARQL's lexer meets them.
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*"
    r"|\\.",
    re.DOTALL,
)
# Where the letters SERVICE are harmless: a variable name, and what follows the colon of a
# prefixed name or blank node label (``?service``, ``ex:SERVICE``, ``_:service``), which
# cannot start with ``.`` or ``-`` (``ex:.SERVICE`` is ``ex:``, ``.`` and the keyword).
_NAME_CHARS = "\\w\u00b7\u0300-\u036f\u203f\u2040"
_NAMES = re.compile(rf"[?$]\w[{_NAME_CHARS}]*|:[\w:%][{_NAME_CHARS}.\-:%]*")
# Anywhere else they count as the keyword, even glued to what precedes: Oxigraph reads
# ``?s ?p 1SERVICE <…> {…}`` as a triple and a SERVICE call.
_SERVICE = re.compile(r"SERVICE", re.IGNORECASE)
_FROM = re.compile(r"(?<![\w:?$])FROM(?![\w:])", re.IGNORECASE)
# The first keyword after PREFIX/BASE declarations (possessive: no backtracking).
_PROLOGUE = re.compile(r"\s*+(?:(?:PREFIX\s++[^\s:]*+:|BASE)\s*+)*+([A-Za-z]++)", re.IGNORECASE)
UPDATE_KEYWORDS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "DROP",
    "CREATE",
    "ADD",
    "MOVE",
    "COPY",
    "WITH",
}


def keywords_only(text: str) -> str:
    """The query with strings, IRIs and comments blanked: what is left is keywords and names."""
    return _OPAQUE.sub(" ", text)


#: Deepest nesting of groups, brackets and parentheses a query may have. Oxigraph's parser
#: recurses on each level: about 3,000 nested groups overflowed a worker thread's stack and
#: ended the whole process (a crash, not an error), so deeper queries are refused first.
MAX_NESTING = 128


def nesting(bare: str) -> int:
    """The deepest nesting of ``{``, ``(`` and ``[`` in a blanked query text."""
    depth = deepest = 0
    for char in bare:
        if char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]":
            depth -= 1
    return deepest


def check_query(text: str) -> str:
    """Refuse SERVICE, updates and queries nested too deeply before anything runs;
    return the blanked text."""
    bare = keywords_only(text)
    if nesting(bare) > MAX_NESTING:
        raise InvalidInputError(
            f"the query nests groups or expressions more than {MAX_NESTING} levels deep; flatten it"
        )
    first = _PROLOGUE.match(bare)
    if first and first.group(1).upper() in UPDATE_KEYWORDS:
        raise UpdateNotAllowedError(update_message(first.group(1).upper()))
    if _SERVICE.search(_NAMES.sub(" ", bare)):
        raise InvalidInputError(
            "SERVICE (federated query) is not allowed: this endpoint answers only from "
            "its own store and makes no outgoing calls"
        )
    return bare


def update_message(keyword: str | None = None) -> str:
    found = f" ({keyword})" if keyword else ""
    return (
        f"SPARQL Update{found} is not allowed: this endpoint is read-only. "
        "Send a SELECT, ASK, CONSTRUCT or DESCRIBE query; the data is changed only by "
        "editing data/ and running `eskg load`"
    )


# ------------------------------------------------------------------ evaluation


@dataclass
class Answer:
    body: bytes
    content_type: str
    truncated: bool


class _Cancelled(Exception):
    """The request stopped waiting; the worker drops its rows."""


def _term_json(term: Any) -> dict[str, Any]:
    """An Oxigraph term in SPARQL 1.1 results JSON (with the RDF 1.2 triple and its:dir)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            direction = getattr(term, "direction", None)
            if direction is not None:
                out["its:dir"] = str(direction)
        elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING, RDF_DIR_LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _term_json(term.subject),
                "predicate": _term_json(term.predicate),
                "object": _term_json(term.object),
            },
        }
    raise QueryFailedError(f"cannot write a result term of type {type(term).__name__}")


def _take(items: Iterable[Any], cap: int, cancel: threading.Event) -> tuple[list[Any], bool]:
    """At most ``cap`` items and whether there were more; stops when the request gave up."""
    out: list[Any] = []
    for item in items:
        if cancel.is_set():
            raise _Cancelled()
        if len(out) == cap:
            return out, True
        out.append(item)
    return out, False


def _solutions(
    result: ox.QuerySolutions, fmt: ResultFormat, cap: int, cancel: threading.Event
) -> Answer:
    variables = list(result.variables)
    rows, truncated = _take(result, cap, cancel)
    bindings = []
    for row in rows:
        binding = {}
        for var in variables:
            term = row[var]
            if term is not None:
                binding[var.value] = _term_json(term)
        bindings.append(binding)
    doc = {"head": {"vars": [v.value for v in variables]}, "results": {"bindings": bindings}}
    # Re-read the capped rows so that Oxigraph's own writer produces every format.
    capped = ox.parse_query_results(json.dumps(doc).encode("utf-8"), ox.QueryResultsFormat.JSON)
    return Answer(capped.serialize(format=fmt.writer) or b"", fmt.content_type, truncated)


def _used_prefixes(triples: list[ox.Triple]) -> dict[str, str]:
    """The prefixes of PREFIXES that some predicate, class or datatype of the answer uses."""
    iris = set()
    for t in triples:
        iris.add(t.predicate.value)
        if isinstance(t.object, ox.NamedNode):
            iris.add(t.object.value)
        elif isinstance(t.object, ox.Literal):
            iris.add(t.object.datatype.value)
    return {p: ns for p, ns in PREFIXES.items() if any(i.startswith(ns) for i in iris)}


def _triples(
    result: ox.QueryTriples, fmt: GraphFormat, cap: int, cancel: threading.Event
) -> Answer:
    triples, truncated = _take(result, cap, cancel)
    prefixes = _used_prefixes(triples) if fmt.writer == ox.RdfFormat.TURTLE else None
    body = ox.serialize(triples, format=fmt.writer, prefixes=prefixes)
    return Answer(body or b"", fmt.content_type, truncated)


def evaluate(
    store: ox.Store,
    text: str,
    options: dict[str, Any],
    accept: str | None,
    fmt: str | None,
    cap: int,
    cancel: threading.Event,
) -> Answer:
    """Run and write one query (in the worker thread); ``fmt`` is a ``format=`` value."""
    try:
        result = store.query(text, **options)
    except SyntaxError as exc:
        first = _PROLOGUE.match(keywords_only(text))
        if first and first.group(1).upper() in UPDATE_KEYWORDS:
            raise UpdateNotAllowedError(update_message(first.group(1).upper())) from exc
        raise InvalidInputError(short_syntax_error(text, str(exc))) from exc
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryFailedError(f"the query could not run: {exc}") from exc
    try:
        if isinstance(result, ox.QuerySolutions):
            chosen = pick(accept, fmt, RESULT_FORMATS, RESULT_NAMES, "SELECT")
            return _solutions(result, chosen, cap, cancel)
        if isinstance(result, ox.QueryBoolean):
            ask = pick(accept, fmt, RESULT_FORMATS, RESULT_NAMES, "ASK")
            return Answer(result.serialize(format=ask.writer) or b"", ask.content_type, False)
        graph = pick(accept, fmt, GRAPH_FORMATS, GRAPH_NAMES, "CONSTRUCT/DESCRIBE")
        return _triples(result, graph, cap, cancel)
    except (OSError, RuntimeError) as exc:
        raise QueryFailedError(f"the query failed while running: {exc}") from exc


_running = threading.BoundedSemaphore(MAX_RUNNING)
_running_count = 0
_count_lock = threading.Lock()


def running_queries() -> int:
    """Queries whose worker thread has not finished (for tests and monitoring)."""
    with _count_lock:
        return _running_count


async def run_in_worker(func: Callable[[threading.Event], Answer], timeout: float) -> Answer:
    """Run ``func`` in a daemon thread; stop waiting after ``timeout`` seconds."""
    global _running_count
    slots = _running  # release the semaphore this query took, whatever happens to the global
    # a burst waits briefly for a slot (queries end in milliseconds) before it is refused
    if not slots.acquire(blocking=False) and not await asyncio.to_thread(
        slots.acquire, True, SLOT_WAIT
    ):
        raise StoreUnavailableError(
            f"{MAX_RUNNING} SPARQL queries are already running (some may be finishing after "
            "a timeout); try again shortly"
        )
    cancel = threading.Event()
    future: concurrent.futures.Future[Answer] = concurrent.futures.Future()

    def work() -> None:
        global _running_count
        try:
            if future.set_running_or_notify_cancel():
                # A fresh exception carries no traceback: the frames of this thread hold
                # pyoxigraph results, which must be dropped on the thread that made them.
                try:
                    future.set_result(func(cancel))
                except EskgError as exc:
                    future.set_exception(type(exc)(exc.message))
                except _Cancelled:
                    future.set_exception(QueryTimeoutError("the query was cancelled"))
                except Exception as exc:  # noqa: BLE001 - any engine failure becomes a 500
                    future.set_exception(QueryFailedError(f"the query failed: {exc}"))
        finally:
            with _count_lock:
                _running_count -= 1
            slots.release()

    with _count_lock:
        _running_count += 1
    threading.Thread(target=work, name="eskg-sparql", daemon=True).start()
    try:
        return await asyncio.wait_for(asyncio.wrap_future(future), timeout)
    except TimeoutError:
        raise QueryTimeoutError(
            f"the SPARQL query did not finish within {timeout:g} s (ESKG_SPARQL_TIMEOUT); "
            "the engine may still finish it in the background, but its result is dropped. "
            "Narrow the patterns or add LIMIT"
        ) from None
    finally:
        if not future.done():  # timed out, or the client went away: stop at the next row
            cancel.set()


# ------------------------------------------------------------------ protocol


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise InvalidInputError(f"give the `{name}` parameter once, not {len(values)} times")
    return values[0] if values else None


def _iris(values: list[str], name: str) -> list[ox.NamedNode]:
    out = []
    for value in values:
        try:
            out.append(ox.NamedNode(value))
        except ValueError as exc:
            raise InvalidInputError(f"`{name}` is not a valid IRI: {value!r}") from exc
    return out


def result_format(values: list[str]) -> str | None:
    """The one ``format=`` / ``output=`` value of a request (both names mean the same)."""
    names = set(values)
    if len(names) > 1:
        raise InvalidInputError(
            f"`format`/`output` given as {', '.join(sorted(names))}: give one result format"
        )
    return values[0] if values else None


@dataclass(frozen=True)
class Endpoint:
    """What a SPARQL request is answered with: the settings, the store SPARQL reads (see
    ``sparql_store``), the active one (named when SPARQL cannot answer) and the public
    address (the base of relative IRIs)."""

    settings: Settings
    embedded: EmbeddedStore | None
    active: Store
    base: str


def _endpoint(
    settings: SettingsDep, embedded: EmbeddedDep, active: StoreDep, base: PublicBaseDep
) -> Endpoint:
    return Endpoint(settings, embedded, active, base)


EndpointDep = Annotated[Endpoint, Depends(_endpoint)]


async def answer(
    request: Request,
    endpoint: Endpoint,
    query: str | None,
    default_graphs: list[str],
    named_graphs: list[str],
    fmt: str | None = None,
) -> Response:
    """Check, run and write one query for either HTTP method."""
    if query is None or not query.strip():
        raise InvalidInputError(
            "missing SPARQL query: send it as `?query=` (GET), a `query=` form field or an "
            "application/sparql-query body (POST); GET /sparql without a query describes "
            "the service"
        )
    settings = endpoint.settings
    active = sparql_store(endpoint)
    bare = check_query(query)
    # Relative IRIs (`<s>`) resolve against the endpoint's own address, which the
    # protocol allows as the base ("which MAY be the service endpoint").
    options: dict[str, Any] = {"base_iri": endpoint.base + "/sparql"}
    if default_graphs or named_graphs:
        # The protocol's dataset replaces the query's FROM / FROM NAMED; with only
        # named-graph-uri, the default graph stays the store's own (the provenance links).
        options["default_graph"] = _iris(default_graphs, "default-graph-uri") or [ox.DefaultGraph()]
        if named_graphs:
            options["named_graphs"] = _iris(named_graphs, "named-graph-uri")
    elif not _FROM.search(bare):
        options["use_default_graph_as_union"] = True
    store: ox.Store = active.store
    accept = request.headers.get("accept")
    cap = settings.sparql_result_cap
    result = await run_in_worker(
        lambda cancel: evaluate(store, query, options, accept, fmt, cap, cancel),
        settings.sparql_timeout,
    )
    headers = {"Vary": "Accept"}
    if result.truncated:
        headers["X-ESKG-Results-Truncated"] = "true"
    return Response(result.body, media_type=result.content_type, headers=headers)


def sparql_store(endpoint: Endpoint) -> EmbeddedStore:
    """The embedded store SPARQL answers from, or 503 saying how to get one."""
    # When Neo4j answers GraphQL, `eskg serve` keeps an embedded store holding the same
    # validated data beside it (Services.embedded); SPARQL always answers from that.
    if endpoint.embedded is None:
        raise StoreUnavailableError(
            f"SPARQL needs the embedded store, but this server answers from "
            f"{endpoint.active.name}; run `eskg serve --store embedded` "
            f"(GraphQL at {GRAPHQL_PATH} answers on either store)"
        )
    return endpoint.embedded


@router.get(
    "/sparql",
    summary="SPARQL 1.1 query (read-only) over the embedded store",
    response_class=Response,
)
async def sparql_get(request: Request, endpoint: EndpointDep) -> Response:
    params = request.query_params
    if params.getlist("update"):
        raise UpdateNotAllowedError(update_message())
    fmt = result_format(params.getlist("format") + params.getlist("output"))
    query = _one(params.getlist("query"), "query")
    if query is None:
        # no query: the service description (RDF), or the query page for a browser
        return await run_in_threadpool(
            describe_service,
            request,
            endpoint.settings,
            endpoint.base,
            sparql_store(endpoint),
            fmt,
        )
    return await answer(
        request,
        endpoint,
        query,
        params.getlist("default-graph-uri"),
        params.getlist("named-graph-uri"),
        fmt,
    )


@router.post(
    "/sparql",
    summary="SPARQL 1.1 query by POST: form `query=` or an application/sparql-query body",
    response_class=Response,
)
async def sparql_post(request: Request, endpoint: EndpointDep) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    params = request.query_params
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"the request body is not UTF-8: {exc}") from exc
    query_fmt = params.getlist("format") + params.getlist("output")
    if content_type == "application/x-www-form-urlencoded":
        form = parse_qs(text, keep_blank_values=True)
        if form.get("update"):
            raise UpdateNotAllowedError(update_message())
        return await answer(
            request,
            endpoint,
            _one(form.get("query", []), "query"),
            form.get("default-graph-uri", []) + params.getlist("default-graph-uri"),
            form.get("named-graph-uri", []) + params.getlist("named-graph-uri"),
            result_format(query_fmt + form.get("format", []) + form.get("output", [])),
        )
    if content_type == "application/sparql-query":
        return await answer(
            request,
            endpoint,
            text,
            params.getlist("default-graph-uri"),
            params.getlist("named-graph-uri"),
            result_format(query_fmt),
        )
    if content_type == "application/sparql-update":
        raise UpdateNotAllowedError(update_message())
    raise UnsupportedMediaTypeError(
        f"POST a SPARQL query as application/x-www-form-urlencoded (query=...) or "
        f"application/sparql-query, not {content_type or 'a body without Content-Type'!r}"
    )
