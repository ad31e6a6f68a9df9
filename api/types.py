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
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, cast

import strawberry
from graphql import GraphQLSchema
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types import Info
from strawberry.types.base import get_object_definition
from strawberry.types.nodes import SelectedField, Selection

from api.context import Context
from api.explore import relation_holds_on
from eskg import deadline
from eskg.errors import ConfigurationError, QueryLimitError
from eskg.model import EntityData, Lit, RelationData
from eskg.ontology import OntClass, Ontology, OntProperty, rel_type
from eskg.vocab import CITATION_CLASS, CITATION_PROPERTY, LABEL, ROOT_CLASS


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
    labels = {v.lang: v.value for v in data.values(LABEL)}
    return labels.get(lang or "en") or labels.get("en") or labels.get("ja")


def labels_of(data: EntityData) -> list[LangString]:
    """Every preferred label with its language."""
    return [LangString(value=v.value, lang=v.lang) for v in data.values(LABEL)]


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
#: Fields of the ``Entity`` interface that read an entity's relations (the generated link
#: fields read them too: ``EntityTypes.relation_fields``).
INTERFACE_RELATION_FIELDS = frozenset({"relations", "relationCount"})
#: Names of the ``Entity`` interface's fields, which no generated field takes.
_TAKEN = frozenset({"id", "iri", "types", "label", "labels", "properties", "relations", "sources"})


def graphql_name(cls: type) -> str:
    """The GraphQL name of a strawberry type, as the schema gives it."""
    return get_object_definition(cls, strict=True).name


#: GraphQL names of the fixed types the compiled executor fills by name.
ENTITY_INTERFACE = graphql_name(Entity)
CITATION_TYPE = graphql_name(Citation)
LANG_STRING_TYPE = graphql_name(LangString)
PROPERTY_TYPE = graphql_name(Property)


def type_name_of(cls: str) -> str:
    """The GraphQL type of an ontology class: its name, ``GENERIC_TYPE`` for the root."""
    return GENERIC_TYPE if cls == ROOT_CLASS else cls


def most_specific(onto: Ontology, types: list[str]) -> str:
    """The asserted class with the most ancestors (the deepest), for the GraphQL type."""
    known = [t for t in types if t in onto.classes]
    if not known:
        return ROOT_CLASS
    return max(known, key=lambda t: (len(onto.ancestors(t)), t))


@dataclass(frozen=True)
class FieldSpec:
    """What a generated entity field reads: a datatype property, or the entities linked
    by an object property in one direction."""

    prop: OntProperty
    direction: str | None = None  # None: a literal field; "OUT" or "IN": linked entities


@dataclass(frozen=True)
class EntityTypes:
    """The GraphQL types generated from one ontology: one concrete type per class
    (citations have their own fixed type), and what each generated field reads.

    Built by :meth:`from_ontology` for each schema and carried by it
    (:class:`EntitySchema`): the resolvers (:func:`entity_types`), the compiled executor
    and the cost read it from the schema, so no module state changes after import and
    two schemas never share or overwrite each other's types."""

    #: Ontology class name -> its GraphQL type (the root class's is ``GENERIC_TYPE``).
    classes: Mapping[str, type[Entity]]
    #: GraphQL type name -> generated field name -> what it reads (the compiled executor
    #: answers these fields without strawberry).
    fields: Mapping[str, Mapping[str, FieldSpec]]
    #: Fields of an entity that read its relations: the interface's and the link fields.
    relation_fields: frozenset[str]

    @classmethod
    def from_ontology(cls, onto: Ontology) -> EntityTypes:
        """One concrete GraphQL type per ontology class but the citation's."""
        classes: dict[str, type[Entity]] = {}
        fields: dict[str, Mapping[str, FieldSpec]] = {}
        for ont_class in onto.classes.values():
            if ont_class.name == CITATION_CLASS:
                continue
            name = type_name_of(ont_class.name)
            specs = MappingProxyType(_field_specs(onto, ont_class))
            classes[ont_class.name] = _class_type(name, ont_class, specs)
            fields[name] = specs
        links = {
            name
            for specs in fields.values()
            for name, spec in specs.items()
            if spec.direction is not None
        }
        return cls(
            MappingProxyType(classes), MappingProxyType(fields), INTERFACE_RELATION_FIELDS | links
        )


