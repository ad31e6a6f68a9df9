"""The vocabulary the code reads from the ontology, in one place.

Which date properties say when something starts or stops applying, the allowed values of
a property (its SKOS concept scheme), the colour of every class, and the terms the code
names: all are read from ``ontology/eskg.ttl`` here, so the API, the stores, the shapes
and the explorer (through GraphQL ``vocabulary``) never spell them out. :func:`vocabulary`
refuses an ontology that lacks a term the code relies on, so a rename fails at start-up
with the missing names instead of silently later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rdflib import Literal

from eskg.errors import ConfigurationError
from eskg.model import EntityData
from eskg.ontology import ESKG, SKOS, Ontology

#: The root class: every entity is one.
ROOT_CLASS = "Entity"
#: The classes the code treats apart: a citation is a record's source, not an entity of the
#: graph; a measure is what the flagship questions answer; a document is what a citation cites.
CITATION_CLASS = "Citation"
MEASURE_CLASS = "Measure"
DOCUMENT_CLASS = "Document"

#: The property whose values are an entity's names, one per language, and its other names.
LABEL = "prefLabel"
ALT_LABEL = "altLabel"
#: The first and last dates on which a relation holds (on the relation's graph).
VALID_FROM = "validFrom"
VALID_UNTIL = "validUntil"
#: The property linking a statement to the citations of its source.
CITATION_PROPERTY = "citation"

#: Ontology terms the code names (classes and properties by local name). Every one must be
#: in the ontology; :func:`vocabulary` checks it.
CODE_TERMS = (
    # classes
    ROOT_CLASS,
    "Material",
    "SpecifiedCriticalMaterial",
    "Technology",
    MEASURE_CLASS,
    "Certification",
    DOCUMENT_CLASS,
    CITATION_CLASS,
    "Figure",
    # properties
    LABEL,
    ALT_LABEL,
    "description",
    "status",
    "datePrecision",
    VALID_FROM,
    VALID_UNTIL,
    "url",
    "quote",
    "locator",
    "document",
    CITATION_PROPERTY,
    "coversMaterial",
    "coversTechnology",
    "recipient",
    "partOf",
    "legalBasis",
    "hasFigure",
    "memberOf",
    "value",
    "unit",
    "approximate",
    "figureKind",
)


@dataclass(frozen=True)
class FlagshipQuestion:
    """A flagship question: the measures that cover an entity of a class, with the path
    that links them and its citations. The one registry of them; stores, GraphQL and the
    explorer (through GraphQL ``vocabulary``) read it from here."""

    #: The named query (``queries/NAME.cypher`` and ``.rq``).
    question: str
    #: Its parameter naming the asked entity.
    parameter: str
    #: The class of the asked entity.
    target_class: str


FLAGSHIP_QUESTIONS = (
    FlagshipQuestion("measures_covering_technology", "technology", "Technology"),
    FlagshipQuestion("measures_covering_material", "material", "Material"),
)

#: The colour of anything whose class has none (also when the ontology gives none).
FALLBACK_COLOUR = "#555555"


@dataclass(frozen=True)
class Vocabulary:
    """What the code reads from the ontology."""

    #: Date properties that say when an entity started to apply, in order of preference.
    start_dates: tuple[str, ...]
    #: Date properties that say when it stopped applying.
    end_dates: tuple[str, ...]
    #: The allowed values of a property whose values come from a concept scheme.
    values: dict[str, tuple[str, ...]]
    #: A colour per class: its own ``eskg:colour`` or that of its nearest ancestor.
    colours: dict[str, str]
    #: The classes offered first where a client picks a type (``eskg:offerRank``), in order.
    offered: tuple[str, ...] = ()

    def start_date(self, data: EntityData) -> date | None:
        """When the entity started to apply or happened, if the data says."""
        for prop in self.start_dates:
            for lit in data.values(prop):
                try:
                    return date.fromisoformat(lit.value)
                except ValueError:
                    continue
        return None

    def applies_on(self, data: EntityData, as_of: date) -> bool:
        """False for an entity that started after ``as_of`` or ended before it; an undated
        one applies."""
        begun = self.start_date(data)
        if begun is not None and begun > as_of:
            return False
        for prop in self.end_dates:
            for lit in data.values(prop):
                try:
                    if date.fromisoformat(lit.value) < as_of:
                        return False
                except ValueError:
                    continue
        return True


def _ranked(onto: Ontology, role: str) -> tuple[str, ...]:
    g = onto.graph
    found: list[tuple[int, str]] = []
    for prop in onto.properties.values():
        if g.value(prop.iri, ESKG.validityRole) == Literal(role):
            rank = g.value(prop.iri, ESKG.validityRank)
            found.append((int(str(rank)) if rank is not None else 0, prop.name))
    return tuple(name for _, name in sorted(found))


def _scheme_values(onto: Ontology) -> dict[str, tuple[str, ...]]:
    g = onto.graph
    out: dict[str, tuple[str, ...]] = {}
    for prop in onto.properties.values():
        scheme = g.value(prop.iri, ESKG.valuesFrom)
        if scheme is None:
            continue
        notations = sorted(
            (str(g.value(concept, SKOS.notation)), str(concept))
            for concept in g.subjects(SKOS.inScheme, scheme)
            if g.value(concept, SKOS.notation) is not None
        )
        if not notations:
            raise ConfigurationError(
                f"ontology: {prop.name} takes its values from {scheme}, which has no concept "
                "with a skos:notation; add them (skos:inScheme, skos:notation)"
            )
        # the scheme's order in the file is not kept by RDF; keep the concepts' IRIs' order
        out[prop.name] = tuple(n for n, _ in sorted(notations, key=lambda x: x[1]))
    return out


def _offered(onto: Ontology) -> tuple[str, ...]:
    g = onto.graph
    ranked = sorted(
        (int(str(rank)), name)
        for name, cls in onto.classes.items()
        if (rank := g.value(cls.iri, ESKG.offerRank)) is not None
    )
    return tuple(name for _, name in ranked)


def _colours(onto: Ontology) -> dict[str, str]:
    g = onto.graph
    own = {
        name: str(g.value(cls.iri, ESKG.colour))
        for name, cls in onto.classes.items()
        if g.value(cls.iri, ESKG.colour) is not None
    }
    colours: dict[str, str] = {}
    for name in onto.classes:
        colours[name] = next((own[a] for a in onto.ancestors(name) if a in own), FALLBACK_COLOUR)
    return colours


def vocabulary(onto: Ontology) -> Vocabulary:
    """The vocabulary of this ontology (computed once per ontology object).

    Raises ConfigurationError naming every term of :data:`CODE_TERMS` the ontology lacks.
    """
    memo = onto.memo("vocabulary")
    if "v" in memo:
        return memo["v"]  # type: ignore[no-any-return]
    named = (*CODE_TERMS, *(q.target_class for q in FLAGSHIP_QUESTIONS))
    missing = [t for t in named if t not in onto.classes and t not in onto.properties]
    if missing:
        raise ConfigurationError(
            "the ontology lacks terms the code refers to: "
            + ", ".join(missing)
            + " (ontology/eskg.ttl; rename them in eskg/vocab.py CODE_TERMS and the code too)"
        )
    v = Vocabulary(
        start_dates=_ranked(onto, "start"),
        end_dates=_ranked(onto, "end"),
        values=_scheme_values(onto),
        colours=_colours(onto),
        offered=_offered(onto),
    )
    if not v.start_dates:
        raise ConfigurationError(
            'the ontology marks no date property as a start (eskg:validityRole "start")'
        )
    memo["v"] = v
    return v
