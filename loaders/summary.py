"""What a load wrote, as ``eskg load`` says it."""

from __future__ import annotations

from dataclasses import dataclass

from eskg.store.base import Store


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
