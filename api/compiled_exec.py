"""Compiled GraphQL: answering a compiled plan (``api/compiled_plan.py``) from the store.

This is the read planner: it turns a validated query into plain graph reads
(``Store.traverse``), which know nothing of GraphQL. The answer is filled level by level,
breadth first: every entity, relation list and citation the next level needs is read in
one traversal from those nodes (``FromNodes``: on Neo4j one statement composed of the
named queries the strawberry path's DataLoaders send, which also brings the citations'
documents), then the level's objects are filled in the order graphql-core would give. What each field answers comes from the functions the
strawberry resolvers call too (``api.types``), so the two paths cannot drift; a test runs
every query of the suite both ways and compares the answers.

Below an ``entity`` root, the results of ``search`` and the measures of a flagship
answer, the levels are read before the first is filled (the traversal's hops,
``Plan.hops``): the links each level selects are known from the query, so on Neo4j one
statement follows them hop after hop. What a level needs beyond that (citations, links the superset
missed) is read when the level is filled, as before.

The store reads only the properties the request's fields can read (``Plan.needs``: the
labels in the languages asked, the literals selected, citations when ``sources`` is
selected, the dates an ``asOf`` compares), given to every traversal as a
``Projection``; a field whose keys cannot be named in advance (``properties``,
``labels``, a language-tagged literal, a label language the shapes do not allow) reads
them all. On Neo4j that shrinks what the statement returns, which the driver decodes in
Python: most of an executed request's time was spent there.

The whole request runs synchronously in one thread (a worker thread, or the event
loop's when ``api/compiled_http`` runs it inline): a store call is a plain function
call, not a thread hop and a future per batch. Anything unexpected (an unknown
type, a missing document, a store error, bad input) raises, and the HTTP layer hands the
request to strawberry, which writes the error answer.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from graphql import FieldNode, SelectionSetNode
from graphql.execution.values import VariableValues, get_argument_values

from api.compiled_plan import Plan
from api.flagship import FLAGSHIP, answering
from api.schema import ANSWER_TYPE
from api.types import (
    CITATION_TYPE,
    ENTITY_INTERFACE,
    LANG_STRING_TYPE,
    PROPERTY_TYPE,
    label_of,
    labels_of,
    linked_iris,
    literal_value,
    most_specific,
    properties_of,
    short_id,
    type_name_of,
    types_of,
)
from api.validation import search_limit, to_iri
from eskg import deadline
from eskg.config import Settings
from eskg.errors import InvalidInputError
from eskg.model import (
    CitationData,
    EntityData,
    FromNodes,
    FromQuestion,
    FromSearch,
    Hop,
    Projection,
    RelationData,
    Traversal,
)
from eskg.shapes import LANGUAGES
from eskg.store.base import Store
from eskg.vocab import LABEL, MEASURE_CLASS, vocabulary


class Unanswerable(Exception):
    """The compiled executor cannot give strawberry's answer; the general path must."""


@dataclass(frozen=True)
class _Answer:
    """A flagship answer before its fields are filled."""

    measure: str
    path: tuple[str, ...]
    citations: tuple[str, ...]


class _Kind(enum.Enum):
    """What an object of the next level is."""

    ENTITY = enum.auto()
    CITATION = enum.auto()
    ANSWER = enum.auto()


# The kinds as module constants, which the executor compares several times for every
# object of an answer: on CPython 3.11 reading a member off the enum class goes through
# EnumType's ``__getattr__`` hook (about 0.5 us, ten times a global): read that way, a
# flagship answer on Neo4j took 6% more instructions than with strings.
_ENTITY, _CITATION, _ANSWER = _Kind.ENTITY, _Kind.CITATION, _Kind.ANSWER


@dataclass
class _Item:
    """An object of the next level: what it is, what is selected on it, and where it goes
    (appended to a list, or set under a key of its parent; a list leaves out unknowns)."""

    kind: _Kind
    ref: Any  # an IRI, or an _Answer
    sets: tuple[SelectionSetNode, ...]
    sink: Any  # list[Any] | dict[str, Any]
    key: str | None = None
    as_class: str | None = None
    required: bool = False
    relations: bool = False


