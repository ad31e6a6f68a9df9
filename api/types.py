"""GraphQL types: the ``Entity`` interface, and one concrete type per ontology class.

The concrete types are generated from the ontology: a class's datatype properties
become scalar fields, its object properties ``[Entity!]!`` fields (outgoing), and the
object properties that can point at it ``incoming<Name>`` fields. Descriptions come
from the ontology's comments, so the schema documents itself from the one source.
"""

from __future__ import annotations

import asyncio
import datetime
import enum
from dataclasses import dataclass
from typing import Any, cast

import strawberry
from strawberry.types import Info
from strawberry.types.nodes import SelectedField, Selection

from api.context import Context
from api.explore import relation_holds_on
from eskg import deadline
from eskg.errors import QueryLimitError
from eskg.model import EntityData, Lit, RelationData
from eskg.ontology import OntClass, Ontology, OntProperty, rel_type


@strawberry.enum(description="Which way a relation points, seen from the entity.")
class Direction(enum.Enum):
    OUT = "OUT"
    IN = "IN"
    BOTH = "BOTH"


@strawberry.type(description="Text in one language.")
class LangString:
    value: str
    lang: str | None


@strawberry.type(
    description="A literal statement of an entity: property, value, language, datatype."
)
class Property:
    key: str
    value: str
    lang: str | None
    datatype: str | None


def short_id(iri: str, base: str) -> str:
    """The id used in the data, for IRIs under the base; the IRI otherwise."""
    return iri.removeprefix(base)


def ctx(info: Info) -> Context:
    return cast(Context, info.context)


# What an entity's fields answer, as plain functions of its data: the strawberry resolvers
# below and the compiled executor (api/compiled_exec.py) both call these, so the two ways
# of answering a query cannot drift apart.


def types_of(data: EntityData, onto: Ontology) -> list[str]:
    """The entity's classes, most specific first, each followed by its superclasses."""
    out: list[str] = []
    for t in data.types:
        for a in onto.ancestors(t):
            if a not in out:
                out.append(a)
    return out


def label_of(data: EntityData, lang: str | None = "en") -> str | None:
    """The preferred label in ``lang``, falling back to English, then Japanese."""
    labels = {v.lang: v.value for v in data.values("prefLabel")}
    return labels.get(lang or "en") or labels.get("en") or labels.get("ja")


def labels_of(data: EntityData) -> list[LangString]:
    """Every preferred label with its language."""
    return [LangString(value=v.value, lang=v.lang) for v in data.values("prefLabel")]


def properties_of(data: EntityData) -> list[Property]:
    """Every literal statement of the entity."""
    return [
        Property(key=k, value=v.value, lang=v.lang, datatype=v.datatype) for k, v in data.literals
    ]


def literal_value(prop: OntProperty, data: EntityData, args: dict[str, Any]) -> Any:
    """A datatype property's field: one value or a list, by language when it has one."""
    if prop.is_lang_string and prop.single_valued:
        lang = args.get("lang", "en")
        values: list[Lit] = [v for v in data.values(prop.name) if v.lang == lang]
        return values[0].value if values else None
    if prop.is_lang_string:
        wanted = args.get("lang")
        return [v.value for v in data.values(prop.name) if wanted in (None, v.lang)]
    if prop.single_valued:
        found = data.values(prop.name)
        return found[0].value if found else None
    return [v.value for v in data.values(prop.name)]


def linked_iris(rels: list[RelationData], prop: str, direction: str) -> list[str]:
    """The other ends of an entity's relations of one property and direction."""
    return [r.other for r in rels if r.prop == prop and r.direction == direction]


@strawberry.type(
    description="Where a statement comes from: a document, a locator and the verbatim quote."
)
class Citation:
    iri: str
    locator: str | None
    quote: str | None
    document_iri: strawberry.Private[str]

    @strawberry.field(description="The source document.")
    async def document(self, info: Info) -> Entity:
        entity = await load_entity(info, self.document_iri)
        if entity is None:
            raise ValueError(f"citation {self.iri} points to a missing document")
        return entity


async def load_citations(info: Info, iris: tuple[str, ...] | list[str]) -> list[Citation]:
    """Citation objects for citation IRIs (batched)."""
    found = await ctx(info).citation.load_many(list(iris))
    return [
        Citation(iri=c.iri, locator=c.locator, quote=c.quote, document_iri=c.document)
        for c in found
        if c is not None
    ]


@strawberry.type(description="A relation of an entity to another, with the relation's sources.")
class Relation:
    type: str
    direction: Direction
    valid_from: datetime.date | None = strawberry.field(
        description="First date on which the relation holds, when its source bounds it."
    )
    valid_until: datetime.date | None = strawberry.field(
        description="Last date on which the relation holds, when its source bounds it."
    )
    target_iri: strawberry.Private[str]
    citation_iris: strawberry.Private[tuple[str, ...]]

    @strawberry.field(description="The entity at the other end.")
    async def target(self, info: Info) -> Entity:
        entity = await load_entity(info, self.target_iri)
        if entity is None:
            raise ValueError(f"relation points to a missing entity {self.target_iri}")
        return entity

    @strawberry.field(description="Citations of this relation.")
    async def sources(self, info: Info) -> list[Citation]:
        return await load_citations(info, self.citation_iris)


