"""Compiled GraphQL: deciding which requests can be answered without graphql-core's
per-field execution, and collecting their fields.

graphql-core resolves every field of an answer through its executor and strawberry's
resolver wrappers: about 15-25 µs per field, several milliseconds for a flagship answer
of ~270 fields, more than the Cypher it runs. Most requests, though, only read the
entities, labels, literals, links and citations of the fixed contract. For those the
query text is parsed and validated once (the same limits and rules as the strawberry
path), and ``api/compiled_exec.py`` fills the answer straight from the store's batch
reads.

A document is compiled only when every field it selects, in every fragment, is one the
compiled executor answers (``answered_fields``) and it uses no directives; anything else
(introspection, ``relations``, ``questions``, ``@include``, a syntax error, a failed
validation) is answered by strawberry, which also writes every error message.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

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
    OperationType,
    SelectionSetNode,
    get_named_type,
    get_operation_ast,
    parse,
    specified_rules,
)
from graphql.type import GraphQLInterfaceType, GraphQLObjectType
from strawberry.schema.schema import validate_document

from api.flagship import FLAGSHIP
from api.schema import ANSWER_TYPE
from api.types import (
    CITATION_TYPE,
    ENTITY_INTERFACE,
    LANG_STRING_TYPE,
    PROPERTY_TYPE,
    EntityTypes,
    entity_types_of,
)
from eskg.model import Hop

#: Root fields the compiled executor answers (``Execution._root_field``).
ROOT_FIELDS = frozenset({"entity", "search", *FLAGSHIP})
#: Object types whose every field, as the schema declares it, the compiled executor
#: answers (``Execution._citation``, ``_answer`` and ``_plain``).
PLAIN_TYPES = (CITATION_TYPE, ANSWER_TYPE, LANG_STRING_TYPE, PROPERTY_TYPE)

Fields = list[tuple[str, tuple[FieldNode, ...]]]
#: Root fields whose reads scan (every label) instead of seeking an IRI.
SCANNING_ROOTS = frozenset({"search"})

#: Root fields whose ``asOf`` argument reads the measures' dates (``Vocabulary.applies_on``).
DATED_FIELDS = frozenset(FLAGSHIP)


@dataclass(frozen=True)
class Needs:
    """What a document reads of its entities' own statements (``Plan.needs``): literals
    as (property, language), the ``label`` fields (their languages are arguments),
    whether it reads their citations, and the object properties its link fields follow;
    ``whole`` when a field reads keys that cannot be named in advance (``properties``,
    ``labels``, a language-tagged literal)."""

    whole: bool
    literals: frozenset[tuple[str, str | None]]
    labels: tuple[FieldNode, ...]
    citations: bool
    links: frozenset[str]
    #: Whether an ``asOf`` compares the entities' start and end dates (the vocabulary's).
    dates: bool = False


class NotCompiled(Exception):
    """The document needs the general executor (the message says why, for the log)."""


def answered_fields(schema: GraphQLSchema, types: EntityTypes) -> dict[str, frozenset[str]]:
    """Type name -> the fields the compiled executor answers, read from the built schema
    so that a field added to a type is known here at once: ``ROOT_FIELDS`` of the query
    type, every field of ``PLAIN_TYPES``, and on the ``Entity`` interface and every entity
    type the interface's fields but those reading relations (``types.relation_fields``)
    with the type's generated fields (``types.fields``). ``__typename`` everywhere."""

    def fields_of(name: str) -> frozenset[str]:
        found: Any = schema.get_type(name)
        return frozenset(found.fields)

    typename = frozenset({"__typename"})
    out = {"Query": ROOT_FIELDS | typename}
    out.update((name, fields_of(name) | typename) for name in PLAIN_TYPES)
    entity = (fields_of(ENTITY_INTERFACE) - types.relation_fields) | typename
    out[ENTITY_INTERFACE] = entity
    out.update((name, entity | frozenset(specs)) for name, specs in types.fields.items())
    return out


