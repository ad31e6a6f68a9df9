"""The GraphQL schema: root fields, limits and error masking.

The contract (``entity``, ``search``, ``measuresCoveringTechnology``,
``measuresCoveringMaterial`` and the ``Entity`` interface) is fixed; ``schema.graphql``
at the repository root is its exported form, checked by a test.

Every type and resolver here is module-level code. Two of them refer to a type generated
from the ontology, so they are generic and :func:`build_schema` names their one concrete
form per schema: ``MeasureAnswer`` (its ``measure`` is of the measure class's type) and
``Query`` (its flagship fields answer ``MeasureAnswer``). The generated types themselves
are one immutable value (``api.types.EntityTypes``) that the schema carries; nothing at
module level changes after import.
"""

# No `from __future__ import annotations`: strawberry must see the local classes.

import asyncio
import datetime
from types import new_class
from typing import Annotated, Any, Generic, TypeVar, cast

import strawberry
from graphql import ASTValidationRule, GraphQLError
from rdflib import URIRef
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.types import Info
from strawberry.types.base import get_object_definition
from strawberry.types.nodes import SelectedField

from api.explore import shortest_paths
from api.flagship import answering, field_name, prefetch
from api.introspection import IntrospectionBound, exempt_introspection
from api.limits import Limits, RequestCost
from api.questions import QuestionAnswer, QuestionArgument, QuestionInfo, ask, list_questions
from api.types import (
    Citation,
    Entity,
    EntitySchema,
    EntityTypes,
    Relation,
    ctx,
    entity_types,
    graphql_name,
    load_citations,
    load_entities,
    load_entity,
    make,
    relation_object,
)
from api.validation import search_limit, to_iri
from eskg.config import Settings
from eskg.errors import EskgError, InvalidInputError, QueryLimitError
from eskg.model import RelationData
from eskg.ontology import Ontology
from eskg.vocab import (
    CITATION_CLASS,
    FALLBACK_COLOUR,
    FLAGSHIP_QUESTIONS,
    LABEL,
    MEASURE_CLASS,
    vocabulary,
)

#: Distinct query texts whose parse and validation results are kept.
CACHE_SIZE = 256


def selected_subfields(info: Info) -> set[str] | None:
    """Names of the fields selected under this field; None when fragments make it unclear."""
    names: set[str] = set()
    for field in info.selected_fields:
        for sel in field.selections:
            if not isinstance(sel, SelectedField):
                return None
            names.add(sel.name)
    return names


def _is_expected(error: GraphQLError) -> bool:
    original = error.original_error
    return original is None or isinstance(original, (EskgError, GraphQLError))


class _Schema(EntitySchema):
    """Logs tracebacks only for unexpected errors; project errors are the user's answer."""

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        unexpected = [e for e in errors if not _is_expected(e)]
        if unexpected:
            super().process_errors(unexpected, execution_context)


def validation_rules(settings: Settings) -> list[type[ASTValidationRule]]:
    """The project's limits as validation rules: depth and aliases (the strawberry path
    and the compiled one both validate with these). Introspection-only documents are exempt
    from depth and aliases and bounded by the schema's size instead (``api/introspection.py``).
    The cost depends on the variables: it is computed per request on the validated
    document (``api/limits.py``)."""
    return [
        *map(
            exempt_introspection,
            QueryDepthLimiter(max_depth=settings.graphql_max_depth).validation_rules,
        ),
        *map(
            exempt_introspection,
            MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases).validation_rules,
        ),
        IntrospectionBound,
    ]


#: The type of a flagship answer's measure (the measure class's generated type).
Measured = TypeVar("Measured")
#: The type of a flagship answer (``MeasureAnswer`` of the measure class's type).
Answer = TypeVar("Answer")


@strawberry.type(description="A measure that answers a flagship question, with why and from where.")
class MeasureAnswer(Generic[Measured]):
    measure: Measured
    path_iris: strawberry.Private[tuple[str, ...]]
    citation_iris: strawberry.Private[tuple[str, ...]]

    @strawberry.field(description="The chain of entities from the measure to the asked entity.")
    async def path(self, info: Info) -> list[Entity]:
        return await load_entities(info, list(self.path_iris))

    @strawberry.field(description="Citations of every edge on the path.")
    async def sources(self, info: Info) -> list[Citation]:
        return await load_citations(info, self.citation_iris)


#: GraphQL name of a flagship answer (the compiled executor fills it by name).
ANSWER_TYPE = graphql_name(MeasureAnswer)


@strawberry.type(description="A page of entities.")
class EntityPage:
    total: int
    items: list[Entity]


@strawberry.type(description="A chain of relations linking two entities.")
class PathResult:
    node_iris: strawberry.Private[tuple[str, ...]]
    edges: strawberry.Private[tuple[Relation, ...]]

    @strawberry.field(description="The entities on the chain, from the first to the last.")
    async def path(self, info: Info) -> list[Entity]:
        return await load_entities(info, list(self.node_iris))

    @strawberry.field(
        description="The relations between consecutive entities, as seen from the earlier one."
    )
    def relations(self) -> list[Relation]:
        return list(self.edges)

    @strawberry.field(description="Citations of every relation on the chain.")
    async def sources(self, info: Info) -> list[Citation]:
        cits = dict.fromkeys(c for e in self.edges for c in e.citation_iris)
        return await load_citations(info, list(cits))