class Execution:
    """One request's answer: its store reads, memoised for the request."""

    def __init__(
        self, plan: Plan, store: Store, settings: Settings, variables: VariableValues
    ) -> None:
        self.plan = plan
        self.store = store
        self.onto = store.onto
        self.vocab = vocabulary(store.onto)
        self.settings = settings
        self.base = settings.base_iri
        self.variables = variables
        self.entities: dict[str, EntityData | None] = {}
        self.rels: dict[str, list[RelationData]] = {}
        self.cits: dict[str, CitationData | None] = {}
        self.pending: list[_Item] = []
        self._args: dict[int, dict[str, Any]] = {}
        self.only = self._projection()

    # ------------------------------------------------------------------ driving

    def run(self) -> dict[str, Any]:
        """The ``data`` of the answer."""
        data: dict[str, Any] = {}
        root = self.plan.fields("Query", (self.plan.operation.selection_set,))
        for key, nodes in root:
            self._root_field(key, nodes, data)
        while self.pending:
            level, self.pending = self.pending, []
            self._fetch(level)
            for item in level:
                self._complete(item)
        return data

    def _projection(self) -> Projection | None:
        """What the store must read of each entity for this request (``Plan.needs``, the
        ``label`` fields' languages from the variables; the relations of the link fields,
        without citations), or None for everything: a
        language the shapes do not allow for labels reads every property, so that no
        request's text or variables can make the statements sent unboundedly many."""
        needs = self.plan.needs()
        if needs.whole:
            return None
        literals = set(needs.literals)
        if needs.dates:
            literals.update((d, None) for d in (*self.vocab.start_dates, *self.vocab.end_dates))
        for node in needs.labels:
            lang = self._args_of(ENTITY_INTERFACE, node).get("lang", "en") or "en"
            if lang not in LANGUAGES:
                return None
            # label_of's own language, then its fallbacks
            literals.update(((LABEL, lang), (LABEL, "en"), (LABEL, "ja")))
        # links are read to follow them (``linked_iris``), never for their citations
        return Projection(frozenset(literals), needs.citations, needs.links, False)

    def _args_of(self, owner: str, node: FieldNode) -> dict[str, Any]:
        found = self._args.get(id(node))
        if found is None:
            gql_type: Any = self.plan.schema.get_type(owner)
            found = get_argument_values(gql_type.fields[node.name.value], node, self.variables)
            self._args[id(node)] = found
        return found

    def _fetch(self, level: list[_Item]) -> None:
        """Read what this level needs that the request has not read yet, in one call."""
        ents = [i.ref for i in level if i.kind is _ENTITY]
        rels = [i.ref for i in level if i.kind is _ENTITY and i.relations]
        cits = [i.ref for i in level if i.kind is _CITATION]
        self.need(ents, rels, cits)

    def need(self, ents: list[str], rels: list[str], cits: list[str]) -> None:
        """Read the entities, relation lists and citations the request has not read yet,
        in one store call (one statement on Neo4j), which brings the citations'
        documents too. (Reading the kinds side by side in threads measured slower: the
        driver's Python work holds the GIL.)"""
        ents = [i for i in dict.fromkeys(ents) if i not in self.entities]
        rels = [i for i in dict.fromkeys(rels) if i not in self.rels]
        cits = [i for i in dict.fromkeys(cits) if i not in self.cits]
        if not (ents or rels or cits):
            return
        start = FromNodes(tuple(ents), tuple(rels), tuple(cits))
        self._take(self.store.traverse(start, (), self.only))

    def _take(self, found: Traversal) -> None:
        """Remember what a traversal found for the IRIs it asked (an absent one as None, or
        no relations), and the documents of its citations."""
        self.entities.update((i, found.entities.get(i)) for i in found.asked_entities)
        self.entities.update(found.entities)  # the citations' documents
        self.rels.update((i, found.relations.get(i, [])) for i in found.asked_relations)
        self.cits.update((i, found.citations.get(i)) for i in found.asked_citations)

    def _enqueue(
        self,
        kind: _Kind,
        ref: Any,
        nodes: tuple[FieldNode, ...],
        sink: Any,
        key: str | None = None,
        as_class: str | None = None,
        required: bool = False,
    ) -> None:
        sets = self.plan.below(nodes)
        reads = kind is _ENTITY and self.plan.reads_relations(sets)
        self.pending.append(_Item(kind, ref, sets, sink, key, as_class, required, reads))

    def _place(self, item: _Item, value: Any) -> None:
        if item.key is None:
            item.sink.append(value)
        else:
            item.sink[item.key] = value

    # ------------------------------------------------------------------ root fields

    def _root_field(self, key: str, nodes: tuple[FieldNode, ...], data: dict[str, Any]) -> None:
        name = nodes[0].name.value
        if name == "__typename":
            data[key] = "Query"
            return
        args = self._args_of("Query", nodes[0])
        if name == "entity":
            data[key] = None
            iri = to_iri(str(args["id"]), self.base)
            # every level below it in one store call (one statement on Neo4j)
            hops = self.plan.hops(self.plan.below(nodes))
            if iri not in self.entities:
                start = FromNodes((iri,), (iri,) if hops else ())
                self._take(self.store.traverse(start, hops, self.only))
            self._enqueue(_ENTITY, iri, nodes, data, key)
        elif name == "search":
            data[key] = []
            for iri in self._search(args, nodes):
                self._enqueue(_ENTITY, iri, nodes, data[key])
        elif name in FLAGSHIP:
            data[key] = []
            for answer in self._answers(name, args, nodes):
                self._enqueue(_ANSWER, answer, nodes, data[key])
        else:
            raise Unanswerable(f"root field {name}")

    def _search(self, args: dict[str, Any], nodes: tuple[FieldNode, ...]) -> list[str]:
        """The IRIs found, with their entities and the levels below read in the same
        round."""
        text, types = str(args["text"]), args.get("types")
        limit = search_limit(
            text, types, args.get("limit"), self.onto.classes, self.settings.max_page_size
        )
        # and every level below them read ahead, in the same store call
        hops = self.plan.hops(self.plan.below(nodes))
        start = FromSearch(text, tuple(types) if types is not None else None, limit)
        found = self.store.traverse(start, hops, self.only)
        self._take(found)
        return found.found

    def _answers(
        self, name: str, args: dict[str, Any], nodes: tuple[FieldNode, ...]
    ) -> list[_Answer]:
        question, argument = FLAGSHIP[name]
        iri = to_iri(str(args[argument]), self.base)
        fields = self.plan.fields(ANSWER_TYPE, self.plan.below(nodes))
        selected = {n[0].name.value for _, n in fields}
        # the measures, what the selection reads of their paths, and the levels below the
        # measures, in the same round
        hops: tuple[Hop, ...] = ()
        for _, measure in (f for f in fields if f[1][0].name.value == "measure"):
            hops = merged(hops, self.plan.hops(self.plan.below(measure)))
        start = FromQuestion(question, iri, "path" in selected, "sources" in selected)
        try:
            found = self.store.traverse(start, hops, self.only)
        except InvalidInputError:
            return []
        self._take(found)
        return [
            _Answer(a.measure, a.nodes, cited)
            for a, _, cited in answering(
                found.answers, self.entities.get, args.get("asOf"), self.vocab
            )
        ]

    # ------------------------------------------------------------------ objects

    def _complete(self, item: _Item) -> None:
        if item.kind is _ENTITY:
            self._entity(item)
        elif item.kind is _CITATION:
            self._citation(item)
        else:
            self._answer(item)

    def _missing(self, item: _Item) -> None:
        if item.required:
            raise Unanswerable(f"{item.kind.name.lower()} {item.ref} is missing")
        if item.key is not None:
            item.sink[item.key] = None

    def _entity(self, item: _Item) -> None:
        data = self.entities.get(item.ref)
        if data is None:
            self._missing(item)
            return
        deadline.charge(deadline.entity_bytes(data))  # ESKG_MAX_RESPONSE_BYTES, as it fills
        cls = item.as_class or most_specific(self.onto, data.types)
        if cls not in self.plan.types.classes:
            raise Unanswerable(f"no GraphQL type for class {cls}")
        type_name = type_name_of(cls)
        specs = self.plan.types.fields.get(type_name, {})
        out: dict[str, Any] = {}
        self._place(item, out)
        for key, nodes in self.plan.fields(type_name, item.sets):
            name = nodes[0].name.value
            if name == "__typename":
                out[key] = type_name
            elif name == "iri":
                out[key] = data.iri
            elif name == "id":
                out[key] = short_id(data.iri, self.base)
            elif name == "types":
                out[key] = types_of(data, self.onto)
            elif name == "label":
                out[key] = label_of(data, self._args_of(type_name, nodes[0]).get("lang", "en"))
            elif name == "labels":
                out[key] = [self._plain(v, LANG_STRING_TYPE, nodes) for v in labels_of(data)]
            elif name == "properties":
                out[key] = [self._plain(v, PROPERTY_TYPE, nodes) for v in properties_of(data)]
            elif name == "sources":
                out[key] = []
                for iri in data.citations:
                    self._enqueue(_CITATION, iri, nodes, out[key])
            elif name in specs:
                spec = specs[name]
                if spec.direction is None:
                    out[key] = literal_value(spec.prop, data, self._args_of(type_name, nodes[0]))
                else:
                    out[key] = []
                    rels = self._relations(data.iri)
                    for iri in linked_iris(rels, spec.prop.name, spec.direction):
                        self._enqueue(_ENTITY, iri, nodes, out[key])
            else:
                raise Unanswerable(f"field {type_name}.{name}")

    def _relations(self, iri: str) -> list[RelationData]:
        if iri not in self.rels:  # not prefetched (the plan said no relation fields)
            self.need([], [iri], [])
        return self.rels[iri]

    def _plain(self, value: Any, type_name: str, nodes: tuple[FieldNode, ...]) -> dict[str, Any]:
        """A small object without fetches (LangString, Property): its selected attributes."""
        out: dict[str, Any] = {}
        for key, sub in self.plan.fields(type_name, self.plan.below(nodes)):
            name = sub[0].name.value
            out[key] = type_name if name == "__typename" else getattr(value, name)
        return out

    def _citation(self, item: _Item) -> None:
        cit = self.cits.get(item.ref)
        if cit is None:
            self._missing(item)
            return
        out: dict[str, Any] = {}
        self._place(item, out)
        for key, nodes in self.plan.fields(CITATION_TYPE, item.sets):
            name = nodes[0].name.value
            if name == "__typename":
                out[key] = CITATION_TYPE
            elif name == "document":
                out[key] = None
                self._enqueue(_ENTITY, cit.document, nodes, out, key, required=True)
            else:  # iri, locator, quote
                out[key] = getattr(cit, name)

    def _answer(self, item: _Item) -> None:
        answer: _Answer = item.ref
        out: dict[str, Any] = {}
        self._place(item, out)
        for key, nodes in self.plan.fields(ANSWER_TYPE, item.sets):
            name = nodes[0].name.value
            if name == "__typename":
                out[key] = ANSWER_TYPE
            elif name == "measure":
                out[key] = None
                self._enqueue(
                    _ENTITY, answer.measure, nodes, out, key, MEASURE_CLASS, required=True
                )
            elif name == "path":
                out[key] = []
                for iri in answer.path:
                    self._enqueue(_ENTITY, iri, nodes, out[key])
            else:  # sources
                out[key] = []
                for iri in answer.citations:
                    self._enqueue(_CITATION, iri, nodes, out[key])


def merged(a: tuple[Hop, ...], b: tuple[Hop, ...]) -> tuple[Hop, ...]:
    """Two selections' hops read ahead together: hop by hop, the links of both."""
    out = []
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else Hop(frozenset())
        y = b[i] if i < len(b) else Hop(frozenset())
        out.append(Hop(x.follow | y.follow, x.expand | y.expand))
    return tuple(out)


def execute(
    plan: Plan, store: Store, settings: Settings, variables: VariableValues
) -> dict[str, Any]:
    """The ``data`` of a compiled request (blocking: run it in a worker thread)."""
    return Execution(plan, store, settings, variables).run()
