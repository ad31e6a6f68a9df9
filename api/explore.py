"""Exploration helpers behind GraphQL: time filters, shortest paths, the ontology legend.

Shortest paths are found by breadth-first search over relations in both directions,
one batched store call per level, so they work the same on every store. The legend's
colours and the dates an ``asOf`` compares come from the ontology (``eskg.vocab``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

from eskg.model import RelationData

#: Largest number of entities a path search visits before it gives up.
MAX_VISITED = 5000


def holds_on(valid_from: str | None, valid_until: str | None, as_of: date) -> bool:
    """Whether a relation bounded by these ISO dates (None: unbounded) holds on ``as_of``:
    from its first day through its last, both included."""
    try:
        if valid_from is not None and date.fromisoformat(valid_from) > as_of:
            return False
        if valid_until is not None and date.fromisoformat(valid_until) < as_of:
            return False
    except ValueError:
        return True  # the loader writes only dates; an unreadable bound does not hide
    return True


def relation_holds_on(rel: RelationData, as_of: date) -> bool:
    """Whether a relation holds on ``as_of`` (``holds_on`` of its validity)."""
    return holds_on(rel.valid_from, rel.valid_until, as_of)


@dataclass(frozen=True)
class Step:
    """One edge of a found path, oriented as stored."""

    relation: RelationData
    source: str


RelationsLoader = Callable[[list[str]], Awaitable[list[list[RelationData]]]]


async def shortest_paths(
    load: RelationsLoader, start: str, goal: str, max_length: int, limit: int
) -> list[list[Step]]:
    """Up to ``limit`` shortest paths (at most ``max_length`` edges) from start to goal."""
    if start == goal:
        return [[]]
    parents: dict[str, list[Step]] = {start: []}
    frontier = [start]
    for _ in range(max_length):
        if not frontier or len(parents) > MAX_VISITED:
            break
        found_goal = False
        next_level: dict[str, list[Step]] = {}
        for node, rels in zip(frontier, await load(frontier)):
            for rel in rels:
                if rel.other in parents:
                    continue
                next_level.setdefault(rel.other, []).append(Step(rel, node))
                found_goal = found_goal or rel.other == goal
        parents.update(next_level)
        if found_goal:
            return _unwind(parents, start, goal, limit)
        frontier = sorted(next_level)
    return []


def _unwind(parents: dict[str, list[Step]], start: str, goal: str, limit: int) -> list[list[Step]]:
    """Paths from start to goal following the recorded parent steps, in a stable order."""
    paths: list[list[Step]] = []

    def walk(node: str, suffix: list[Step]) -> None:
        if len(paths) >= limit:
            return
        if node == start:
            paths.append(list(reversed(suffix)))
            return
        for step in sorted(parents[node], key=lambda s: (s.source, s.relation.prop)):
            walk(step.source, [*suffix, step])

    walk(goal, [])
    return paths