def relation_object(r: RelationData) -> Relation:
    """The GraphQL object of a relation."""
    return Relation(
        type=r.prop,
        direction=Direction(r.direction),
        valid_from=_day(r.valid_from),
        valid_until=_day(r.valid_until),
        target_iri=r.other,
        citation_iris=r.citations,
    )


def _day(text: str | None) -> datetime.date | None:
    if text is None:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


@strawberry.interface(description="Anything named in the policy landscape.")
class Entity:
    iri: str = strawberry.field(description="The full IRI.")
    data: strawberry.Private[EntityData]

    @strawberry.field(
        description="The short id used in the data (or the IRI outside our namespace)."
    )
    def id(self, info: Info) -> strawberry.ID:
        return strawberry.ID(short_id(self.iri, ctx(info).settings.base_iri))

    @strawberry.field(
        description="Classes of the entity, most specific first, with their superclasses."
    )
    def types(self, info: Info) -> list[str]:
        return types_of(self.data, ctx(info).store.onto)

    @strawberry.field(
        description="The preferred label in a language (ja or en), falling back to the other."
    )
    def label(self, lang: str | None = "en") -> str | None:
        return label_of(self.data, lang)

    @strawberry.field(description="All preferred labels.")
    def labels(self) -> list[LangString]:
        return labels_of(self.data)

    @strawberry.field(description="Every literal statement of the entity.")
    def properties(self) -> list[Property]:
        return properties_of(self.data)

    @strawberry.field(
        description="Relations, filtered by property name and direction, paged by limit and "
        "offset; asOf keeps those that hold on that date (a relation bounded by validFrom "
        "or validUntil holds from its first day through its last)."
    )
    async def relations(
        self,
        info: Info,
        type: str | None = None,
        direction: Direction = Direction.BOTH,
        limit: int | None = None,
        offset: int = 0,
        as_of: datetime.date | None = None,
    ) -> list[Relation]:
        page = ctx(info).settings.max_page_size
        if limit is not None and not 1 <= limit <= page:
            raise QueryLimitError(f"limit must be between 1 and {page}")
        if offset < 0:
            raise QueryLimitError("offset must not be negative")
        rels = await self._relations(info, type, direction, as_of)
        chosen = rels[offset : offset + limit] if limit is not None else rels[offset:]
        return [relation_object(r) for r in chosen]

    @strawberry.field(description="How many relations match the filter (for paging).")
    async def relation_count(
        self,
        info: Info,
        type: str | None = None,
        direction: Direction = Direction.BOTH,
        as_of: datetime.date | None = None,
    ) -> int:
        return len(await self._relations(info, type, direction, as_of))

    async def _relations(
        self, info: Info, type: str | None, direction: Direction, as_of: datetime.date | None
    ) -> list[RelationData]:
        rels: list[RelationData] = await ctx(info).relations.load(self.iri)
        return [
            r
            for r in rels
            if (not type or type in (r.prop, _rel_upper(r.prop)))
            and (direction == Direction.BOTH or r.direction == direction.value)
            and (as_of is None or relation_holds_on(r, as_of))
        ]

    @strawberry.field(description="Citations of the entity's own statements (labels, properties).")
    async def sources(self, info: Info) -> list[Citation]:
        return await load_citations(info, self.data.citations)


def _rel_upper(name: str) -> str:
    return rel_type(name)


#: GraphQL name of the type for the ontology's root class (``Entity`` is the interface).
GENERIC_TYPE = "GenericEntity"
#: class name -> generated strawberry type; filled by build_entity_types.
ENTITY_TYPES: dict[str, type[Entity]] = {}


def most_specific(onto: Ontology, types: list[str]) -> str:
    """The asserted class with the most ancestors (the deepest), for the GraphQL type."""
    known = [t for t in types if t in onto.classes]
    if not known:
        return "Entity"
    return max(known, key=lambda t: (len(onto.ancestors(t)), t))


def make(data: EntityData, onto: Ontology, as_class: str | None = None) -> Entity:
    """The GraphQL object of an entity: its most specific class, or ``as_class``."""
    cls = ENTITY_TYPES[as_class or most_specific(onto, data.types)]
    deadline.charge(deadline.entity_bytes(data))  # ESKG_MAX_RESPONSE_BYTES, as it fills
    return cls(iri=data.iri, data=data)


#: GraphQL fields of an entity that read its relations (the object-property fields are
#: added by ``build_entity_types``).
RELATION_FIELDS: set[str] = {"relations", "relationCount"}


def _reads_relations(selections: list[Selection]) -> bool:
    for sel in selections:
        if isinstance(sel, SelectedField):
            if sel.name in RELATION_FIELDS:
                return True
        elif _reads_relations(sel.selections):  # inline fragments and fragment spreads
            return True
    return False


def wants_relations(info: Info) -> bool:
    """Whether the selection under this field reads the entities' relations."""
    return any(_reads_relations(f.selections) for f in info.selected_fields)