@dataclass
class Plan:
    """One operation of a parsed, validated, supported document."""

    schema: GraphQLSchema
    #: The entity types the schema carries (what the generated fields read).
    types: EntityTypes
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDefinitionNode]
    links: dict[str, frozenset[tuple[str, str]]] = field(default_factory=dict)  # link_fields()
    _fields: dict[tuple[str, tuple[int, ...]], Fields] = field(default_factory=dict)
    _relations: dict[tuple[int, ...], bool] = field(default_factory=dict)
    _below: dict[int, tuple[SelectionSetNode, ...]] = field(default_factory=dict)
    _hops: dict[tuple[int, ...], tuple[Hop, ...]] = field(default_factory=dict)
    _needs: Needs | None = None
    _scans: bool | None = None

    def scans(self) -> bool:
        """Whether a root field reads by scanning rather than from an IRI's index entry:
        ``search`` compares every label (about 10 ms at 100k quads on Neo4j, against
        about 1 ms for an entity or a flagship question)."""
        if self._scans is None:
            root = self.fields("Query", (self.operation.selection_set,))
            self._scans = any(nodes[0].name.value in SCANNING_ROOTS for _, nodes in root)
        return self._scans

    def below(self, nodes: tuple[FieldNode, ...]) -> tuple[SelectionSetNode, ...]:
        """The selection sets of merged field nodes (as ``fields`` returns them)."""
        found = self._below.get(id(nodes))
        if found is None:
            found = selection_sets(nodes)
            self._below[id(nodes)] = found
        return found

    def fields(self, type_name: str, sets: tuple[SelectionSetNode, ...]) -> Fields:
        """The fields selected on an object of ``type_name`` by these selection sets, merged
        by response key in document order (fragments applied), as graphql-core collects them."""
        key = (type_name, tuple(map(id, sets)))
        found = self._fields.get(key)
        if found is None:
            out: dict[str, list[FieldNode]] = {}
            seen: set[str] = set()
            for selection_set in sets:
                self._collect(type_name, selection_set, out, seen)
            found = [(k, tuple(v)) for k, v in out.items()]
            self._fields[key] = found
        return found

    def _applies(self, condition: str | None, type_name: str) -> bool:
        if condition is None or condition == type_name:
            return True
        cond = self.schema.get_type(condition)
        runtime = self.schema.get_type(type_name)
        return (
            isinstance(cond, GraphQLInterfaceType)
            and isinstance(runtime, GraphQLObjectType)
            and self.schema.is_sub_type(cond, runtime)
        )

    def _collect(
        self,
        type_name: str,
        selection_set: SelectionSetNode,
        out: dict[str, list[FieldNode]],
        seen: set[str],
    ) -> None:
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                out.setdefault(sel.alias.value if sel.alias else sel.name.value, []).append(sel)
            elif isinstance(sel, InlineFragmentNode):
                cond = sel.type_condition.name.value if sel.type_condition else None
                if self._applies(cond, type_name):
                    self._collect(type_name, sel.selection_set, out, seen)
            elif isinstance(sel, FragmentSpreadNode) and sel.name.value not in seen:
                seen.add(sel.name.value)
                frag = self.fragments[sel.name.value]
                if self._applies(frag.type_condition.name.value, type_name):
                    self._collect(type_name, frag.selection_set, out, seen)

    def needs(self) -> Needs:
        """What any field of the document, on any type and in any fragment, reads of an
        entity's statements and relations: a superset of what the answer reads, so that
        a read of only these gives the same answer."""
        if self._needs is None:
            literal = {
                name: spec.prop
                for specs in self.types.fields.values()
                for name, spec in specs.items()
                if spec.direction is None
            }
            whole = citations = dates = False
            literals: set[tuple[str, str | None]] = set()
            links: set[str] = set()
            labels: list[FieldNode] = []
            todo = [
                self.operation.selection_set,
                *(f.selection_set for f in self.fragments.values()),
            ]
            while todo:
                for sel in todo.pop().selections:
                    if isinstance(sel, InlineFragmentNode):
                        todo.append(sel.selection_set)
                    if not isinstance(sel, FieldNode):
                        continue  # a spread's fragment is walked as a definition
                    if sel.selection_set is not None:
                        todo.append(sel.selection_set)
                    name = sel.name.value
                    if name in ("properties", "labels"):
                        whole = True
                    elif name == "label":
                        labels.append(sel)
                    elif name == "sources":
                        citations = True
                    elif name in DATED_FIELDS:
                        if any(a.name.value == "asOf" for a in sel.arguments or ()):
                            dates = True
                    elif name in self.links:
                        links.update(prop for prop, _ in self.links[name])
                    elif name in literal:
                        if literal[name].is_lang_string:
                            whole = True
                        else:
                            literals.add((literal[name].name, None))
            self._needs = Needs(
                whole, frozenset(literals), tuple(labels), citations, frozenset(links), dates
            )
        return self._needs

    def reads_relations(self, sets: tuple[SelectionSetNode, ...]) -> bool:
        """Whether these selections read an entity's relations (fragments included, type
        conditions ignored, as ``api.types.wants_relations`` decides for the same query)."""
        key = tuple(map(id, sets))
        found = self._relations.get(key)
        if found is None:
            found = any(self._reads(s, set()) for s in sets)
            self._relations[key] = found
        return found

    def hops(self, sets: tuple[SelectionSetNode, ...]) -> tuple[Hop, ...]:
        """The levels below an entity with these selections, as the hops of a traversal
        (``Store.traverse``): per level the links selected on the one above (type
        conditions ignored, so a superset of what the answer follows), and those whose
        selection reads links in turn, whose ends' relations are read too."""
        key = tuple(map(id, sets))
        found = self._hops.get(key)
        if found is None:
            hops = []
            links, expand, below = self._links(sets)
            while links:  # the selection is finite: the loop ends where it does
                hops.append(Hop(frozenset(links), frozenset(expand)))
                links, expand, below = self._links(below)
            found = self._hops[key] = tuple(hops)
        return found

    def _links(
        self, sets: tuple[SelectionSetNode, ...]
    ) -> tuple[set[tuple[str, str]], set[tuple[str, str]], tuple[SelectionSetNode, ...]]:
        """The links selected in these selections, those among them whose selections read
        links again, and those selections."""
        links: set[tuple[str, str]] = set()
        expand: set[tuple[str, str]] = set()
        below: list[SelectionSetNode] = []
        todo, seen = list(sets), set()
        while todo:
            for sel in todo.pop().selections:
                if isinstance(sel, FieldNode):
                    found = self.links.get(sel.name.value)
                    if found and sel.selection_set is not None:
                        links |= found
                        if self.reads_relations((sel.selection_set,)):
                            expand |= found
                            below.append(sel.selection_set)
                elif isinstance(sel, InlineFragmentNode):
                    todo.append(sel.selection_set)
                elif isinstance(sel, FragmentSpreadNode) and sel.name.value not in seen:
                    seen.add(sel.name.value)
                    todo.append(self.fragments[sel.name.value].selection_set)
        return links, expand, tuple(below)

    def _reads(self, selection_set: SelectionSetNode, seen: set[str]) -> bool:
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                if sel.name.value in self.types.relation_fields:
                    return True
            elif isinstance(sel, InlineFragmentNode):
                if self._reads(sel.selection_set, seen):
                    return True
            elif isinstance(sel, FragmentSpreadNode) and sel.name.value not in seen:
                seen.add(sel.name.value)
                if self._reads(self.fragments[sel.name.value].selection_set, seen):
                    return True
        return False