@strawberry.type(description="A property's allowed values (skos:notation of its scheme).")
class PropertyValues:
    property: str
    values: list[str]


@strawberry.type(
    description="A flagship question: the root field, its argument and the class of "
    "the entity it asks about."
)
class FlagshipInfo:
    field: str
    argument: str
    target_class: str


@strawberry.type(description="Terms the code and the explorer read from the ontology.")
class VocabularyInfo:
    start_dates: list[str]
    end_dates: list[str]
    label_property: str
    values: list[PropertyValues]
    flagship: list[FlagshipInfo]


@strawberry.type(description="A class of the ontology, with the colour the explorer uses.")
class OntologyClass:
    name: str
    comment: str
    parents: list[str]
    colour: str
    label_en: strawberry.Private[str]
    label_ja: strawberry.Private[str]

    @strawberry.field(description="The class label in a language (ja or en).")
    def label(self, lang: str | None = "en") -> str:
        return self.label_ja if lang == "ja" else self.label_en


async def answers(
    info: Info, question: str, target: str, as_of: datetime.date | None
) -> list[MeasureAnswer[Entity]]:
    """The answers of a flagship question about ``target``."""
    c = ctx(info)
    iri = to_iri(target, c.settings.base_iri)
    try:
        found = await c.run(c.store.paths, question, iri)
    except InvalidInputError:
        return []
    # Prefetch what the selection will ask for, in one round: the measures and the
    # entities on their paths, beside the citations of the paths. The nested resolvers
    # then find them in the per-request loaders instead of waiting a round each.
    nodes, edge_cits = prefetch(found, selected_subfields(info))
    datas, _ = await asyncio.gather(c.entity.load_many(nodes), c.citation.load_many(edge_cits))
    measures = dict(zip(nodes, datas))
    generated = entity_types(info)
    return [
        MeasureAnswer(
            measure=make(generated, data, c.store.onto, MEASURE_CLASS),
            path_iris=a.nodes,
            citation_iris=cits,
        )
        for a, data, cits in answering(found, measures.get, as_of, vocabulary(c.store.onto))
    ]


