"""The GraphQL cost limit, computed per request on what will run.

A request's cost is the number of objects its answer can hold: every field costs one
unit for each object its parent can be, and a list field multiplies what is below it by
the size of the page it can return. The document is the validated one (parsed and
validated once per query text and cached); the cost is computed for each request from
it and the request's variables, cheaply (one walk of the document; a fragment's cost is
computed once however often it is spread), so that nothing in the request changes the
estimate from what runs:

- fragments are expanded: a field inside ``...A`` costs what it costs in place, times
  the lists above the spread;
- a ``limit`` given as a variable counts at the variable's value (or its default);
- a list whose ``limit`` is absent counts at the field's default (``search``: 20,
  ``entities``: 50), and a list that has no default page (``relations`` without a
  limit, the link fields) at the most the data holds for it: ``ListBounds``, read from
  the store (the most relations one entity has, and per property and direction the
  most links, which the load counted and stored: ``Store.list_bounds``), so
  ``relations`` on an entity with 536 of them counts 536, not 20;
- a limit above ``ESKG_MAX_PAGE_SIZE`` counts as that size (the field refuses it with
  a clearer message);
- aliases are counted one by one (each runs).

Lists whose size the data bounds but for which no statistic is kept (citations, labels,
flagship answers and their paths, the ontology's classes) count ``DEFAULT_LIST_SIZE``.
Introspection (``__schema``, ``__type``) is answered from the schema in memory, never
from the store: an operation made only of introspection fields is exempt
(``is_introspection``, the one place that decides it), and introspection fields inside
another operation count one unit each.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    get_operation_ast,
    is_list_type,
)
from graphql.execution.values import VariableValues, get_argument_values

from api.types import entity_types_of
from eskg.bounds import DataBounds
from eskg.ontology import local_name
from eskg.store.base import Store

log = logging.getLogger("eskg.api")

#: Objects a list is assumed to hold when neither a limit nor the data bounds it.
DEFAULT_LIST_SIZE = 20
#: Introspection's meta fields (answered from the schema, never from the store).
META_FIELDS = frozenset({"__schema", "__type"})
#: A cost this large is already past every limit: the walk stops multiplying there.
CEILING = 10**15


@dataclass(frozen=True)
class ListBounds:
    """The most objects the data holds for lists without a page: ``relations`` (one
    entity's relations, both directions) and ``links[(property, direction)]`` (one
    entity's links of one property)."""

    relations: int = DEFAULT_LIST_SIZE
    links: Mapping[tuple[str, str], int] = field(default_factory=dict)


def read_bounds(store: Store) -> ListBounds:
    """The bounds of the data the store holds now: those its load stored (one cheap
    read), else, for a store loaded by an earlier version, ``aggregate_bounds``."""
    stored = store.list_bounds()
    if stored is None:
        log.warning(
            "the %s store holds no list bounds (it was loaded by an earlier version): "
            "computing them over the whole graph, which takes long on a large store; "
            "reload it (`eskg load`) to store them with the data",
            store.name,
        )
        stored = aggregate_bounds(store)
    return ListBounds(max(stored.relations, 1), stored.links)


def aggregate_bounds(store: Store) -> DataBounds:
    """The bounds computed from the data by the ``max_degree`` and ``max_links``
    aggregates (a pass over every relation), keyed by property name as stored ones are."""
    names = {p.rel_type: p.name for p in store.onto.object_properties}
    total = store.rows("max_degree", {})
    links: dict[tuple[str, str], int] = {}
    for row in store.rows("max_links", {}):
        prop = str(row["prop"])
        key = (names.get(prop) or local_name(prop), str(row["direction"]))
        links[key] = max(links.get(key, 0), int(str(row["most"])))
    most = int(str(total[0]["relations"])) if total and total[0]["relations"] is not None else 0
    return DataBounds(most, links)


def operation_of(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    """The operation a request runs (None when the name matches none, or is needed)."""
    return get_operation_ast(document, name)


def fragments_of(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def is_introspection(document: DocumentNode, operation_name: str | None) -> bool:
    """Whether the operation asks only introspection (``__schema``, ``__type``,
    ``__typename`` at its root, through fragments too): the one place that decides which
    requests the limits exempt as introspection."""
    operation = operation_of(document, operation_name)
    if operation is None:
        return False
    fragments = fragments_of(document)
    todo, seen, found = [operation.selection_set], set(), False
    while todo:
        for sel in todo.pop().selections:
            if isinstance(sel, FieldNode):
                if sel.name.value in META_FIELDS:
                    found = True
                elif sel.name.value != "__typename":
                    return False
            elif isinstance(sel, InlineFragmentNode):
                todo.append(sel.selection_set)
            elif isinstance(sel, FragmentSpreadNode) and sel.name.value not in seen:
                seen.add(sel.name.value)
                frag = fragments.get(sel.name.value)
                if frag is not None:
                    todo.append(frag.selection_set)
    return found


class _Walk:
    """One request's cost: the document's selections with the request's variables."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: VariableValues | None,
        page: int,
        bounds: ListBounds,
    ) -> None:
        self.schema = schema
        self.specs = entity_types_of(schema).fields
        self.fragments = fragments
        self.variables = variables
        self.page = page
        self.bounds = bounds
        self.memo: dict[str, int] = {}
        self.active: set[str] = set()

    def selections(self, type_name: str, selection_set: SelectionSetNode) -> int:
        total = 0
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                total += self.field(type_name, sel)
            elif isinstance(sel, InlineFragmentNode):
                cond = sel.type_condition.name.value if sel.type_condition else type_name
                total += self.selections(cond, sel.selection_set)
            elif isinstance(sel, FragmentSpreadNode):
                total += self.fragment(sel.name.value)
            if total > CEILING:
                return CEILING
        return total

    def fragment(self, name: str) -> int:
        found = self.memo.get(name)
        if found is None:
            frag = self.fragments.get(name)
            if frag is None or name in self.active:  # validation refuses both
                return 0
            self.active.add(name)
            found = self.selections(frag.type_condition.name.value, frag.selection_set)
            self.active.discard(name)
            self.memo[name] = found
        return found

    def field(self, type_name: str, node: FieldNode) -> int:
        name = node.name.value
        if name.startswith("__"):
            return 0 if name == "__typename" else 1
        owner: Any = self.schema.get_type(type_name)
        definition: GraphQLField | None = getattr(owner, "fields", {}).get(name)
        if definition is None or node.selection_set is None:
            return 1
        child = get_named_type(definition.type).name
        below = self.selections(child, node.selection_set)
        return min(CEILING, 1 + self.factor(type_name, name, definition, node) * below)

    def factor(self, type_name: str, name: str, definition: GraphQLField, node: FieldNode) -> int:
        """How many objects this field can give for each of its parent's."""
        listed = is_list_type(get_nullable_type(definition.type))
        if "limit" in definition.args:
            try:
                args = get_argument_values(definition, node, self.variables)
            except Exception:  # noqa: BLE001 - a bad value is refused when the field runs
                args = {}
            limit = args.get("limit")
            if isinstance(limit, int):
                return max(1, min(limit, self.page))
            if name == "relations":
                prop = args.get("type")
                if isinstance(prop, str):
                    return max(
                        (n for (p, _), n in self.bounds.links.items() if p == prop), default=1
                    )
                return self.bounds.relations
            return self.page if listed else 1
        if not listed:
            return 1
        spec = self.specs.get(type_name, {}).get(name)
        if spec is not None and spec.direction is not None:
            return max(1, self.bounds.links.get((spec.prop.name, spec.direction), 1))
        if (type_name, name) == ("EntityPage", "items"):
            return 1  # ``entities`` counted its page
        return DEFAULT_LIST_SIZE


def request_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: VariableValues | None,
    page: int,
    bounds: ListBounds,
) -> int:
    """The cost of running this operation with these (coerced) variables; 0 for an
    introspection-only operation (``is_introspection``) or none to run."""
    operation = operation_of(document, operation_name)
    if operation is None or is_introspection(document, operation_name):
        return 0
    return operation_cost(schema, operation, fragments_of(document), variables, page, bounds)


def operation_cost(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: dict[str, FragmentDefinitionNode],
    variables: VariableValues | None,
    page: int,
    bounds: ListBounds,
) -> int:
    """``request_cost`` of an operation and the document's fragments (the compiled
    path's plan holds them; it never holds introspection)."""
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    walk = _Walk(schema, fragments, variables, page, bounds)
    return walk.selections(root.name, operation.selection_set)


def answer_fields(value: Any) -> int:
    """The fields an answer holds (each key of each object, at every depth): what the
    cost of the request that built it bounds."""
    if isinstance(value, dict):
        return len(value) + sum(answer_fields(v) for v in value.values())
    if isinstance(value, list):
        return sum(answer_fields(v) for v in value)
    return 0


def too_costly_message(cost: int, max_cost: int) -> str:
    """What a client is told when its request costs more than ``ESKG_GRAPHQL_MAX_COST``."""
    shown = f"at least {CEILING}" if cost >= CEILING else str(cost)
    return (
        f"query too costly: estimated {shown} objects, limit {max_cost} "
        "(ESKG_GRAPHQL_MAX_COST); ask for smaller pages or fewer nested lists"
    )
