"""Coverage of the seed document: which entities encode each of its sections.

``eskg coverage`` writes ``docs/coverage.md`` from the curated data: every section heading
of the seed that the data uses as a citation locator (in document order, with its line in
the stored copy), the entities whose statements cite it, the counts per class and relation
of the embedded store, and what was deliberately left out. The report is deterministic, so
a test can check that the committed file is current.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rdflib import URIRef

from eskg.config import Settings
from eskg.errors import InvalidInputError
from eskg.model import StoreStats
from eskg.ontology import Ontology, load_ontology
from eskg.paths import ROOT
from eskg.store.base import Store
from eskg.vocab import LABEL
from loaders import open_filled_store

SEED_DOCUMENT = "doc/meti-action-plan-2024"

# Hand-written: what the curators and the audit chose not to encode, and why. Kept here
# (not in docs/coverage.md) so that the whole file stays generated.
LEFT_OUT = """\
## Deliberately left out, and why

Read from the curators' notes (`note` fields and file comments in `data/seed-domestic/`,
`data/seed-international/`, `data/seed-audit/`) and from the audit of November 2026.

- **Image credits of the computing timeline** ("(出所) TIME USA, LLC.", "(出所) Intel",
  "(出所) 日経ビジネス電子版", "(出所) インターネットイニシアティブ",
  "(出所) NTTコミュニケーションズ", "(出所) Open AI", "(出所) IBM ホームページ"): they say
  where a picture comes from, not a fact of the policy. The events the pictures show are
  encoded (UNIVAC I, IBM System/360, Intel's first microprocessor, Apple II, JUNET, Linux,
  IIJ, the first iPhone, the JPY 1 trillion cloud market, ChatGPT), and the companies that
  act in them (Intel, IBM, IIJ) are organisations; TIME USA, Nikkei Business, NTT
  Communications and OpenAI appear only as credits and are not.
- **Unnamed industry associations and companies**: the seed counts the associations METI
  talked to (14, `figure/industry-dialogue-associations`) and mentions individual companies
  that asked for talks, without naming any. Nothing to attach a label to.
- **Chart titles without values**: "2021年の貿易データに基づく英国の脆弱性のある物品数" and
  "2021年に海上の chokeポイント を通過した英国の輸入額の割合" (UK strategy), the chart
  "<経済安全保障の観点から重視すべき物資・技術の整理>" and the layered computing figure
  whose boxes are pictures ("※ 点線枠内の物資・技術は例示"). The stored text keeps the
  titles but not the numbers, so there is no figure to record; what the text around them
  names (layers, sectors, electronic components, the legends 特定重要物資 / 特定重要設備 /
  対内直接投資規制) is encoded.
- **Logos standing for organisations** (CSIS, MIT Security Studies Program Wargaming Lab,
  CIGS, Bower Group Asia, KEIZAI DOYUKAI): encoded once as organisations; the logo text is
  an `altLabel`, not a second entity.
- **Opinions, remarks and examples without an instrument**: Keizai Doyukai's expectations
  (エネルギー自給率・デジタル自給率, 技術インテリジェンス, 需要喚起策・税制改革, worry about
  frequent rule changes) are quoted in the description and sources of
  `doc/doyukai-opinion-on-action-plan`, not made entities; of Secretary Raimondo's CNBC
  interview the gist is in the interview event's description, while the asides (solar
  power; chips in cars, medical and military equipment) are left out; the company hearing
  examples on engineer management (<参考：技術者管理に係る企業のヒアリング例>) name no
  company and no rule and are left out.
- **Generic phrases** such as ルールベースの世界, 力による現状変更, 中堅・中小企業,
  マーケットメカニズムの正常化, 戦略物資 and the "diamond side" (sic) support measures:
  wording of the policy's rationale, kept in the descriptions of the records they explain
  (or left out) rather than made entities.
- **Dates the ontology cannot hold**: seasons and quarters ("2024年夏までに",
  "2025年第一四半期", "今春を目途に") are kept in `note`; where a month is implied the
  first day of the month is stored with `datePrecision: month`.
- **Duplicates on purpose**: the seed's "経済安全保障推進法の成立（2022年5月）" is its own
  event (`event/espa-enactment-2022-05`, month precision) beside the reference data's
  House of Councillors passage, each with its own source, as the data format asks for
  claims from different sources.
- **Typos kept as written**: locators copy the seed's headings exactly, including
  "(c) バイOTEック（ライフサイエンス・バイオ分野）" and "産業構造審議会安全保障貿易小委員会".
