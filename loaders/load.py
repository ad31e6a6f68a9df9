"""``eskg load``: validated RDF into the chosen stores, with a summary."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from eskg.config import Settings
from eskg.store import open_store
from eskg.store.base import Store
from loaders.pipeline import Progress, build


@dataclass
class LoadSummary:
    """What one load wrote."""

    store: str
    entities: int
    relations: int
    statements: int
    seconds: float

    def __str__(self) -> str:
        return (
            f"{self.store}: {self.entities} entities, {self.relations} relationships, "
            f"{self.statements} statements (quads) in {self.seconds:.2f} s"
        )


def summarise(store: Store, kind: str, statements: int, seconds: float) -> LoadSummary:
    """What a store holds after a load, as the summary says it."""
    stats = store.stats()
    return LoadSummary(
        kind, stats.entities, sum(stats.relations.values()), statements or stats.statements, seconds
    )


def load(
    settings: Settings,
    stores: list[str],
    data_dir: Path | None = None,
    progress: Progress = lambda _: None,
) -> list[LoadSummary]:
    """Validate once, then replace the content of each store; nothing is written on error."""
    start = time.perf_counter()
    built = build(settings, data_dir, progress)
    summaries = []
    for kind in stores:
        store = open_store(settings, kind)
        try:
            progress(f"writing to the {kind} store")
            store.replace_all(built.compiled.dataset)
            summaries.append(summarise(store, kind, built.quads, time.perf_counter() - start))
        finally:
            store.close()
    return summaries
