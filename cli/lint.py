"""``eskg lint``: curation checks over the compiled, validated data (``docs/lint.md``).

SHACL (``eskg validate``) proves the data is well formed; these checks look for what is
well formed and still wrong: one thing entered twice, an id that says one class and a
type that says another, an acronym for a name, a relation its own quotes do not speak
of, a figure its quote does not state, a link that starts before its ends exist, a
round's total hung on each member. A finding is an **error** when it is a fault for
certain and a **warning** when it is likely one. Accepted warnings (and the rare
accepted error) are listed with a reason in ``data/lint-accepted.yml``, which the lint
reads; the lint exits 0 without errors, 1 with errors, 2 when it could not run.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from cli.lint_text import (
    APPROXIMATE_MARKERS,
    has_japanese,
    is_acronym,
    mention_keys,
    normalise,
    numbers,
    same_number,
)
from eskg.errors import InvalidInputError
from eskg.ontology import Ontology
from loaders.yaml_source import CitationSpec, Location, Record, RelationSpec

ERROR, WARNING = "error", "warning"
#: The allowlist, in the data folder; ``.yml`` because every ``*.yaml`` there is records.
ACCEPTED_FILE = "lint-accepted.yml"
#: The checks, by name, with what each finds (``docs/lint.md`` says the same).
CHECKS = {
    "duplicate-label": "two entities of one top-level class with the same normalised label",
    "duplicate-alt-label": "an alt label of one entity is a label of another of its class",
    "id-prefix": "an id prefix that the class of the entity contradicts",
    "acronym-label": "both labels are only an acronym",
    "ja-label-script": "the Japanese label has no Japanese script",
    "unsupported-relation": "no quote of a relation mentions either of its ends",
    "unquoted-relation": "a relation whose citations have no quote",
    "figure-value": "a figure's value cannot be read in its quote",
    "figure-approximate": "the quote says 約/以上/超/程度 but the figure is not approximate",
    "time-order": "a relation starts before one of its ends exists",
    "round-total": "one figure attached to several members of one round",
}
#: Classes whose label collisions are only likely faults: two editions of a document,
#: two figures of the same amount from sources that disagree.
SOFT_DUPLICATES = frozenset({"Document", "Figure"})
#: Dates at which an entity comes into being, earliest taken.
EXISTS_FROM = ("enactedOn", "promulgatedOn", "designatedOn", "date")
#: Relations that may start before their target exists: a document describing or
#: reporting something later, a meeting's outcome published after it.
LATER_TARGETS = frozenset({"describedIn", "outcome", "hasFigure"})
#: A prefix decides a class when at least this many of its entities agree, and they
#: are at least this share of them.
PREFIX_MIN, PREFIX_SHARE = 3, 0.75


@dataclass(frozen=True)
class Finding:
    """One problem: the check, how sure, the ids, where, what is wrong, and a fix."""

    check: str
    severity: str
    ids: tuple[str, ...]
    where: Location | None
    message: str
    fix: str

    def line(self) -> str:
        where = f"{self.where}: " if self.where else ""
        return (
            f"{self.severity}: {where}[{self.check}] {', '.join(self.ids)}: {self.message}"
            f" -> {self.fix}"
        )


@dataclass(frozen=True)
class Accepted:
    """A finding accepted on purpose (``data/lint-accepted.yml``)."""

    id: str
    check: str
    reason: str
    other: str | None = None

    def covers(self, finding: Finding) -> bool:
        return (
            finding.check == self.check
            and self.id in finding.ids
            and (self.other is None or self.other in finding.ids)
        )


@dataclass
class Entity:
    """A defining record with the relations its extensions add."""

    record: Record
    relations: list[RelationSpec] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.record.id

    def alt_labels(self) -> list[str]:
        raw = self.record.properties.get("altLabel") or {}
        out: list[str] = []
        if isinstance(raw, dict):
            for lang, texts in raw.items():
                if lang == "__line__":
                    continue
                out += [
                    t for t in (texts if isinstance(texts, list) else [texts]) if isinstance(t, str)
                ]
        return out

    def labels(self) -> list[str]:
        return list(self.record.labels.values()) + self.alt_labels()

    def day(self, prop: str) -> date | None:
        value = self.record.properties.get(prop)
        return value if isinstance(value, date) else None

    def exists_from(self) -> date | None:
        days = [d for d in (self.day(p) for p in EXISTS_FROM) if d is not None]
        return min(days) if days else None


def entities(records: list[Record]) -> dict[str, Entity]:
    """The entities of the records, extensions merged into their owners."""
    out = {r.id: Entity(r, list(r.relations)) for r in records if r.defines}
    for r in records:
        if not r.defines and r.id in out:
            out[r.id].relations += r.relations
    return out


class Linter:
    """Runs every check over the entities of one data set."""

    def __init__(self, onto: Ontology, records: list[Record]) -> None:
        self.onto = onto
        self.ents = entities(records)
        self.findings: list[Finding] = []

    def tops(self, ent: Entity) -> set[str]:
        """The entity's top-level classes (direct subclasses of Entity), for grouping."""
        out = set()
        for t in ent.record.types:
            for a in self.onto.ancestors(t) if t in self.onto.classes else [t]:
                if a in self.onto.classes and "Entity" in self.onto.classes[a].parents:
                    out.add(a)
        return out or {"Entity"}

    def add(
        self,
        check: str,
        severity: str,
        ids: tuple[str, ...],
        where: Location | None,
        message: str,
        fix: str,
    ) -> None:
        self.findings.append(Finding(check, severity, ids, where, message, fix))

    def run(self) -> list[Finding]:
        self.duplicates()
        self.prefixes()
        self.labels()
        self.support()
        self.figures()
        self.time_order()
        self.totals()
        return sorted(self.findings, key=lambda f: (f.severity, f.check, f.ids))

    # ------------------------------------------------------------ duplicates

    def duplicates(self) -> None:
        by_label: dict[tuple[str, str], set[str]] = defaultdict(set)
        by_alt: dict[tuple[str, str], set[str]] = defaultdict(set)
        for ent in self.ents.values():
            for cls in self.tops(ent):
                for text in ent.record.labels.values():
                    if normalise(text):
                        by_label[(cls, normalise(text))].add(ent.id)
                for text in ent.alt_labels():
                    if normalise(text):
                        by_alt[(cls, normalise(text))].add(ent.id)
        for (cls, key), ids in sorted(by_label.items()):
            if len(ids) > 1:
                first = self.ents[min(ids)]
                self.add(
                    "duplicate-label",
                    WARNING if cls in SOFT_DUPLICATES else ERROR,
                    tuple(sorted(ids)),
                    first.record.where,
                    f"{cls} entities with the same label ({key!r})",
                    "merge them into one record, or, if they are two things, give each a "
                    "label that tells them apart and link them with a relation",
                )
        seen: set[tuple[str, ...]] = set()
        for (cls, key), alt_ids in sorted(by_alt.items()):
            ids = alt_ids | by_label.get((cls, key), set())
            pair = tuple(sorted(ids))
            if len(ids) > 1 and pair not in seen:
                seen.add(pair)
                self.add(
                    "duplicate-alt-label",
                    WARNING,
                    pair,
                    self.ents[pair[0]].record.where,
                    f"{cls} entities share the name {key!r} (as alt label)",
                    "merge them if they are one thing; else drop the shared alt label",
                )

    # ------------------------------------------------------------ id prefixes

    def prefix_classes(self) -> dict[str, str]:
        """The class each id prefix stands for, by the data's own majority: no table to
        keep in step, and a prefix the data uses for mixed classes decides nothing."""
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for ent in self.ents.values():
            if "/" in ent.id:
                for cls in self.tops(ent):
                    counts[ent.id.split("/", 1)[0]][cls] += 1
        out = {}
        for prefix, counter in counts.items():
            cls, n = counter.most_common(1)[0]
            if n >= PREFIX_MIN and n / sum(counter.values()) >= PREFIX_SHARE:
                out[prefix] = cls
        return out

    def prefixes(self) -> None:
        expected = self.prefix_classes()
        for ent in self.ents.values():
            prefix = ent.id.split("/", 1)[0]
            classes = self.tops(ent)
            if prefix in expected and expected[prefix] not in classes:
                cls = "/".join(sorted(classes))
                self.add(
                    "id-prefix",
                    ERROR,
                    (ent.id,),
                    ent.record.where,
                    f"the id says {expected[prefix]} ({prefix}/ ...) but the type is "
                    f"{'/'.join(ent.record.types)}",
                    f"correct the type, or give it an id under the prefix of {cls}",
                )

    # ------------------------------------------------------------ labels

    def labels(self) -> None:
        for ent in self.ents.values():
            ja, en = ent.record.labels.get("ja"), ent.record.labels.get("en")
            if ja and en and is_acronym(ja) and is_acronym(en):
                self.add(
                    "acronym-label",
                    ERROR,
                    (ent.id,),
                    ent.record.where,
                    f"both labels are an acronym ({ja!r}, {en!r})",
                    "write the name in full in both languages; keep the acronym as altLabel",
                )
            elif ja and not has_japanese(ja) and not is_acronym(ja):
                self.add(
                    "ja-label-script",
                    WARNING,
                    (ent.id,),
                    ent.record.where,
                    f"the Japanese label {ja!r} has no Japanese script",
                    "write the Japanese name (katakana for a foreign name), or accept "
                    "it when the entity is known in Japan by its Latin name",
                )

    # ------------------------------------------------------------ support

    def support(self) -> None:
        for ent in self.ents.values():
            for rel in ent.relations:
                other = self.ents.get(rel.target)
                if other is None:
                    continue
                quotes = [c.quote for c in rel.sources if c.quote]
                ids = (ent.id, rel.prop, rel.target)
                if not quotes:
                    self.add(
                        "unquoted-relation",
                        WARNING,
                        ids,
                        rel.where,
                        "no citation of this relation has a quote",
                        "cite the passage that states it (quote), or accept it when the "
                        "source is a page cited by locator",
                    )
                    continue
                keys = [k for e in (ent, other) for t in e.labels() for k in mention_keys(t)]
                text = [normalise(q) for q in quotes]
                if not any(k in q for k in keys for q in text):
                    self.add(
                        "unsupported-relation",
                        WARNING,
                        ids,
                        rel.where,
                        "none of its quotes mentions either end by a label or alt label",
                        "cite the passage that names them, add the name used there as "
                        "an altLabel, or drop the relation if no source states it",
                    )

    # ------------------------------------------------------------ figures

    def figures(self) -> None:
        for ent in self.ents.values():
            if "value" not in ent.record.properties:
                continue
            try:
                value = Decimal(str(ent.record.properties["value"]))
            except InvalidOperation:
                continue
            quotes = [c.quote for c in ent.record.sources if c.quote]
            if not quotes:
                continue
            approximate = ent.record.properties.get("approximate") is True
            read = [r for q in quotes for r in numbers(q)]
            hits = [r for r in read if same_number(r.value, value)]
            where = ent.record.where
            if not hits:
                self.add(
                    "figure-value",
                    WARNING,
                    (ent.id,),
                    where,
                    f"the value {value} is not read in its quote(s)",
                    "check the value and its unit against the quote (億, 兆, 万, %), or "
                    "quote the passage that gives the number",
                )
            elif not approximate and any(r.marked for r in hits):
                self.add(
                    "figure-approximate",
                    ERROR,
                    (ent.id,),
                    where,
                    "the quote marks this number as approximate or a bound",
                    "set approximate: true",
                )
            elif not approximate and any(m in q for q in quotes for m in APPROXIMATE_MARKERS):
                self.add(
                    "figure-approximate",
                    WARNING,
                    (ent.id,),
                    where,
                    "the quote has 約/以上/超/程度, though not beside this number",
                    "set approximate: true if the marker applies to this figure",
                )

    # ------------------------------------------------------------ time

    def time_order(self) -> None:
        for ent in self.ents.values():
            for rel in ent.relations:
                other = self.ents.get(rel.target)
                if other is None or rel.prop in LATER_TARGETS:
                    continue
                start = rel.valid_from or ent.day("date") or ent.exists_from()
                if start is None:
                    continue
                explicit = rel.valid_from is not None
                for end in (ent, other):
                    begun = end.exists_from()
                    if begun is None or begun <= start or (end is ent and not explicit):
                        continue
                    self.add(
                        "time-order",
                        ERROR if explicit else WARNING,
                        (ent.id, rel.prop, rel.target),
                        rel.where,
                        f"the relation starts {start} "
                        f"({'validFrom' if explicit else 'the record' + chr(39) + 's date'})"
                        f" but {end.id} exists only from {begun}",
                        f"give the relation validFrom: {begun} (or the date the source "
                        "gives), or correct the dates",
                    )

    # ------------------------------------------------------------ totals

    def totals(self) -> None:
        holders: dict[str, list[Entity]] = defaultdict(list)
        for ent in self.ents.values():
            for rel in ent.relations:
                if rel.prop == "hasFigure":
                    holders[rel.target].append(ent)
        for figure, ents in sorted(holders.items()):
            parents: dict[str, list[str]] = defaultdict(list)
            for ent in ents:
                for rel in ent.relations:
                    if rel.prop == "partOf":
                        parents[rel.target].append(ent.id)
            for parent, members in sorted(parents.items()):
                if len(set(members)) > 1:
                    self.add(
                        "round-total",
                        ERROR,
                        (figure, *sorted(set(members))),
                        self.ents[figure].record.where if figure in self.ents else None,
                        f"one figure is attached to {len(set(members))} members of {parent}",
                        f"attach it to {parent} (hasFigure) and give each member its own figure",
                    )


