"""The flagship questions' answers, shared by the strawberry resolvers (``api/schema.py``)
and the compiled executor (``api/compiled_exec.py``): what to read with the paths, and
which measures answer."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection

from api.explore import holds_on
from eskg.model import EntityData, PathAnswer
from eskg.store.base import flagship_reads
from eskg.vocab import FLAGSHIP_QUESTIONS, Vocabulary


def field_name(question: str) -> str:
    """The GraphQL root field of a flagship question: its name in camelCase."""
    head, *rest = question.split("_")
    return head + "".join(w.capitalize() for w in rest)


#: GraphQL root field -> (flagship question, argument naming the asked entity).
FLAGSHIP = {field_name(q.question): (q.question, q.parameter) for q in FLAGSHIP_QUESTIONS}


def prefetch(
    found: list[PathAnswer], wanted: Collection[str] | None
) -> tuple[list[str], list[str]]:
    """The entities and citations to read in the paths' round: the measures, and the
    path entities and edge citations when the selection (None: unknown) reads them."""
    return flagship_reads(
        found, wanted is None or "path" in wanted, wanted is None or "sources" in wanted
    )


def answering(
    found: list[PathAnswer],
    data_of: Callable[[str], EntityData | None],
    as_of: datetime.date | None,
    vocab: Vocabulary,
) -> list[tuple[PathAnswer, EntityData, tuple[str, ...]]]:
    """The answers whose measure is known and applies on ``as_of`` and every edge of
    whose path holds on it (an edge bounded by ``validFrom``/``validUntil`` that does not
    excludes the answer), with the measure's data and the citations of every edge of the
    path (each once)."""
    out = []
    for a in found:
        data = data_of(a.measure)
        if data is None:
            continue
        if as_of is not None and not (
            vocab.applies_on(data, as_of) and all(holds_on(f, u, as_of) for f, u in a.edge_validity)
        ):
            continue
        out.append((a, data, tuple(dict.fromkeys(x for edge in a.edge_citations for x in edge))))
    return out
