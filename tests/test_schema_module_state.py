"""The GraphQL types are module-level code, and building a schema changes no module state.

The types generated from the ontology are one immutable value (``api.types.EntityTypes``)
carried by the schema that was built with them; the resolvers, the compiled executor and
the cost read it from there. Building schemas (two here) leaves every module-level value
of the ``api`` package as it was after import: the same objects, with the same contents.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import MappingProxyType, ModuleType
from typing import Any

import pytest
from graphql import GraphQLSchema

import api
from api.schema import build_schema
from api.types import EntityTypes, entity_types_of
from eskg.config import Settings
from eskg.errors import ConfigurationError
from eskg.ontology import Ontology
from eskg.vocab import CITATION_CLASS, MEASURE_CLASS

#: Every module of the api package.
MODULES = sorted(f"api.{m.name}" for m in pkgutil.iter_modules(api.__path__))


def _fingerprint(value: Any) -> Any:
    """What a module-level value is: the object, and for a container or a class its
    contents (so that a dict filled or a class attribute set in place shows)."""
    if isinstance(value, dict | MappingProxyType):
        return (id(value), {k: id(v) for k, v in value.items()})
    if isinstance(value, list | set | frozenset | tuple):
        return (id(value), sorted(map(id, value)))
    if isinstance(value, type):
        return (id(value), {k: id(v) for k, v in vars(value).items()})
    return id(value)


def _state() -> dict[str, dict[str, Any]]:
    modules: list[ModuleType] = [importlib.import_module(name) for name in MODULES]
    return {m.__name__: {k: _fingerprint(v) for k, v in vars(m).items()} for m in modules}


def _changes(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> list[str]:
    out = []
    for module, names in before.items():
        now = after[module]
        out += [f"{module}.{k}" for k in names.keys() | now.keys() if names.get(k) != now.get(k)]
    return sorted(out)


def test_building_schemas_changes_no_module_state(onto: Ontology, settings: Settings) -> None:
    assert {"api.schema", "api.types", "api.compiled_plan", "api.cost"} <= set(MODULES)
    before = _state()
    first = build_schema(onto, settings)
    second = build_schema(onto, settings)
    assert _changes(before, _state()) == []
    # each schema carries its own generated types, which nothing can change
    mine, theirs = entity_types_of(first._schema), entity_types_of(second._schema)
    assert mine.classes[MEASURE_CLASS] is not theirs.classes[MEASURE_CLASS]
    assert mine.fields.keys() == theirs.fields.keys()
    with pytest.raises(TypeError):
        mine.classes[MEASURE_CLASS] = theirs.classes[MEASURE_CLASS]  # type: ignore[index]
    with pytest.raises(TypeError):
        mine.fields[MEASURE_CLASS] = {}  # type: ignore[index]


def test_the_state_check_would_see_a_change() -> None:
    """A dict filled in place, or a class attribute set, changes the fingerprint (so the
    check above can fail)."""
    registry: dict[str, int] = {}
    before = _fingerprint(registry)
    registry["Measure"] = 1
    assert _fingerprint(registry) != before

    class Holder:
        pass

    before = _fingerprint(Holder)
    Holder.added = 1  # type: ignore[attr-defined]
    assert _fingerprint(Holder) != before


def test_generated_types_are_one_value_per_ontology(onto: Ontology) -> None:
    generated = EntityTypes.from_ontology(onto)
    assert generated.classes.keys() == set(onto.classes) - {CITATION_CLASS}
    assert {"relations", "relationCount"} <= generated.relation_fields
    links = {n for specs in generated.fields.values() for n, s in specs.items() if s.direction}
    assert links and links <= generated.relation_fields


def test_a_schema_not_built_here_is_refused_clearly(onto: Ontology, settings: Settings) -> None:
    plain = build_schema(onto, settings)
    # a graphql-core schema without the back reference (not built by build_schema)
    bare = GraphQLSchema(query=plain._schema.query_type)
    with pytest.raises(ConfigurationError, match="build_schema"):
        entity_types_of(bare)