"""


@dataclass
class Section:
    locator: str
    line: int | None  # 1-based line of the heading in the stored copy; None if absent
    entities: dict[str, str] = field(default_factory=dict)  # id -> ja label
    citations: int = 0


def _walk(node: Any, found: list[dict[str, Any]]) -> None:
    if isinstance(node, dict):
        if "document" in node and "locator" in node:
            found.append(node)
        for value in node.values():
            _walk(value, found)
    elif isinstance(node, list):
        for value in node:
            _walk(value, found)


def read_records(data_dir: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every record of the curated YAML, with its file."""
    for path in sorted(data_dir.rglob("*.yaml")):
        for record in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if isinstance(record, dict) and "id" in record:
                yield path, record


def seed_text(settings: Settings, records: list[dict[str, Any]]) -> str:
    """The stored copy of the seed document."""
    for record in records:
        if record["id"] == SEED_DOCUMENT and "localCopy" in (record.get("properties") or {}):
            path = settings.sources_dir / str(record["properties"]["localCopy"])
            return path.read_text(encoding="utf-8")
    raise LookupError(f"{SEED_DOCUMENT} has no localCopy in {settings.data_dir}")


def seed_citations(records: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """(entity id, citation) for every citation of the seed document."""
    out: list[tuple[str, dict[str, Any]]] = []
    for record in records:
        found: list[dict[str, Any]] = []
        _walk(record.get("sources"), found)
        _walk(record.get("relations"), found)
        out.extend((record["id"], c) for c in found if c.get("document") == SEED_DOCUMENT)
    return out


def locate(text: str, locator: str) -> int | None:
    """1-based line of a heading: a line equal to it, else starting with it, else containing it."""
    lines = [line.strip() for line in text.splitlines()]
    for test in (
        lambda s: s == locator,
        lambda s: s.startswith(locator),
        lambda s: locator in s,
    ):
        for number, line in enumerate(lines, start=1):
            if test(line):
                return number
    return None


def sections(settings: Settings) -> tuple[list[Section], dict[str, str], dict[str, list[str]]]:
    """Sections in document order (absent locators last), ja labels, and types by id."""
    records = [r for _, r in read_records(settings.data_dir)]
    text = seed_text(settings, records)
    labels: dict[str, str] = {}
    types: dict[str, list[str]] = {}
    for record in records:
        if "type" in record:
            labels[record["id"]] = str((record.get("label") or {}).get("ja", ""))
            kind = record["type"]
            types[record["id"]] = kind if isinstance(kind, list) else [kind]
    by_locator: dict[str, Section] = {}
    for entity, citation in seed_citations(records):
        locator = str(citation["locator"])
        if locator == "the document itself":
            continue
        section = by_locator.get(locator)
        if section is None:
            section = by_locator[locator] = Section(locator, locate(text, locator))
        section.entities[entity] = labels.get(entity, "")
        section.citations += 1
    ordered = sorted(
        by_locator.values(),
        key=lambda s: (s.line is None, s.line or 0, s.locator),
    )
    return ordered, labels, types


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def render(settings: Settings, snap: Snapshot) -> str:
    """The Markdown report, from a snapshot of the embedded store."""
    stats = snap.stats
    ordered, _, types = sections(settings)
    seed_ids = {e for s in ordered for e in s.entities}

    onto = load_ontology(settings.ontology_dir)
    per_class: dict[str, int] = defaultdict(int)
    for entity in seed_ids:
        for kind in {a for t in types.get(entity, []) for a in onto.ancestors(t)}:
            per_class[kind] += 1
    out: list[str] = [
        "# Coverage of the seed document",
        "",
        "Generated by `eskg coverage` from `data/` (do not edit by hand; the test",
        "`tests/test_coverage.py` checks that this file is current). The seed is",
        f"`{SEED_DOCUMENT}`, stored as `data/sources/000_ca839251fed59808.txt`.",
        "",
        "## Summary",
        "",
        (
            f"- {len(ordered)} section headings of the seed are used as citation locators, "
            f"cited {sum(s.citations for s in ordered)} times;"
        ),
        f"- {len(seed_ids)} entities have at least one statement citing the seed;",
        (
            f"- the whole graph (embedded store) holds {stats.entities} entities "
            f"in {len(stats.classes)} classes and {sum(stats.relations.values())} relations."
        ),
        "",
        "## Counts per class",
        "",
        "Entities per class in the embedded store, and how many of them have a statement",
        "citing the seed (in both columns a class counts its subclasses' members).",
        "",
        "| class | in the graph | citing the seed |",
        "|---|---:|---:|",
    ]
    for name, count in sorted(stats.classes.items()):
        out.append(f"| {name} | {count} | {per_class.get(name, 0)} |")
    out += ["", "## Counts per relation", "", "| relation | statements |", "|---|---:|"]
    for name, count in sorted(stats.relations.items()):
        out.append(f"| {name} | {count} |")
    out += [
        "",
        "## Sections of the seed and the entities that encode them",
        "",
        "In document order; *line* is the heading's line in the stored copy. An entity is",
        "listed under a section when its own sources or one of its relations cite it.",
        "",
    ]
    for section in ordered:
        where = f"line {section.line}" if section.line else "**not found in the seed text**"
        out.append(
            f"### {section.locator}"
            if section.line
            else f"### {section.locator} (locator not in the seed)"
        )
        out += [
            "",
            f"{where}; {len(section.entities)} entities, {section.citations} citations.",
            "",
            "| id | label (ja) |",
            "|---|---|",
        ]
        for entity in sorted(section.entities):
            out.append(f"| `{entity}` | {_cell(section.entities[entity])} |")
        out.append("")
    out += _plans_section(settings.base_iri, snap.plans, read_searches())
    out.append(LEFT_OUT)
    return "\n".join(out)


#: The class whose members get a table of certified plans.
SPECIFIED_MATERIAL = "SpecifiedCriticalMaterial"
#: The curators' notes on the searches for certified plans (not records: `.yml`).
SEARCHES = ROOT / "data" / "coverage" / "certified-plans.yml"


@dataclass
class MaterialPlans:
    """The certified plans the graph holds for one specified critical material."""

    iri: str
    label_ja: str
    label_en: str
    certifications: list[str]
    companies: list[str]


@dataclass
class Snapshot:
    """What the report reads from a store: its counts and the plans per material."""

    stats: StoreStats
    plans: list[MaterialPlans]


def snapshot(store: Store, onto: Ontology) -> Snapshot:
    """Counts, and for every specified critical material its certified plans."""
    cls = onto.classes[SPECIFIED_MATERIAL].iri
    materials = [str(r["iri"]) for r in store.rows("entities_of_class", {"class": cls})]
    data = store.entities(materials)
    plans: list[MaterialPlans] = []
    for iri in materials:
        rows = store.rows("cq_certified_plans_for_material", {"material": URIRef(iri)})
        labels = {lit.lang: lit.value for lit in data[iri].values(LABEL)}
        plans.append(
            MaterialPlans(
                iri,
                labels.get("ja", ""),
                labels.get("en", ""),
                sorted({str(r["certification"]) for r in rows}),
                sorted({str(r["company"]) for r in rows if r.get("company")}),
            )
        )
    return Snapshot(store.stats(), plans)


def embedded_snapshot(
    settings: Settings, progress: Callable[[str], None] | None = None
) -> Snapshot:
    """Build the curated data into a fresh in-memory embedded store and read its snapshot."""
    memory = settings.model_copy(update={"store": "embedded", "embedded_path": None})
    store = open_filled_store(memory, progress=progress) if progress else open_filled_store(memory)
    try:
        return snapshot(store, load_ontology(settings.ontology_dir))
    finally:
        store.close()


def read_searches(path: Path = SEARCHES) -> dict[str, dict[str, str]]:
    """The curators' record of what the sources say exists and where they looked, by id."""
    if not path.is_file():
        return {}
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise InvalidInputError(f"{path}: expected a mapping of material ids to notes")
    return {str(k): {str(a): str(b) for a, b in (v or {}).items()} for k, v in raw.items()}


def _plans_section(
    base: str, plans: list[MaterialPlans], notes: dict[str, dict[str, str]]
) -> list[str]:
    out = [
        "## Certified plans per specified material",
        "",
        "For each specified critical material: the certified supply-assurance plans",
        "(認定供給確保計画) and comparable grants the sources say exist, those encoded as",
        "`Certification` records with their companies, and what could not be found and where",
        "the curators looked. The second column is read from the graph; the others from",
        f"`{SEARCHES.relative_to(ROOT)}`.",
        "",
    ]
    for m in sorted(plans, key=lambda p: p.iri):
        short = m.iri.removeprefix(base)
        note = notes.get(short, {})
        encoded = (
            f"{len(m.certifications)} certification(s), {len(m.companies)} company(ies): "
            + ", ".join(f"`{c.removeprefix(base)}`" for c in m.certifications)
            if m.certifications
            else "none"
        )
        out += [
            f"### {m.label_ja} ({m.label_en}, `{short}`)",
            "",
            "| | |",
            "|---|---|",
            f"| plans the sources say exist | {_cell(note.get('sources_say', 'not recorded'))} |",
            f"| plans encoded | {encoded} |",
            f"| not found, and where the curators looked | {_cell(note.get('not_found', 'not recorded'))} |",
            "",
        ]
    return out


def report_path() -> Path:
    return ROOT / "docs" / "coverage.md"


def generate(settings: Settings, progress: Callable[[str], None] | None = None) -> str:
    return render(settings, embedded_snapshot(settings, progress))