class EntitySchema(strawberry.Schema):
    """A strawberry schema that carries the entity types it was built with."""

    def __init__(self, entity_types: EntityTypes, **kwargs: Any) -> None:
        self.entity_types = entity_types
        super().__init__(**kwargs)


def _carried(owner: object) -> EntityTypes:
    if not isinstance(owner, EntitySchema):
        raise ConfigurationError(
            "this GraphQL schema carries no entity types; build it with api.schema.build_schema"
        )
    return owner.entity_types


def entity_types_of(schema: GraphQLSchema) -> EntityTypes:
    """The entity types of a built schema, from its graphql-core form."""
    return _carried(schema.extensions.get(GraphQLCoreConverter.DEFINITION_BACKREF))


def entity_types(info: Info) -> EntityTypes:
    """The entity types of the schema answering this request."""
    return _carried(info.schema)


def make(
    types: EntityTypes, data: EntityData, onto: Ontology, as_class: str | None = None
) -> Entity:
    """The GraphQL object of an entity: its most specific class, or ``as_class``."""
    cls = types.classes[as_class or most_specific(onto, data.types)]
    deadline.charge(deadline.entity_bytes(data))  # ESKG_MAX_RESPONSE_BYTES, as it fills
    return cls(iri=data.iri, data=data)


def _reads_relations(selections: list[Selection], relation_fields: frozenset[str]) -> bool:
    for sel in selections:
        if isinstance(sel, SelectedField):
            if sel.name in relation_fields:
                return True
        elif _reads_relations(sel.selections, relation_fields):  # fragments and spreads
            return True
    return False


def wants_relations(info: Info) -> bool:
    """Whether the selection under this field reads the entities' relations."""
    relation_fields = entity_types(info).relation_fields
    return any(_reads_relations(f.selections, relation_fields) for f in info.selected_fields)


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
    return make(entity_types(info), data, ctx(info).store.onto, as_class) if data else None


async def load_entities(info: Info, iris: list[str]) -> list[Entity]:
    """Entities of several IRIs in one batch, unknown ones left out."""
    found = await _load(info, iris)
    types, onto = entity_types(info), ctx(info).store.onto
    return [make(types, d, onto) for d in found if d is not None]


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
    desc = (
        prop.comment
        if direction == "OUT"
        else f"Entities linked to this one by {prop.name}: {prop.comment}"
    )
    return strawberry.field(resolver=resolve, name=name, description=desc)


def _field_specs(onto: Ontology, cls: OntClass) -> dict[str, FieldSpec]:
    """The generated fields of a class's type, in the schema's order: per property by
    name, the outgoing (or literal) field, then the incoming one."""
    ancestors = set(onto.ancestors(cls.name))
    specs: dict[str, FieldSpec] = {}
    for prop in sorted(onto.properties.values(), key=lambda p: p.name):
        if prop.name in _TAKEN or prop.name == CITATION_PROPERTY:
            continue
        if prop.domain and ancestors & set(prop.domain):
            specs[prop.name] = FieldSpec(prop, "OUT" if prop.is_object else None)
        if prop.is_object and ancestors & set(prop.range):
            specs[incoming_name(prop.name)] = FieldSpec(prop, "IN")
    return specs


def _class_type(name: str, cls: OntClass, specs: Mapping[str, FieldSpec]) -> type[Entity]:
    namespace: dict[str, Any] = {"__annotations__": {}}
    for field, spec in specs.items():
        namespace[f"f_{field}"] = (
            _literal_field(spec.prop)
            if spec.direction is None
            else _object_field(spec.prop, spec.direction)
        )
    label = cls.labels.get("en", cls.name)
    description = f"{label} ({cls.labels.get('ja', '')}): {cls.comment}"
    generated = type(name, (Entity,), namespace)
    return cast(type[Entity], strawberry.type(generated, description=description))