async def _load(info: Info, iris: list[str]) -> list[EntityData | None]:
    """Entity data, with the relations fetched in the same round when the selection will
    read them (one round trip per level of the query instead of two)."""
    c = ctx(info)
    if not wants_relations(info):
        return list(await c.entity.load_many(iris))
    found, _ = await asyncio.gather(c.entity.load_many(iris), c.relations.load_many(iris))
    return list(found)


async def load_entity(info: Info, iri: str, as_class: str | None = None) -> Entity | None:
    """The entity of an IRI through the request's loader; None when unknown."""
    data = (await _load(info, [iri]))[0]
    return make(data, ctx(info).store.onto, as_class) if data else None


async def load_entities(info: Info, iris: list[str]) -> list[Entity]:
    """Entities of several IRIs in one batch, unknown ones left out."""
    found = await _load(info, iris)
    onto = ctx(info).store.onto
    return [make(d, onto) for d in found if d is not None]


@dataclass(frozen=True)
class FieldSpec:
    """What a generated entity field reads: a datatype property, or the entities linked
    by an object property in one direction."""

    prop: OntProperty
    direction: str | None = None  # None: a literal field; "OUT" or "IN": linked entities


#: GraphQL type name -> generated field name -> what it reads; filled by build_entity_types
#: (the compiled executor answers these fields without strawberry).
FIELD_SPECS: dict[str, dict[str, FieldSpec]] = {}


def _literal_field(prop: OntProperty) -> Any:
    if prop.is_lang_string and prop.single_valued:

        def resolve_text(self: Entity, lang: str | None = "en") -> str | None:
            return cast(str | None, literal_value(prop, self.data, {"lang": lang}))

        return strawberry.field(resolver=resolve_text, name=prop.name, description=prop.comment)
    if prop.is_lang_string:

        def resolve_texts(self: Entity, lang: str | None = None) -> list[str]:
            return cast(list[str], literal_value(prop, self.data, {"lang": lang}))

        return strawberry.field(resolver=resolve_texts, name=prop.name, description=prop.comment)
    if prop.single_valued:

        def resolve_one(self: Entity) -> str | None:
            return cast(str | None, literal_value(prop, self.data, {}))

        return strawberry.field(resolver=resolve_one, name=prop.name, description=prop.comment)

    def resolve_many(self: Entity) -> list[str]:
        return cast(list[str], literal_value(prop, self.data, {}))

    return strawberry.field(resolver=resolve_many, name=prop.name, description=prop.comment)


def incoming_name(prop: str) -> str:
    """The field listing the entities that point at this one by ``prop``."""
    return f"incoming{prop[0].upper()}{prop[1:]}"


def _object_field(prop: OntProperty, direction: str) -> Any:
    async def resolve(self: Entity, info: Info) -> list[Entity]:
        rels: list[RelationData] = await ctx(info).relations.load(self.iri)
        return await load_entities(info, linked_iris(rels, prop.name, direction))

    name = prop.name if direction == "OUT" else incoming_name(prop.name)
    RELATION_FIELDS.add(name)
    desc = (
        prop.comment
        if direction == "OUT"
        else f"Entities linked to this one by {prop.name}: {prop.comment}"
    )
    return strawberry.field(resolver=resolve, name=name, description=desc)


def _class_type(onto: Ontology, cls: OntClass) -> type[Entity]:
    ancestors = set(onto.ancestors(cls.name))
    namespace: dict[str, Any] = {"__annotations__": {}}
    taken = {"id", "iri", "types", "label", "labels", "properties", "relations", "sources"}
    name = GENERIC_TYPE if cls.name == "Entity" else cls.name
    specs = FIELD_SPECS.setdefault(name, {})
    for prop in sorted(onto.properties.values(), key=lambda p: p.name):
        if prop.name in taken or prop.name == "citation":
            continue
        if prop.domain and ancestors & set(prop.domain):
            namespace[f"f_{prop.name}"] = (
                _object_field(prop, "OUT") if prop.is_object else _literal_field(prop)
            )
            specs[prop.name] = FieldSpec(prop, "OUT" if prop.is_object else None)
        if prop.is_object and ancestors & set(prop.range):
            namespace[f"f_in_{prop.name}"] = _object_field(prop, "IN")
            specs[incoming_name(prop.name)] = FieldSpec(prop, "IN")
    label = cls.labels.get("en", cls.name)
    description = f"{label} ({cls.labels.get('ja', '')}): {cls.comment}"
    generated = type(name, (Entity,), namespace)
    return cast(type[Entity], strawberry.type(generated, description=description))


def build_entity_types(onto: Ontology) -> list[type[Entity]]:
    """One concrete GraphQL type per ontology class (Citation has its own type)."""
    ENTITY_TYPES.clear()
    FIELD_SPECS.clear()
    for cls in onto.classes.values():
        if cls.name == "Citation":
            continue
        ENTITY_TYPES[cls.name] = _class_type(onto, cls)
    return list(ENTITY_TYPES.values())