def link_fields(types: EntityTypes) -> dict[str, frozenset[tuple[str, str]]]:
    """Link field name -> the (property, direction) pairs it reads on any entity type
    (one pair: the generated names say both), from the schema's field specs."""
    found: dict[str, set[tuple[str, str]]] = {}
    for specs in types.fields.values():
        for name, spec in specs.items():
            if spec.direction is not None:
                found.setdefault(name, set()).add((spec.prop.name, spec.direction))
    return {name: frozenset(pairs) for name, pairs in found.items()}


def selection_sets(nodes: Iterable[FieldNode]) -> tuple[SelectionSetNode, ...]:
    """The selection sets of merged field nodes."""
    return tuple(n.selection_set for n in nodes if n.selection_set is not None)


class Compiler:
    """Parses, validates and checks documents once; keeps the plans of recent ones."""

    def __init__(
        self,
        schema: GraphQLSchema,
        rules: Iterable[type[ASTValidationRule]],
        max_tokens: int,
        size: int = 256,
    ) -> None:
        self.schema = schema
        self.rules = (*specified_rules, *rules)
        self.max_tokens = max_tokens
        self.size = size
        self._plans: OrderedDict[tuple[str, str | None], Plan | None] = OrderedDict()
        self.types = entity_types_of(schema)
        self.links = link_fields(self.types)
        self.answered = answered_fields(schema, self.types)

    def plan(self, query: str, operation_name: str | None) -> Plan | None:
        """The plan of this request, or None when the general executor must answer it."""
        key = (query, operation_name)
        if key in self._plans:
            self._plans.move_to_end(key)
            return self._plans[key]
        try:
            found: Plan | None = self._compile(query, operation_name)
        except (NotCompiled, GraphQLError):
            found = None
        self._plans[key] = found
        if len(self._plans) > self.size:
            self._plans.popitem(last=False)
        return found

    def _compile(self, query: str, operation_name: str | None) -> Plan:
        document = parse(query, max_tokens=self.max_tokens)
        if validate_document(self.schema, document, self.rules):
            raise NotCompiled("the document does not validate")
        operation = get_operation_ast(document, operation_name)
        if operation is None or operation.operation != OperationType.QUERY:
            raise NotCompiled("no single query operation")
        if operation.directives:
            raise NotCompiled("directives")
        fragments = _fragments(document)
        _check(self.schema, self.answered, fragments, "Query", operation.selection_set, set())
        return Plan(self.schema, self.types, operation, fragments, self.links)


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}


def _check(
    schema: GraphQLSchema,
    answered: dict[str, frozenset[str]],
    fragments: dict[str, FragmentDefinitionNode],
    parent: str,
    selection_set: SelectionSetNode,
    seen: set[str],
) -> None:
    """Raise NotCompiled unless every selection below is answered by the compiled executor."""
    for sel in selection_set.selections:
        if sel.directives:
            raise NotCompiled("directives")
        if isinstance(sel, FieldNode):
            name = sel.name.value
            if name not in answered.get(parent, ()):
                raise NotCompiled(f"{parent}.{name}")
            if sel.selection_set is not None:
                owner: Any = schema.get_type(parent)
                child = get_named_type(owner.fields[name].type)
                _check(schema, answered, fragments, child.name, sel.selection_set, seen)
        elif isinstance(sel, InlineFragmentNode):
            cond = sel.type_condition.name.value if sel.type_condition else parent
            _check(schema, answered, fragments, cond, sel.selection_set, seen)
        elif isinstance(sel, FragmentSpreadNode) and sel.name.value not in seen:
            seen.add(sel.name.value)
            frag = fragments[sel.name.value]
            if frag.directives:
                raise NotCompiled("directives")
            _check(
                schema,
                answered,
                fragments,
                frag.type_condition.name.value,
                frag.selection_set,
                seen,
            )
