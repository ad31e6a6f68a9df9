"""Stores behind one interface: :class:`eskg.store.base.Store`."""

from __future__ import annotations

from eskg.config import Settings
from eskg.ontology import load_ontology
from eskg.queries import load_library
from eskg.store.base import Store
from eskg.store.embedded import EmbeddedStore
from eskg.store.neo4j import Neo4jStore


def open_store(settings: Settings, kind: str | None = None) -> Store:
    """The configured store (``settings.store``), or the one named by ``kind``."""
    onto = load_ontology(settings.ontology_dir)
    queries = load_library(settings.queries_dir)
    chosen = kind or settings.store
    if chosen == "neo4j":
        return Neo4jStore(onto, queries, settings)
    return EmbeddedStore(onto, queries, settings.embedded_path)
