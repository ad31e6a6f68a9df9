"""Introspection under the query limits: exempt, but bounded by the schema itself.

A client reads the schema before anything else (GraphiQL's docs and completion, ``gql``,
Apollo's codegen), and the standard introspection query, with every option graphql-core
offers (``inputValueDeprecation``, ``specifiedByUrl``, ``oneOf``...), would be refused by
the limits meant for the data: estimated with the data's list sizes (20 a list) it passes
``ESKG_GRAPHQL_MAX_COST``, and it nests ``ofType`` deeper than ``ESKG_GRAPHQL_MAX_DEPTH``.

An operation that selects only ``__schema``, ``__type`` and ``__typename`` at its root
never reaches the store: it reads the schema in memory, so what it can cost is known.
Such operations are exempt from the depth, alias and cost limits of data queries, and are
instead estimated with the schema's own list sizes (the number of types, the most fields
of a type, ...), against a limit of ``INTROSPECTION_MARGIN`` times the estimate of the
fullest standard introspection query. Every standard query passes; a document nesting
``fields { type { fields { type { ... }}}}`` to multiply the work is refused.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import Any
from weakref import WeakKeyDictionary

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    get_introspection_query,
    is_enum_type,
    is_input_object_type,
    is_interface_type,
    is_object_type,
    is_union_type,
    parse,
)

from api.cost import is_introspection

#: Root fields that read the schema, never the store.
INTROSPECTION_ROOTS = frozenset({"__schema", "__type", "__typename"})
#: An introspection document may be estimated at most this many times the fullest standard
#: introspection query (every option of ``get_introspection_query`` on).
INTROSPECTION_MARGIN = 4


def _root_fields(
    selections: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode], seen: set[str]
) -> Iterable[str]:
    for sel in selections.selections:
        if isinstance(sel, FieldNode):
            yield sel.name.value
        elif isinstance(sel, InlineFragmentNode):
            yield from _root_fields(sel.selection_set, fragments, seen)
        elif isinstance(sel, FragmentSpreadNode):
            name = sel.name.value
            fragment = fragments.get(name)
            if fragment is None:  # unknown fragment: validation words it
                yield name
            elif name not in seen:
                seen.add(name)
                yield from _root_fields(fragment.selection_set, fragments, seen)


def is_introspection_only(document: DocumentNode) -> bool:
    """Whether the document's operation reads only the schema (``api.cost.is_introspection``,
    the one place that decides it)."""
    return is_introspection(document, None)


class _Muted:
    """A validation context whose errors are dropped (every other attribute passes on)."""

    def __init__(self, context: ValidationContext) -> None:
        self._context = context

    def report_error(self, error: GraphQLError) -> None:
        del error

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)


def exempt_introspection(rule: type[ASTValidationRule]) -> type[ASTValidationRule]:
    """``rule``, except that it reports nothing on introspection-only documents.

    strawberry's depth and alias limiters report from their constructors through the
    context they are given, so they are given one that drops the report.
    """

    class Exempt(rule):  # type: ignore[valid-type, misc]
        def __init__(self, context: ValidationContext) -> None:
            if is_introspection_only(context.document):
                super().__init__(_Muted(context))
            else:
                super().__init__(context)

    Exempt.__name__ = Exempt.__qualname__ = f"{rule.__name__}ExceptIntrospection"
    return Exempt


def list_sizes(schema: GraphQLSchema) -> dict[str, int]:
    """The most items each introspection list field can return in this schema."""
    types = list(schema.type_map.values())
    fields = [
        t.fields
        for t in types
        if is_object_type(t) or is_interface_type(t) or is_input_object_type(t)
    ]
    args = [
        len(f.args)
        for t in types
        if is_object_type(t) or is_interface_type(t)
        for f in t.fields.values()
    ]
    args += [len(d.args) for d in schema.directives]
    return {
        "types": len(types),
        "fields": max((len(f) for f in fields), default=0),
        "inputFields": max((len(f) for f in fields), default=0),
        "args": max(args, default=0),
        "interfaces": max(
            (len(t.interfaces) for t in types if is_object_type(t) or is_interface_type(t)),
            default=0,
        ),
        "possibleTypes": max(
            [len(t.types) for t in types if is_union_type(t)]
            + [len(schema.get_implementations(t).objects) for t in types if is_interface_type(t)],
            default=0,
        ),
        "enumValues": max((len(t.values) for t in types if is_enum_type(t)), default=0),
        "directives": len(schema.directives),
        "locations": max((len(d.locations) for d in schema.directives), default=0),
    }


def estimate(document: DocumentNode, sizes: dict[str, int]) -> int:
    """Objects an introspection document can produce, with the schema's list sizes."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }

    def walk(selections: SelectionSetNode, per: int, depth: int) -> int:
        if depth > 64:  # fragments spreading each other: validation refuses the cycle
            return 0
        total = 0
        for sel in selections.selections:
            if isinstance(sel, FieldNode):
                total += per
                if sel.selection_set is not None:
                    factor = max(sizes.get(sel.name.value, 1), 1)
                    total += walk(sel.selection_set, per * factor, depth + 1)
            elif isinstance(sel, InlineFragmentNode):
                total += walk(sel.selection_set, per, depth + 1)
            elif isinstance(sel, FragmentSpreadNode):
                fragment = fragments.get(sel.name.value)
                if fragment is not None:
                    total += walk(fragment.selection_set, per, depth + 1)
        return total

    return sum(
        walk(d.selection_set, 1, 0)
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    )


#: Every boolean option of this graphql-core's ``get_introspection_query``, on.
_EVERY_OPTION = {
    name: True
    for name, p in inspect.signature(get_introspection_query).parameters.items()
    if isinstance(p.default, bool)
}

_LIMITS: WeakKeyDictionary[GraphQLSchema, tuple[dict[str, int], int]] = WeakKeyDictionary()


def introspection_limit(schema: GraphQLSchema) -> tuple[dict[str, int], int]:
    """The schema's list sizes and the estimate an introspection document may reach."""
    known = _LIMITS.get(schema)
    if known is None:
        sizes = list_sizes(schema)
        fullest = parse(get_introspection_query(**_EVERY_OPTION))
        known = sizes, INTROSPECTION_MARGIN * estimate(fullest, sizes)
        _LIMITS[schema] = known
    return known


def check_introspection(context: ValidationContext) -> GraphQLError | None:
    """The error for an introspection document over its bound, or None."""
    sizes, limit = introspection_limit(context.schema)
    total = estimate(context.document, sizes)
    if total <= limit:
        return None
    return GraphQLError(
        f"introspection too costly: estimated {total} objects with this schema's list "
        f"sizes, limit {limit} ({INTROSPECTION_MARGIN} x the full introspection query); "
        "nest fewer `fields { type { fields ...` levels"
    )


class IntrospectionBound(ASTValidationRule):
    """Refuses an introspection-only document estimated past its bound (the limits that
    exempt introspection would otherwise leave nested ``fields { type { fields ...``
    documents unbounded); other documents pass untouched."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        if is_introspection_only(context.document):
            error = check_introspection(context)
            if error is not None:
                context.report_error(error)