# ---------------------------------------------------------------- accepted findings


def read_accepted(path: Path) -> list[Accepted]:
    """The accepted findings of the allowlist file (none when it does not exist)."""
    if not path.is_file():
        return []
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise InvalidInputError(f"{path}: malformed YAML: {exc}") from exc
    if not isinstance(raw, list):
        raise InvalidInputError(f"{path}: a list of {{id, check, reason}} entries is expected")
    out = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), str) and item[k].strip() for k in ("id", "check", "reason")
        ):
            raise InvalidInputError(f"{path}: entry {i} needs id, check and reason (text)")
        if item["check"] not in CHECKS:
            raise InvalidInputError(
                f"{path}: entry {i}: unknown check {item['check']!r}; known: {', '.join(CHECKS)}"
            )
        other = item.get("with")
        out.append(
            Accepted(
                item["id"], item["check"], item["reason"], other if isinstance(other, str) else None
            )
        )
    return out


@dataclass
class Report:
    """What the lint found, split into what stands and what was accepted."""

    findings: list[Finding]
    accepted: list[Finding]
    unused: list[Accepted]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]


def lint(records: list[Record], onto: Ontology, accepted: list[Accepted]) -> Report:
    """Every check over the records; findings an accepted entry covers set apart."""
    found = Linter(onto, records).run()
    kept, taken = [], []
    used: set[int] = set()
    for f in found:
        match = next((i for i, a in enumerate(accepted) if a.covers(f)), None)
        if match is None:
            kept.append(f)
        else:
            used.add(match)
            taken.append(f)
    return Report(kept, taken, [a for i, a in enumerate(accepted) if i not in used])


def as_dict(f: Finding) -> dict[str, Any]:
    """A finding as plain JSON values."""
    return {
        "check": f.check,
        "severity": f.severity,
        "ids": list(f.ids),
        "where": str(f.where) if f.where else None,
        "message": f.message,
        "fix": f.fix,
    }


def summary(report: Report) -> dict[str, Any]:
    """Counts per check and severity, for the command's last line and ``--json``."""
    counts: Counter[tuple[str, str]] = Counter((f.check, f.severity) for f in report.findings)
    return {
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "accepted": len(report.accepted),
        "by_check": {f"{c} ({s})": n for (c, s), n in sorted(counts.items())},
    }


__all__ = [
    "ACCEPTED_FILE",
    "CHECKS",
    "Accepted",
    "CitationSpec",
    "Finding",
    "Report",
    "as_dict",
    "lint",
    "read_accepted",
    "summary",
]
