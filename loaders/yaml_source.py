"""Read curated YAML files into records that remember their file and line.

The format is documented in ``docs/data-format.md``. This module only reads and checks
the shape of the YAML (which keys, which kinds of values); what the values mean is
checked against the ontology by :mod:`loaders.compile`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from eskg.errors import InvalidInputError
from eskg.vocab import VALID_FROM, VALID_UNTIL

#: Largest curated file read, so a runaway file cannot exhaust memory.
MAX_FILE_BYTES = 5 * 1024 * 1024
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*$")
RECORD_KEYS = {"id", "type", "label", "properties", "relations", "sources"}
CITATION_KEYS = {"document", "locator", "quote"}


@dataclass(frozen=True)
class Location:
    """Where a record or value was written."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class CitationSpec:
    """A citation as written: the document's id, a locator and an optional quote."""

    document: str
    locator: str
    quote: str | None
    where: Location


@dataclass(frozen=True)
class RelationSpec:
    """One relation of a record to another record's id, with its own citations."""

    prop: str
    target: str
    sources: tuple[CitationSpec, ...]
    where: Location
    #: The first and last dates on which the relation holds, when the source bounds it.
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass
class Record:
    """One curated entity; a record without types extends the one that defines its id."""

    id: str
    types: list[str]
    labels: dict[str, str]
    properties: dict[str, Any]
    relations: list[RelationSpec]
    sources: list[CitationSpec]
    where: Location
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def defines(self) -> bool:
        """True for the record that defines the entity (it has a type)."""
        return bool(self.types)


class _LineLoader(yaml.SafeLoader):
    """A safe loader that records each mapping's line under the key ``__line__``."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """Dates as usual, but an impossible date (2022-13-45) is a located YAML error."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"invalid date {node.value!r} ({exc})", node.start_mark
            ) from exc


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _LineLoader.construct_yaml_timestamp)


def _fail(where: Location, message: str) -> InvalidInputError:
    return InvalidInputError(f"{where}: {message}")


def _citations(raw: Any, where: Location) -> list[CitationSpec]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise _fail(where, "'sources' must be a list of {document, locator, quote}")
    out = []
    for item in raw:
        if not isinstance(item, dict):
            raise _fail(where, "each source must be a mapping {document, locator, quote}")
        loc = Location(where.file, int(item.get("__line__", where.line)))
        unknown = set(item) - CITATION_KEYS - {"__line__"}
        if unknown:
            raise _fail(
                loc, f"unknown key(s) in a source: {sorted(unknown)}; use {sorted(CITATION_KEYS)}"
            )
        doc, locator, quote = item.get("document"), item.get("locator"), item.get("quote")
        if not isinstance(doc, str) or not isinstance(locator, str) or not locator.strip():
            raise _fail(loc, "a source needs 'document' (an id) and a non-empty 'locator'")
        if quote is not None and (not isinstance(quote, str) or not quote.strip()):
            raise _fail(loc, "'quote' must be non-empty text when given")
        out.append(CitationSpec(doc, locator, quote, loc))
    return out


def _relations(raw: Any, where: Location, inherited: list[CitationSpec]) -> list[RelationSpec]:
    if raw is None:
        return []
    if not isinstance(raw, dict):
        raise _fail(where, "'relations' must map a property name to an id or a list of ids")
    out: list[RelationSpec] = []
    for prop, value in raw.items():
        if prop == "__line__":
            continue
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, str):
                out.append(RelationSpec(prop, item, tuple(inherited), where))
            elif isinstance(item, dict) and isinstance(item.get("target"), str):
                loc = Location(where.file, int(item.get("__line__", where.line)))
                unknown = set(item) - {"target", "sources", VALID_FROM, VALID_UNTIL, "__line__"}
                if unknown:
                    raise _fail(loc, f"unknown key(s) in relation {prop!r}: {sorted(unknown)}")
                bounds = {k: item.get(k) for k in (VALID_FROM, VALID_UNTIL)}
                for key, value in bounds.items():
                    if value is not None and not is_date(value):
                        raise _fail(
                            loc,
                            f"relation {prop!r}: {key} must be an unquoted date YYYY-MM-DD, "
                            f"got {value!r}",
                        )
                own = _citations(item.get("sources"), loc)
                out.append(
                    RelationSpec(
                        prop,
                        item["target"],
                        tuple(own or inherited),
                        loc,
                        bounds[VALID_FROM],
                        bounds[VALID_UNTIL],
                    )
                )
            else:
                raise _fail(
                    where, f"relation {prop!r}: expected an id or {{target, sources}}, got {item!r}"
                )
    return out


