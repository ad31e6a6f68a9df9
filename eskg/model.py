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


@dataclass
class Reads:
    """What one batched read found: entities (with the documents of the citations found),
    relation lists, and citations; an IRI that is not there is left out."""

    entities: dict[str, EntityData] = field(default_factory=dict)
    relations: dict[str, list[RelationData]] = field(default_factory=dict)
    citations: dict[str, CitationData] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """A level of an answer read ahead (``Store.read_ahead``): the entities linked from the
    level before by one of ``links`` (property name, ``"OUT"`` or ``"IN"``), and the
    relations of those linked by one of ``expand`` (the links whose selection goes on
    below, a subset of ``links``)."""

    links: frozenset[tuple[str, str]]
    expand: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Projection:
    """Which of an entity's statements a read must return (``Store.read`` and the other
    batched reads take one): its classes always, the literals of ``literals`` (property
    name and language tag, ``None`` for a literal without one), its citations when
    ``citations`` is true, and its relations of ``links`` (with their citations when
    ``relation_citations`` is true). A store may return more; Neo4j returns only these, since
    reading, sending and decoding every property of every entity of an answer cost more
    than the rest of a request that needs only their labels."""

    literals: frozenset[tuple[str, str | None]] = frozenset()
    citations: bool = False
    #: the object properties whose relations a read returns (None: every one), and
    #: whether it returns the relations' citations
    links: frozenset[str] | None = None
    relation_citations: bool = True


@dataclass
class Ahead:
    """What ``Store.read_ahead`` found, and every IRI whose entity (``entities``) or
    relations (``relations``) it asked for: an IRI asked and not found is not there."""

    reads: Reads
    entities: list[str]
    relations: list[str]


@dataclass
class StoreStats:
    """Counts per class and per relation."""

    classes: dict[str, int] = field(default_factory=dict)
    relations: dict[str, int] = field(default_factory=dict)
    entities: int = 0
    statements: int = 0
