"""Shared fixtures: settings, the bundled data built once, and a real Neo4j.

Neo4j: unless ``NEO4J_URI`` is set (then that server is used), one local Neo4j 5.26 is
started for the whole session from the cached Maven Central jars, in a temporary home
on free ports, and stopped at the end. Tests that write clear the graph first
(``empty_neo4j``); tests that read take ``loaded_neo4j``, which loads the bundled data
again only when the graph is not the one it loaded last (so a test that writes into the
graph directly, not through a load, must take ``empty_neo4j`` and load it itself).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from eskg.config import Settings
from eskg.ontology import Ontology, load_ontology
from eskg.queries import load_library
from eskg.store.base import Store
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore
from loaders.pipeline import Built, build

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def onto(settings: Settings) -> Ontology:
    return load_ontology(settings.ontology_dir)


@pytest.fixture(scope="session")
def built(settings: Settings) -> Built:
    """The bundled curated data, validated once."""
    return build(settings)


@pytest.fixture(scope="session")
def embedded(settings: Settings, onto: Ontology, built: Built) -> EmbeddedStore:
    store = EmbeddedStore(onto, load_library(settings.queries_dir))
    store.replace_all(built.compiled.dataset)
    return store


@pytest.fixture(scope="session")
def neo4j_settings(
    tmp_path_factory: pytest.TempPathFactory, settings: Settings
) -> Iterator[Settings]:
    """Settings pointing at a running Neo4j: NEO4J_URI if given, else a local one we start."""
    if os.environ.get("NEO4J_URI"):
        yield settings
        return
    from cli import neo4j_runtime

    cfg = neo4j_runtime.RuntimeConfig.scratch(
        tmp_path_factory.mktemp("neo4j-home"), settings=settings
    )
    status = neo4j_runtime.start(cfg)
    try:
        yield settings.model_copy(update={"neo4j_uri": status.bolt_uri, "neo4j_password": ""})
    finally:
        neo4j_runtime.stop(cfg)


@pytest.fixture(scope="session")
def neo4j_store(neo4j_settings: Settings, onto: Ontology) -> Iterator[Neo4jStore]:
    store = Neo4jStore(onto, load_library(neo4j_settings.queries_dir), neo4j_settings)
    yield store
    store.close()


@dataclass
class LoadedGraph:
    """The ``data_version`` of the session Neo4j right after ``loaded_neo4j`` loaded it."""

    version: object | None = None


@pytest.fixture(scope="session")
def loaded_graph() -> LoadedGraph:
    return LoadedGraph()


@pytest.fixture()
def empty_neo4j(neo4j_store: Neo4jStore, loaded_graph: LoadedGraph) -> Neo4jStore:
    """The Neo4j store with an empty graph (per-test cleanup)."""
    loaded_graph.version = None
    with neo4j_store.driver.session() as session:
        session.run("MATCH (n) DETACH DELETE n").consume()
    return neo4j_store


@pytest.fixture()
def loaded_neo4j(neo4j_store: Neo4jStore, built: Built, loaded_graph: LoadedGraph) -> Neo4jStore:
    """The Neo4j store holding exactly the bundled data.

    Loaded again unless the graph is still the one this fixture loaded: its data version
    (node and relationship counts and the stamp of the last load, whichever process made
    it) is the one read right after that load.
    """
    if loaded_graph.version is None or neo4j_store.data_version() != loaded_graph.version:
        loaded_graph.version = None
        with neo4j_store.driver.session() as session:
            session.run("MATCH (n) DETACH DELETE n").consume()
        neo4j_store.replace_all(built.compiled.dataset)
        loaded_graph.version = neo4j_store.data_version()
    return neo4j_store


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store_and_settings(
    request: pytest.FixtureRequest, settings: Settings, embedded: EmbeddedStore
) -> tuple[Store, Settings]:
    """Each store, loaded with the bundled data, with the settings that reach it."""
    if request.param == "neo4j":
        return request.getfixturevalue("loaded_neo4j"), request.getfixturevalue("neo4j_settings")
    return embedded, settings


@pytest.fixture(
    params=[
        ("embedded", True),
        ("embedded", False),
        pytest.param(("neo4j", True), marks=pytest.mark.neo4j),
    ],
    ids=["embedded-compiled", "embedded-strawberry", "neo4j-compiled"],
)
def cost_client(
    request: pytest.FixtureRequest, settings: Settings, embedded: EmbeddedStore
) -> Iterator[TestClient]:
    """The app on each store and executor, every request executed (no response cache)."""
    store_name, compiled = request.param
    store: Store = embedded
    if store_name == "neo4j":
        store = request.getfixturevalue("loaded_neo4j")
        settings = request.getfixturevalue("neo4j_settings")
    settings = settings.model_copy(update={"graphql_compiled": compiled, "response_cache_mb": 0})
    with TestClient(create_app(settings, store)) as c:
        yield c
