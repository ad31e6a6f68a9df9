"""Plain data returned by every store, so the API never sees a store's own types."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Lit:
    """A literal value: lexical form, language tag or datatype IRI."""

    value: str
    lang: str | None = None
    datatype: str | None = None


@dataclass
class EntityData:
    """An entity's own statements: asserted classes, literals, and the record's citations."""

    iri: str
    types: list[str] = field(default_factory=list)  # asserted class local names
    literals: list[tuple[str, Lit]] = field(default_factory=list)  # (property name, value)
    citations: list[str] = field(default_factory=list)

    def values(self, prop: str) -> list[Lit]:
        """Values of one property."""
        return [lit for name, lit in self.literals if name == prop]


@dataclass(frozen=True)
class RelationData:
    """One relation seen from an entity: outgoing (``OUT``) or incoming (``IN``)."""

    prop: str
    direction: str
    other: str
    citations: tuple[str, ...]
    #: The first and last dates on which the relation holds (ISO ``YYYY-MM-DD``), when
    #: its source bounds it (``eskg:validFrom`` / ``eskg:validUntil`` on its graph).
    valid_from: str | None = None
    valid_until: str | None = None


@dataclass(frozen=True)
class CitationData:
    """A citation: the document, where in it, and the verbatim words."""

    iri: str
    document: str
    locator: str | None
    quote: str | None


@dataclass(frozen=True)
class PathAnswer:
    """An answer to a flagship question: the measure and the chain that links it."""

    measure: str
    nodes: tuple[str, ...]  # from the measure to the asked entity
    edge_citations: tuple[tuple[str, ...], ...]  # one tuple of citation IRIs per edge
    #: per edge, its (validFrom, validUntil) as ISO dates or None where unbounded
    edge_validity: tuple[tuple[str | None, str | None], ...] = ()


@dataclass(frozen=True)
class Hop:
    """One hop of a traversal (``Store.traverse``): from the nodes whose links the hop
    before read (or the start), to the nodes at the other end of the links of one of
    ``follow`` (property name, ``"OUT"`` or ``"IN"``); the links are read in turn of the
    nodes reached by one of ``expand`` (a subset of ``follow``), for the next hop."""

    follow: frozenset[tuple[str, str]]
    expand: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Projection:
    """Which of a node's statements a traversal must return: its classes always, the
    literals of ``literals`` (property name and language tag, ``None`` for a literal
    without one), its citations when ``citations`` is true, and its links of the object
    properties ``links`` (``None``: every one), with their citations when
    ``link_citations`` is true. A store may return more; Neo4j returns only these, since
    reading, sending and decoding every property of every node cost more than the rest
    of a request that needs only their labels."""

    literals: frozenset[tuple[str, str | None]] = frozenset()
    citations: bool = False
    links: frozenset[str] | None = None
    link_citations: bool = True


@dataclass(frozen=True)
class FromNodes:
    """A traversal that starts at nodes by IRI: reads the nodes ``nodes``, the links of
    ``links`` (which the first hop follows) and the citations ``citations`` with the
    nodes of their documents."""

    nodes: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()


@dataclass(frozen=True)
class FromSearch:
    """A traversal that starts at the nodes whose labels match ``text`` (``Store.search``),
    best first; their links are read when there are hops to follow."""

    text: str
    classes: tuple[str, ...] | None = None
    limit: int = 20


@dataclass(frozen=True)
class FromQuestion:
    """A traversal that starts at the answers of a named path question (``Store.paths``)
    for one target: reads the first node of every path, the nodes on the paths when
    ``path_nodes``, the citations of the paths' edges (with their documents) when
    ``edge_citations``, and the first nodes' links when there are hops to follow."""

    question: str
    target: str
    path_nodes: bool = True
    edge_citations: bool = True


#: Where a traversal starts.
Start = FromNodes | FromSearch | FromQuestion


@dataclass
class Traversal:
    """What ``Store.traverse`` found: the start's own results (``found`` for a search,
    ``answers`` for a path question), the nodes, link lists and citations read, and
    every IRI whose node, links or citation it asked for (an IRI asked and not found is
    not there; the documents of the citations are read without being asked)."""

    found: list[str] = field(default_factory=list)
    answers: list[PathAnswer] = field(default_factory=list)
    entities: dict[str, EntityData] = field(default_factory=dict)
    relations: dict[str, list[RelationData]] = field(default_factory=dict)
    citations: dict[str, CitationData] = field(default_factory=dict)
    asked_entities: list[str] = field(default_factory=list)
    asked_relations: list[str] = field(default_factory=list)
    asked_citations: list[str] = field(default_factory=list)


@dataclass
class StoreStats:
    """Counts per class and per relation."""

    classes: dict[str, int] = field(default_factory=dict)
    relations: dict[str, int] = field(default_factory=dict)
    entities: int = 0
    statements: int = 0