@strawberry.type
class Query(Generic[Answer]):
    """The root fields; ``Answer`` is the schema's ``MeasureAnswer`` (``build_schema``)."""

    @strawberry.field(
        description="An entity by its id in the data or its full IRI; null if unknown."
    )
    async def entity(self, info: Info, id: strawberry.ID) -> Entity | None:
        iri = to_iri(str(id), ctx(info).settings.base_iri)
        try:
            return await load_entity(info, iri)
        except InvalidInputError:
            return None

    @strawberry.field(
        description="Entities whose Japanese or English labels match the text, best first."
    )
    async def search(
        self, info: Info, text: str, types: list[str] | None = None, limit: int | None = 20
    ) -> list[Entity]:
        c = ctx(info)
        limit = search_limit(text, types, limit, c.store.onto.classes, c.settings.max_page_size)
        iris = await c.run(c.store.search, text, types, limit)
        return await load_entities(info, iris)

    @strawberry.field(
        description="Measures covering a technology, directly or through broader/narrower "
        "technologies and materials; asOf keeps those that had started and not ended by that date."
    )
    async def measures_covering_technology(
        self,
        info: Info,
        technology: strawberry.ID,
        as_of: datetime.date | None = None,
    ) -> list[Answer]:
        found = await answers(info, "measures_covering_technology", str(technology), as_of)
        return cast(list[Answer], found)

    @strawberry.field(
        description="Measures covering a material, directly or through broader/narrower "
        "materials; asOf keeps those that had started and not ended by that date."
    )
    async def measures_covering_material(
        self,
        info: Info,
        material: strawberry.ID,
        as_of: datetime.date | None = None,
    ) -> list[Answer]:
        found = await answers(info, "measures_covering_material", str(material), as_of)
        return cast(list[Answer], found)

    @strawberry.field(description="Entities of a class (subclasses included), paged, in IRI order.")
    async def entities(
        self, info: Info, type: str, limit: int | None = 50, offset: int = 0
    ) -> EntityPage:
        c = ctx(info)
        limit = 50 if limit is None else limit
        if not 1 <= limit <= c.settings.max_page_size or offset < 0:
            raise QueryLimitError(
                f"limit must be between 1 and {c.settings.max_page_size}, offset >= 0"
            )
        cls = c.store.onto.classes.get(type)
        if cls is None:
            raise InvalidInputError(
                f"unknown type {type!r}; known: {', '.join(sorted(c.store.onto.classes))}"
            )
        rows = await c.run(c.store.rows, "entities_of_class", {"class": URIRef(str(cls.iri))})
        iris = [str(r["iri"]) for r in rows]
        items = await load_entities(info, iris[offset : offset + limit])
        return EntityPage(total=len(iris), items=items)

    @strawberry.field(
        description="How two entities are connected: the shortest chains of relations "
        "(either direction) between them, at most maxLength edges, up to limit chains."
    )
    async def shortest_paths(
        self,
        info: Info,
        from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID,
        max_length: int = 4,
        limit: int = 5,
    ) -> list[PathResult]:
        c = ctx(info)
        if not 1 <= max_length <= 6 or not 1 <= limit <= 50:
            raise QueryLimitError("maxLength must be 1..6 and limit 1..50")
        start = to_iri(str(from_), c.settings.base_iri)
        goal = to_iri(str(to), c.settings.base_iri)
        ends = await c.entity.load_many([start, goal])
        if any(e is None for e in ends):
            return []

        async def load(iris: list[str]) -> list[list[RelationData]]:
            return list(await c.relations.load_many(iris))

        found = await shortest_paths(load, start, goal, max_length, limit)
        results = []
        for steps in found:
            nodes = (start, *(s.relation.other for s in steps))
            rels = tuple(relation_object(s.relation) for s in steps)
            results.append(PathResult(node_iris=nodes, edges=rels))
        return results

    @strawberry.field(description="The competency questions a researcher can ask.")
    def questions(self, info: Info) -> list[QuestionInfo]:
        return list_questions(info)

    @strawberry.field(
        description="Ask a competency question by name with typed arguments (see questions)."
    )
    async def question(
        self, info: Info, name: str, arguments: list[QuestionArgument] | None = None
    ) -> QuestionAnswer:
        return await ask(info, name, arguments or [])

    @strawberry.field(
        description="Terms the explorer reads from the ontology: the date properties an "
        "asOf compares (start dates in order of preference, end dates) and the allowed "
        "values of properties that take them from a concept scheme."
    )
    def vocabulary(self, info: Info) -> VocabularyInfo:
        v = vocabulary(ctx(info).store.onto)
        return VocabularyInfo(
            start_dates=list(v.start_dates),
            end_dates=list(v.end_dates),
            label_property=LABEL,
            values=[
                PropertyValues(property=name, values=list(vals))
                for name, vals in sorted(v.values.items())
            ],
            flagship=[
                FlagshipInfo(
                    field=field_name(q.question),
                    argument=q.parameter,
                    target_class=q.target_class,
                )
                for q in FLAGSHIP_QUESTIONS
            ],
        )

    @strawberry.field(description="The ontology's classes, for legends and type filters.")
    def ontology(self, info: Info) -> list[OntologyClass]:
        onto = ctx(info).store.onto
        colours = vocabulary(onto).colours
        return [
            OntologyClass(
                name=cl.name,
                label_en=cl.labels.get("en", cl.name),
                label_ja=cl.labels.get("ja", cl.name),
                comment=cl.comment,
                parents=list(cl.parents),
                colour=colours.get(cl.name, FALLBACK_COLOUR),
            )
            for cl in sorted(onto.classes.values(), key=lambda x: x.name)
            if cl.name != CITATION_CLASS
        ]


def _concrete(generic: Any, argument: type) -> type:
    """The concrete strawberry type of a module-level generic one for ``argument``, under
    the generic's own GraphQL name and description."""
    definition = get_object_definition(generic, strict=True)
    named = new_class(
        definition.name,
        (generic[argument],),
        exec_body=lambda ns: ns.update(__module__=__name__),
    )
    return strawberry.type(named, description=definition.description)


def build_schema(
    onto: Ontology, settings: Settings, limits: Limits | None = None
) -> strawberry.Schema:
    """The schema for this ontology, with the configured limits (``limits``: the cost
    limit and fair sharing it shares with the compiled executor; a new one if None)."""
    limits = limits or Limits(settings)
    generated = EntityTypes.from_ontology(onto)
    answer = _concrete(MeasureAnswer, generated.classes[MEASURE_CLASS])
    # Extensions are built per request (strawberry keeps per-request state on them), but
    # the validation rule classes are built once: ValidationCache keys its cache on the
    # rule classes, so new classes per request would make every request a cache miss and
    # validate again (a quarter of a small request's time). Parse and validation results
    # are then shared by all requests with the same query text (the validation
    # rules never see variables; the cost, which does, is computed per request in
    # RequestCost on the cached validated document).
    rules = validation_rules(settings)
    return _Schema(
        entity_types=generated,
        query=_concrete(Query, answer),
        types=list(generated.classes.values()),
        extensions=[
            lambda: MaxTokensLimiter(max_token_count=settings.graphql_max_tokens),
            lambda: ParserCache(maxsize=CACHE_SIZE),
            lambda: AddValidationRules(rules),
            lambda: ValidationCache(maxsize=CACHE_SIZE),
            lambda: RequestCost(limits=limits),
            lambda: MaskErrors(should_mask_error=lambda e: not _is_expected(e)),
        ],
    )
