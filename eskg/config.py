"""One settings object for the whole project.

Every field reads from the environment with the ``ESKG_`` prefix (``ESKG_STORE=neo4j``),
except the Neo4j connection, which uses the names every Neo4j tool knows
(``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``). ``docs/settings.md`` lists them all.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from eskg import paths


class Settings(BaseSettings):
    """Configuration of the loaders, the stores and the API."""

    model_config = SettingsConfigDict(env_prefix="ESKG_", extra="ignore", populate_by_name=True)

    # Which store answers GraphQL: the embedded Oxigraph store needs no server.
    store: Literal["embedded", "neo4j"] = "embedded"
    # Curated YAML files, ontology and query files (defaults: the bundled folders).
    data_dir: Path = paths.DATA_DIR
    ontology_dir: Path = paths.ONTOLOGY_DIR
    queries_dir: Path = paths.QUERIES_DIR
    # Folder of source documents whose text is stored, for the verbatim quote check.
    sources_dir: Path = paths.SOURCES_DIR
    # On-disk folder of the embedded store; empty means in memory, rebuilt at start.
    embedded_path: Path | None = None
    # On-disk store /sparql answers from when Neo4j serves GraphQL, opened read-only by every
    # process; empty: ESKG_EMBEDDED_PATH if set, else one `eskg serve` writes from the bundled
    # data into ESKG_CACHE_DIR before it starts its processes.
    sparql_path: Path | None = None
    # Cache of validated data (N-Quads keyed by a hash of data, ontology and loader code).
    cache_dir: Path = Path.home() / ".cache" / "eskg"
    # Base of entity IRIs; short ids in the data are appended to it.
    base_iri: str = "https://w3id.org/eskg/id/"

    # Neo4j connection (plain names, as Neo4j's own tools use them).
    neo4j_uri: str = Field(
        "bolt://127.0.0.1:7687", validation_alias=AliasChoices("NEO4J_URI", "ESKG_NEO4J_URI")
    )
    neo4j_user: str = Field("neo4j", validation_alias=AliasChoices("NEO4J_USER", "ESKG_NEO4J_USER"))
    neo4j_password: str = Field(
        "", validation_alias=AliasChoices("NEO4J_PASSWORD", "ESKG_NEO4J_PASSWORD"), repr=False
    )
    neo4j_database: str = "neo4j"
    # Rows per UNWIND batch when writing to Neo4j.
    neo4j_batch_size: int = 1000

    # The local Neo4j run by `eskg neo4j start`: jar cache and server home, ports, memory.
    neo4j_home: Path = Path.home() / ".cache" / "eskg" / "neo4j"
    neo4j_version: str = "5.26.0"
    neo4j_browser_version: str = "5.24.0"
    neo4j_bolt_port: int = 7687
    neo4j_http_port: int = 7474
    # Heap and page cache; a one-transaction load of 1M triples needs about a 3 GB heap.
    neo4j_heap: str = "3g"
    neo4j_pagecache: str = "1g"
    # Seconds to wait for Bolt to answer after `eskg neo4j start`.
    neo4j_start_timeout: float = 120.0

    # HTTP service.
    host: str = "127.0.0.1"
    port: int = 8000
    # Processes `eskg serve` answers requests in. 0 chooses: on Neo4j one per core (at most
    # 8), since one Python process runs on one core at a time; on the embedded store 1,
    # the only count it takes (the store lives inside the process that serves it).
    workers: int = Field(0, ge=0)
    # One line per request on stdout (uvicorn's access log). Off by default, as in Apollo
    # Server and most servers behind a proxy: writing it cost 7-11% of the requests a second
    # a process answers (bench/notes.md); start-up, warnings and errors are logged anyway.
    access_log: bool = False
    # GraphQL limits: query depth, aliases, and the largest page a list may return.
    graphql_max_depth: int = 10
    graphql_max_aliases: int = 30
    graphql_max_tokens: int = 2000
    # Answer GraphQL requests that read only entities, labels, literals, links and citations
    # with the compiled executor (api/compiled_exec.py) instead of graphql-core's per-field
    # one; other requests, and every error, are answered by strawberry as before.
    graphql_compiled: bool = True
    # Run a compiled GraphQL request that starts from IRIs (not a search) on the event
    # loop's thread when no other request is in flight in the process and the store ends
    # slow reads itself (Neo4j): a worker thread's hand-off cost about 0.2 ms a request.
    graphql_inline_when_idle: bool = True
    # Most objects a GraphQL query may ask for, estimated from nested list sizes.
    graphql_max_cost: int = 20000
    max_page_size: int = 200
    # Seconds a single store query may run before it is cancelled (a request answered by the
    # compiled executor in a worker thread: all of its queries together).
    query_timeout: float = 10.0
    # Seconds a whole request may take, all of its store reads and its encoding together;
    # past it the client gets 503 and the request's remaining reads never start (Neo4j's
    # are given the time left as their transaction timeout).
    request_timeout: float = Field(15.0, gt=0)
    # Largest GraphQL answer (bytes, counted as it is filled); a larger one is refused with
    # 400 before it is built. 0: no limit.
    max_response_bytes: int = Field(16_777_216, ge=0)
    # GraphQL requests whose computed cost is above this are "expensive": they run at most
    # ESKG_EXPENSIVE_PER_CLIENT at a time per client address and ESKG_EXPENSIVE_CONCURRENCY
    # at a time in all, and wait for a slot (until ESKG_REQUEST_TIMEOUT); cheaper requests
    # never wait for them. The default is a quarter of ESKG_GRAPHQL_MAX_COST: above every
    # contract question (a flagship answer with its paths and citations: about 2,900),
    # below the largest requests (up to the limit), so that a client asking flagship
    # questions in parallel is not made to take turns.
    graphql_expensive_cost: int = Field(5000, ge=0)
    expensive_per_client: int = Field(1, ge=1)
    expensive_concurrency: int = Field(1, ge=1)
    # Seconds /sparql waits for a query before answering 503 (the engine may finish it later).
    sparql_timeout: float = 10.0
    # Most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) /sparql returns; more are cut off.
    sparql_result_cap: int = 10000

    # Connections and tasks `eskg serve` (uvicorn) takes at once; past it new ones get 503
    # at once: the bound on what slow or idle clients can hold. Behind a proxy, its own
    # header and body timeouts guard slow clients first (docs/security.md, "Slow clients").
    http_limit_concurrency: int = Field(1000, ge=1)
    # Seconds `eskg serve` keeps an idle connection open between requests.
    http_keep_alive_seconds: int = Field(5, ge=1)
    # Seconds `eskg serve` with several processes gives a new process to start and answer the
    # supervisor's health check, and a running one to answer it. A spawned process imports the
    # app first: uvicorn's 5 s default killed and restarted processes in a loop on a loaded machine.
    worker_healthcheck_seconds: int = Field(60, ge=1)

    # Public address of the API (https://example.org/eskg), under which the dataset description,
    # the SPARQL service description and the JSON-LD context name /sparql, /dumps/ and the rest;
    # empty: the address each request reached the server at (`eskg export`: http://HOST:PORT).
    public_url: str = ""
    # IRI of the dataset in its DCAT/VoID description (graph <dataset_iri>/description).
    dataset_iri: str = "https://w3id.org/eskg/dataset"
    # Licence of the curated data, stated in every dump (CC BY 4.0).
    data_license: str = "https://creativecommons.org/licenses/by/4.0/"
    # Seconds /dumps/ and /.well-known/void reuse an export before reading the store again.
    dumps_cache_seconds: float = 300.0

    # Megabytes of whole GraphQL responses kept for repeated requests; 0 turns the cache off.
    # The cache empties itself when the data changes (see docs/benchmarks.md, "How it is fast").
    response_cache_mb: int = 64
    # Seconds between checks of the Neo4j data version (an answer may be this stale after a
    # load by another process); the embedded store is checked on every request at no cost.
    response_cache_check_seconds: float = 1.0

    # Access. Origins allowed by CORS, comma-separated ("*" for any); empty: no CORS headers.
    cors_origins: str = ""
    # Token an administrative endpoint (reload, export) must receive as a Bearer; empty: none.
    admin_token: str = Field("", repr=False)
    # Largest HTTP request body accepted (bytes); larger requests get 413 before parsing.
    max_body_bytes: int = 1_048_576


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings read once from the environment."""
    return Settings()
