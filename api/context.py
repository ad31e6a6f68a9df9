"""Per-request GraphQL context: the store and DataLoaders that batch its reads.

Every resolver asks a loader, never the store directly, so a request that touches a
hundred entities costs one store call per kind of read and per depth level (no N+1).
Store calls are blocking (Neo4j's driver, Oxigraph), so they run in worker threads.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from eskg.config import Settings
from eskg.errors import QueryLimitError
from eskg.model import CitationData, EntityData, RelationData
from eskg.store.base import Store


async def in_thread(func: Any, *args: Any, timeout: float | None = None) -> Any:
    """Run a blocking store call off the event loop, giving up after ``timeout`` seconds.

    Oxigraph cannot cancel a running query, so on a timeout the worker thread finishes in
    the background while the request gets a clear error at once.
    """
    try:
        return await asyncio.wait_for(asyncio.to_thread(func, *args), timeout)
    except TimeoutError:
        raise QueryLimitError(
            timeout_message(timeout, getattr(func, "__name__", "query"))
        ) from None


def timeout_message(timeout: float | None, what: str) -> str:
    """What a client is told when the store did not answer in time."""
    return (
        f"the store took longer than {timeout} s to answer ({what}); "
        "narrow the question or raise ESKG_QUERY_TIMEOUT"
    )


@dataclass
class Context(BaseContext):
    """What every resolver sees."""

    store: Store
    settings: Settings
    entity: DataLoader[str, EntityData | None] = field(init=False)
    relations: DataLoader[str, list[RelationData]] = field(init=False)
    citation: DataLoader[str, CitationData | None] = field(init=False)

    def __post_init__(self) -> None:
        super().__init__()
        self._new_loaders()

    def _new_loaders(self) -> None:
        store = self.store
        limit = self.settings.query_timeout

        async def load_entities(iris: list[str]) -> list[EntityData | None]:
            found = await in_thread(store.entities, iris, timeout=limit)
            return [found.get(i) for i in iris]

        async def load_relations(iris: list[str]) -> list[list[RelationData]]:
            found = await in_thread(store.relations, iris, timeout=limit)
            return [found.get(i, []) for i in iris]

        async def load_citations(iris: list[str]) -> list[CitationData | None]:
            found = await in_thread(store.citations, iris, timeout=limit)
            return [found.get(i) for i in iris]

        self.entity = DataLoader(load_fn=load_entities)
        self.relations = DataLoader(load_fn=load_relations)
        self.citation = DataLoader(load_fn=load_citations)

    def release(self) -> None:
        """Drop what the loaders hold once the answer is built.

        graphql-core's execution context refers to itself (a cycle), and to this context
        through it: without this, the request's entities, relations and their futures
        stay until a full garbage collection, which then holds the interpreter for
        100-500 ms at a time under expensive requests (and the memory grows until it runs).
        """
        self._new_loaders()  # empty ones: the old ones, with all they hold, are freed now

    async def run(self, func: Any, *args: Any) -> Any:
        """A blocking store call with the configured query timeout."""
        return await in_thread(func, *args, timeout=self.settings.query_timeout)
