"""The list bounds of the data, counted by the load that writes it.

The GraphQL cost limit counts a list that has no page (``relations`` without a limit,
the link fields) at the most the data holds for it: the most relations one entity has
(both directions), and per property and direction the most links one entity has. Those
are aggregates over every relation; a load counts them as it streams its relations
(``BoundsCounter``) and stores them with the data, so a server reads them back cheaply
(``Store.list_bounds``) instead of running the aggregate on its first request.

A relation is a statement between two entities in a named graph (not the ontology's),
other than ``rdf:type``: each quad counts once for its subject (``OUT``) and once for
its object (``IN``), as the ``max_degree`` and ``max_links`` queries count them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

OUT, IN = "OUT", "IN"


@dataclass(frozen=True)
class DataBounds:
    """``relations``: the most relations one entity has, both directions;
    ``links[(property name, direction)]``: the most links of that property one entity
    has in that direction (``OUT`` or ``IN``)."""

    relations: int = 0
    links: Mapping[tuple[str, str], int] = field(default_factory=dict)


class BoundsCounter:
    """Counts relations as a load streams them; ``bounds()`` gives the maxima.

    Entities are numbered as they come, so the counts are held per number, not per IRI
    (one copy of each IRI, in the numbering)."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._degree: list[int] = []
        #: (property name, direction) -> entity number -> links
        self._links: dict[tuple[str, str], dict[int, int]] = {}

    def _id(self, iri: str) -> int:
        found = self._ids.get(iri)
        if found is None:
            found = self._ids[iri] = len(self._degree)
            self._degree.append(0)
        return found

    def add(self, subject: str, prop: str, obj: str) -> None:
        """One relation ``subject prop obj`` (``prop`` the property's name)."""
        s, o = self._id(subject), self._id(obj)
        degree = self._degree
        degree[s] += 1
        degree[o] += 1
        links = self._links
        out = links.get((prop, OUT))
        if out is None:
            out = links[(prop, OUT)] = {}
            links[(prop, IN)] = {}
        out[s] = out.get(s, 0) + 1
        into = links[(prop, IN)]
        into[o] = into.get(o, 0) + 1

    def bounds(self) -> DataBounds:
        """The maxima of what was added."""
        return DataBounds(
            max(self._degree, default=0),
            {key: max(counts.values()) for key, counts in self._links.items()},
        )