def _record(raw: Any, file: str) -> Record:
    if not isinstance(raw, dict):
        raise InvalidInputError(
            f"{file}: each top-level item must be a mapping (a record), got {raw!r}"
        )
    where = Location(file, int(raw.get("__line__", 0)))
    unknown = set(raw) - RECORD_KEYS - {"__line__"}
    if unknown:
        raise _fail(where, f"unknown key(s) {sorted(unknown)}; a record has {sorted(RECORD_KEYS)}")
    rid = raw.get("id")
    if not isinstance(rid, str) or not ID_PATTERN.match(rid):
        raise _fail(
            where, f"'id' must be lower-case words joined by '/', '-', '_' or '.', got {rid!r}"
        )
    types = raw.get("type", [])
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise _fail(where, f"record {rid!r}: 'type' must be a class name or a list of them")
    if not types and (raw.get("label") or raw.get("properties")):
        raise _fail(
            where,
            f"record {rid!r} has no 'type': a record without a type only extends the record"
            " that defines the id, with more 'relations' (and their 'sources'); give it a type"
            " or move its labels and properties to the defining record",
        )
    labels = raw.get("label") or {}
    if not isinstance(labels, dict) or not all(
        isinstance(v, str) for k, v in labels.items() if k != "__line__"
    ):
        raise _fail(
            where,
            f"record {rid!r}: 'label' must map a language (ja, en) to text, got {labels!r}"
            " (quote text containing commas or colons)",
        )
    labels = {k: v for k, v in labels.items() if k != "__line__"}
    props = raw.get("properties") or {}
    if not isinstance(props, dict):
        raise _fail(where, f"record {rid!r}: 'properties' must be a mapping")
    props = {k: v for k, v in props.items() if k != "__line__"}
    sources = _citations(raw.get("sources"), where)
    return Record(
        id=rid,
        types=list(types),
        labels=labels,
        properties=props,
        relations=_relations(raw.get("relations"), where, sources),
        sources=sources,
        where=where,
    )


def read_file(path: Path, display: str | None = None) -> list[Record]:
    """Records of one YAML file; errors name the file and line."""
    name = display or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InvalidInputError(f"{name}: cannot read: {exc.strerror}") from exc
    if size > MAX_FILE_BYTES:
        raise InvalidInputError(
            f"{name}: {size} bytes is over the {MAX_FILE_BYTES}-byte limit for one file; split it"
        )
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            f"{name}: not UTF-8 (byte {exc.start}: {exc.object[exc.start : exc.start + 1]!r}); "
            "save the file as UTF-8"
        ) from exc
    try:
        docs = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InvalidInputError(f"{name}{line}: malformed YAML: {problem}") from exc
    if docs is None:
        return []
    if not isinstance(docs, list):
        raise InvalidInputError(f"{name}: the file must be a YAML list of records")
    return [_record(item, name) for item in docs]


def read_folder(folder: Path) -> list[Record]:
    """Records of every ``*.yaml`` file below a folder, in path order."""
    if not folder.is_dir():
        raise InvalidInputError(f"{folder}: no such data folder")
    records: list[Record] = []
    for path in sorted(folder.rglob("*.yaml")):
        try:
            display = str(path.relative_to(folder.parent))
        except ValueError:
            display = str(path)
        records.extend(read_file(path, display))
    return records


def is_date(value: Any) -> bool:
    """True for a YAML date value (2022-12-20 unquoted)."""
    return isinstance(value, date)
