"""A cost limit for GraphQL queries, checked before anything runs.

Each field costs one unit times the number of objects its parents can return: a list
field multiplies what is below it by its ``limit`` argument, or by a default for lists
without one. A query whose total passes ``ESKG_GRAPHQL_MAX_COST`` is refused with the
estimate, so a few nested lists cannot ask the store for millions of objects.

An introspection-only document (``__schema``, ``__type``, ``__typename`` at the root)
reads the schema, not the store: it is estimated with the schema's own list sizes instead,
against its own bound (``api/introspection.py``), so no standard introspection query is
ever refused.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    IntValueNode,
    ValidationContext,
    ValidationRule,
    VariableNode,
    get_nullable_type,
    is_list_type,
)

from api.introspection import check_introspection, is_introspection_only

#: Objects a list field is assumed to return when it has no ``limit`` argument.
DEFAULT_LIST_SIZE = 20


def _limit(node: FieldNode, variables: dict[str, Any]) -> int | None:
    for arg in node.arguments or ():
        if arg.name.value in {"limit", "maxLength"}:
            if isinstance(arg.value, IntValueNode):
                return int(arg.value.value)
            if isinstance(arg.value, VariableNode):
                value = variables.get(arg.value.name.value)
                return int(value) if isinstance(value, int) else None
    return None


def cost_rule(max_cost: int, max_page: int) -> type[ValidationRule]:
    """A validation rule class refusing queries estimated over ``max_cost``.

    A limit above ``max_page`` counts as ``max_page``: the field itself refuses it with
    a clearer message.
    """

    class CostLimit(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.stack: list[int] = [1]
            self.total = 0
            self.fragment_costs: dict[str, int] = {}
            self.introspection = is_introspection_only(context.document)

        def enter_field(self, node: FieldNode, *_: Any) -> None:
            field = self.context.get_field_def()
            factor = 1
            if field is not None and is_list_type(get_nullable_type(field.type)):
                factor = min(_limit(node, {}) or DEFAULT_LIST_SIZE, max_page)
            self.total += self.stack[-1]
            self.stack.append(self.stack[-1] * max(factor, 1))

        def leave_field(self, *_: Any) -> None:
            self.stack.pop()

        def enter_fragment_spread(self, node: FragmentSpreadNode, *_: Any) -> None:
            fragment = self.context.get_fragment(node.name.value)
            if fragment is not None:
                # a named fragment costs as much as its fields, per object at this level
                self.total += self.stack[-1] * len(fragment.selection_set.selections) * 5

        def leave_document(self, *_: Any) -> None:
            if self.introspection:
                error = check_introspection(self.context)
                if error is not None:
                    self.report_error(error)
                return
            if self.total > max_cost:
                self.report_error(
                    GraphQLError(
                        f"query too costly: estimated {self.total} objects, limit {max_cost} "
                        "(ESKG_GRAPHQL_MAX_COST); ask for smaller pages or fewer nested lists"
                    )
                )

    return CostLimit
