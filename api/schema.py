"""The GraphQL schema: root fields, limits and error masking.

The contract (``entity``, ``search``, ``measuresCoveringTechnology``,
``measuresCoveringMaterial`` and the ``Entity`` interface) is fixed; ``schema.graphql``
at the repository root is its exported form, checked by a test.
"""

# No `from __future__ import annotations`: strawberry must see the local classes.

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaskErrors, MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter
from strawberry.types import Info

from api.context import in_thread
from api.types import (
    ENTITY_TYPES,
    Citation,
    Entity,
    build_entity_types,
    ctx,
    load_citations,
    load_entities,
    load_entity,
    make,
)
from eskg.config import Settings
from eskg.errors import EskgError, InvalidInputError, QueryLimitError
from eskg.ontology import Ontology


def to_iri(value: str, base: str) -> str:
    """An IRI from an id as written in the data or a full IRI."""
    value = value.strip()
    return value if value.startswith(("http://", "https://")) else f"{base}{value}"


def _is_expected(error: GraphQLError) -> bool:
    original = error.original_error
    return original is None or isinstance(original, EskgError)


def build_schema(onto: Ontology, settings: Settings) -> strawberry.Schema:
    """The schema for this ontology, with the configured limits."""
    entity_types = build_entity_types(onto)
    Measure = ENTITY_TYPES["Measure"]

    @strawberry.type(
        description="A measure that answers a flagship question, with why and from where."
    )
    class MeasureAnswer:
        measure: Measure  # type: ignore[valid-type]
        path_iris: strawberry.Private[tuple[str, ...]]
        citation_iris: strawberry.Private[tuple[str, ...]]

        @strawberry.field(description="The chain of entities from the measure to the asked entity.")
        async def path(self, info: Info) -> list[Entity]:
            return await load_entities(info, list(self.path_iris))

        @strawberry.field(description="Citations of every edge on the path.")
        async def sources(self, info: Info) -> list[Citation]:
            return await load_citations(info, self.citation_iris)

    async def answers(info: Info, question: str, target: str) -> list[MeasureAnswer]:
        c = ctx(info)
        iri = to_iri(target, c.settings.base_iri)
        try:
            found = await in_thread(c.store.paths, question, iri)
        except InvalidInputError:
            return []
        datas = await c.entity.load_many([a.measure for a in found])
        out = []
        for a, data in zip(found, datas):
            if data is None:
                continue
            cits = tuple(dict.fromkeys(x for edge in a.edge_citations for x in edge))
            out.append(
                MeasureAnswer(
                    measure=make(data, c.store.onto, "Measure"),
                    path_iris=a.nodes,
                    citation_iris=cits,
                )
            )
        return out

    @strawberry.type
    class Query:
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
            limit = 20 if limit is None else limit
            if not 1 <= limit <= c.settings.max_page_size:
                raise QueryLimitError(f"limit must be between 1 and {c.settings.max_page_size}")
            if not text.strip():
                raise InvalidInputError("text must not be empty")
            for t in types or []:
                if t not in c.store.onto.classes:
                    raise InvalidInputError(
                        f"unknown type {t!r}; known: {', '.join(sorted(c.store.onto.classes))}"
                    )
            iris = await in_thread(c.store.search, text, types, limit)
            return await load_entities(info, iris)

        @strawberry.field(
            description="Measures covering a technology, directly or through broader/narrower technologies and materials."
        )
        async def measures_covering_technology(
            self, info: Info, technology: strawberry.ID
        ) -> list[MeasureAnswer]:
            return await answers(info, "measures_covering_technology", str(technology))

        @strawberry.field(
            description="Measures covering a material, directly or through broader/narrower materials."
        )
        async def measures_covering_material(
            self, info: Info, material: strawberry.ID
        ) -> list[MeasureAnswer]:
            return await answers(info, "measures_covering_material", str(material))

    return strawberry.Schema(
        query=Query,
        types=entity_types,
        extensions=[
            lambda: QueryDepthLimiter(max_depth=settings.graphql_max_depth),
            lambda: MaxAliasesLimiter(max_alias_count=settings.graphql_max_aliases),
            lambda: MaxTokensLimiter(max_token_count=settings.graphql_max_tokens),
            lambda: MaskErrors(should_mask_error=lambda e: not _is_expected(e)),
        ],
    )
