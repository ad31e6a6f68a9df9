"""Synthetic, ontology-conformant data at a chosen size, for benchmarks.

``generate(triples=100_000, seed=0)`` returns quads in *our* provenance pattern, the same
as ``loaders.compile`` writes for curated records (its helpers make the graph and
citation IRIs):

* a record's types, labels and literal properties sit in ``<entity IRI>#record``;
* each relation ``s p o`` sits in its own graph ``<base>stmt/<hash of s p o>``;
* the default graph links each of those graphs (``eskg:citation``) to citation resources
  (``eskg:document``, ``eskg:locator``, and a quote on some).

Every citation points at a synthetic ``Document`` that has a ``url`` and no
``localCopy``, so no verbatim-quote check applies. The result loads with the same
``Store.replace_all`` as the curated data, and passes the SHACL shapes.

The shape follows the real graph, scaled: technology fields with two levels of narrower
technologies (``skos:broader``), specified critical materials with two levels of
narrower materials used in those technologies, a dozen measures per technology cluster
(each of a measure subclass, with status, dates, legal basis, responsible body,
jurisdiction, figures, recipients), dated events and meetings of dialogues, laws with
provisions, countries, organisations, companies, people and leakage routes.

The size is reached by the number of technology *clusters*: the generator measures how
many quads one cluster adds and picks the count that lands nearest the target. The same
seed and size give the same quads; ``targets`` names entities to ask about at any size
(a mid-level technology and material whose answer sets do not grow with the graph).
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import RDF, XSD, Dataset, Literal, URIRef
from rdflib.term import Node

from eskg.ontology import DCTERMS as _DCTERMS
from eskg.ontology import ESKG as _ESKG
from eskg.ontology import SKOS as _SKOS
from eskg.provenance import citation_iri, record_graph, statement_graph
from loaders.compile import Compiled, canonical_decimal


class _Terms:
    """A namespace whose terms are made once: rdflib's ``Namespace`` attribute makes a new
    ``URIRef`` (and validates it) on every access, a fifth of the generator's time."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = URIRef(self._namespace[name])
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        return getattr(self, name)  # type: ignore[no-any-return]


ESKG, SKOS, DCTERMS = _Terms(_ESKG), _Terms(_SKOS), _Terms(_DCTERMS)
_TYPE = RDF.type

DEFAULT_BASE = "https://w3id.org/eskg/id/"
Quad = tuple[Node, Node, Node, URIRef | None]  # graph None = the default graph

STATUS = (
    "planned",
    "proposed",
    "under_review",
    "in_force",
    "in_force",
    "in_force",
    "amended",
    "superseded",
    "ended",
)
MEASURE_CLASSES = (
    "SupportProgramme",
    "SupportProgramme",
    "Designation",
    "ExportControl",
    "InvestmentScreening",
    "ResearchProgramme",
    "Guideline",
    "Strategy",
)
FIELDS = (
    ("computing", "計算・情報", "Computing and information"),
    ("cleantech", "クリーン技術", "Clean technology"),
    ("bio", "バイオ", "Biotechnology"),
    ("defence", "防衛・宇宙", "Defence and space"),
    ("materials", "素材", "Advanced materials"),
    ("quantum", "量子", "Quantum"),
)
TECH_WORDS = (
    ("半導体", "semiconductor"),
    ("蓄電池", "battery"),
    ("量子センサ", "quantum sensor"),
    ("人工知能", "artificial intelligence"),
    ("ロボット", "robotics"),
    ("衛星", "satellite"),
    ("水素", "hydrogen"),
    ("ゲノム編集", "genome editing"),
    ("光通信", "photonics"),
    ("原子力", "nuclear"),
    ("ドローン", "drone"),
    ("暗号", "cryptography"),
)
MATERIAL_WORDS = (
    ("永久磁石", "permanent magnet"),
    ("レアアース", "rare earth"),
    ("リチウム", "lithium"),
    ("黒鉛", "graphite"),
    ("ガリウム", "gallium"),
    ("抗菌性物質", "antimicrobial"),
    ("肥料", "fertiliser"),
    ("工作機械", "machine tool"),
    ("天然ガス", "natural gas"),
    ("船舶部品", "ship component"),
    ("クラウド", "cloud program"),
    ("航空機部品", "aircraft part"),
)
MEASURE_WORDS = (
    ("支援", "support"),
    ("補助金", "subsidy"),
    ("輸出管理", "export control"),
    ("審査", "screening"),
    ("研究開発", "R&D programme"),
    ("指針", "guideline"),
    ("戦略", "strategy"),
    ("基金", "fund"),
)
COUNTRIES = (
    "JP",
    "US",
    "GB",
    "FR",
    "DE",
    "IT",
    "CA",
    "AU",
    "KR",
    "IN",
    "CN",
    "TW",
    "SG",
    "VN",
    "TH",
    "ID",
    "PH",
    "MY",
    "NL",
    "BE",
    "SE",
    "FI",
    "PL",
    "ES",
    "BR",
    "MX",
    "ZA",
    "AE",
    "SA",
    "CL",
)


@dataclass
class Synthetic:
    """The generated quads and the entities to ask about."""

    quads: list[Quad]
    clusters: int
    seed: int
    base: str
    targets: dict[str, str] = field(default_factory=dict)  # role -> IRI or search text
    records: int = 0
    relations: int = 0

    def __len__(self) -> int:
        return len(self.quads)

    def dataset(self) -> Dataset:
        """The quads as an rdflib Dataset, ready for ``Store.replace_all``."""
        ds = Dataset()
        graphs: dict[URIRef, object] = {}
        default = ds.default_graph
        for s, p, o, g in self.quads:
            if g is None:
                default.add((s, p, o))
                continue
            target = graphs.get(g)
            if target is None:
                target = graphs[g] = ds.graph(g)
            target.add((s, p, o))  # type: ignore[attr-defined]
        return ds

    def compiled(self) -> Compiled:
        """The dataset wrapped as the loaders' ``Compiled`` (for ``shacl_violations``)."""
        return Compiled(dataset=self.dataset(), records=self.records, relations=self.relations)

    def nquads(self) -> str:
        """The quads as N-Quads text, sorted (stable across runs)."""
        lines = []
        for s, p, o, g in self.quads:
            tail = f" {g.n3()}" if g is not None else ""
            lines.append(f"{s.n3()} {p.n3()} {o.n3()}{tail} .")
        lines.sort()
        return "\n".join(lines) + "\n"

    def triples(self) -> Iterator[tuple[Node, Node, Node]]:
        """The union of all graphs as triples, grouped by subject (for triple stores)."""
        seen: set[tuple[Node, Node, Node]] = set()
        for s, p, o, _ in sorted(self.quads, key=lambda q: str(q[0])):
            t = (s, p, o)
            if t not in seen:
                seen.add(t)
                yield t


@lru_cache(maxsize=8192)  # some 4,000 days in the range, a few statuses and units
def _date(d: date) -> Literal:
    return Literal(d.isoformat(), datatype=XSD.date)


@lru_cache(maxsize=1024)
def _plain(text: str) -> Literal:
    """A plain literal of the few texts that repeat (statuses, units, kinds)."""
    return Literal(text)


class _Builder:
    """Appends a block of quads (the shared entities, then one cluster at a time) to
    ``quads``; ``blocks`` hands each block on, its duplicates dropped. No quad repeats
    across blocks (a cluster's entities and statement graphs are its own; a citation is
    written once, ``seen_citations``), so the blocks stream in constant memory but for
    the set of citations made."""

    def __init__(self, seed: int, base: str) -> None:
        self.rng = random.Random(seed)
        self.base = base
        self.quads: list[Quad] = []
        self.seen_citations: set[int] = set()
        self.documents: list[str] = []
        self.context: tuple[list[str], ...] = ()
        self.records = 0
        self.relations = 0

    # ----------------------------------------------------------- primitives

    def iri(self, rid: str) -> URIRef:
        return URIRef(self.base + rid)

    def citation(self, doc: str, locator: str, quote: str | None) -> URIRef:
        cit = citation_iri(self.base, doc, locator, quote)  # the document id, as compile.py
        key = hash(cit)  # ints, not IRIs: a million of them at 10M quads
        if key not in self.seen_citations:
            self.seen_citations.add(key)
            q = self.quads
            q.append((cit, _TYPE, ESKG.Citation, None))
            q.append((cit, ESKG.document, self.iri(doc), None))
            q.append((cit, ESKG.locator, Literal(locator), None))
            if quote is not None:
                q.append((cit, ESKG.quote, Literal(quote), None))
        return cit

    def source(self) -> URIRef:
        """A citation of a random synthetic document, page and (sometimes) quote."""
        doc = self.rng.choice(self.documents)
        page = self.rng.randint(1, 400)
        quote = (
            f"synthetic passage {self.rng.randint(1, 10**6)}" if self.rng.random() < 0.3 else None
        )
        return self.citation(doc, f"p. {page}", quote)

    def record(
        self,
        rid: str,
        cls: str,
        ja: str,
        en: str,
        props: list[tuple[URIRef, Literal]] = (),  # type: ignore[assignment]
        cites: list[URIRef] | None = None,
    ) -> list[URIRef]:
        s = self.iri(rid)
        g = record_graph(str(s))
        q = self.quads
        q.append((s, _TYPE, ESKG[cls], g))
        q.append((s, SKOS.prefLabel, Literal(ja, lang="ja"), g))
        q.append((s, SKOS.prefLabel, Literal(en, lang="en"), g))
        for p, o in props:
            q.append((s, p, o, g))
        cites = cites if cites is not None else [self.source()]
        for c in cites:
            q.append((g, ESKG.citation, c, None))
        self.records += 1
        return cites

    def rel(self, s_id: str, prop: URIRef, o_id: str, cites: list[URIRef]) -> None:
        """A relation in its own graph, cited by the record's citations or (1 in 3) its own."""
        s, o = self.iri(s_id), self.iri(o_id)
        g = statement_graph(self.base, str(s), str(prop), str(o))
        self.quads.append((s, prop, o, g))
        own = [self.source()] if self.rng.random() < 0.33 else cites
        for c in own:
            self.quads.append((g, ESKG.citation, c, None))
        self.relations += 1

    def day(self, start: int = 2015, end: int = 2026) -> date:
        first = date(start, 1, 1)
        return first + timedelta(days=self.rng.randrange((date(end, 12, 31) - first).days))

    # ------------------------------------------------------------- content

    def take(self) -> list[Quad]:
        """The block written since the last ``take``, without duplicates."""
        block = list(dict.fromkeys(self.quads))
        self.quads = []
        return block

    def blocks(self, clusters: int) -> Iterator[list[Quad]]:
        """The shared entities, then each cluster, as blocks of quads."""
        self.shared(clusters)
        yield self.take()
        for index in range(clusters):
            self.cluster(index, *self.context)
            yield self.take()

    def shared(self, clusters: int) -> None:
        rng = self.rng
        n = clusters
        d_lit = _date

        # documents first: everything cites them (cited by themselves, like compile.py)
        n_docs = 5 + n // 4
        for i in range(n_docs):
            rid = f"doc/synthetic-{i}"
            self.documents.append(rid)
        for i, rid in enumerate(self.documents):
            cite = self.citation(rid, "the document itself", None)
            self.record(
                rid,
                "Document",
                f"合成文書{i}",
                f"Synthetic document {i}",
                [
                    (ESKG.url, Literal(f"https://example.org/synthetic/{i}", datatype=XSD.anyURI)),
                    (ESKG.date, d_lit(self.day())),
                ],
                [cite],
            )

        countries = [f"country/{c.lower()}" for c in COUNTRIES]
        for c, rid in zip(COUNTRIES, countries):
            self.record(rid, "Country", f"国{c}", f"Country {c}", [(ESKG.isoCode, Literal(c))])
        groups = ["group/g7", "group/quad", "group/asean"]
        for k, rid in enumerate(groups):
            cites = self.record(rid, "CountryGroup", f"国家グループ{k}", f"Country group {k}")
            for c in rng.sample(countries, 6):
                self.rel(c, ESKG.memberOf, rid, cites)

        n_orgs = 8 + n // 8
        orgs = [f"org/body-{i}" for i in range(n_orgs)]
        for i, rid in enumerate(orgs):
            cites = self.record(rid, "GovernmentBody", f"合成省庁{i}", f"Synthetic ministry {i}")
            self.rel(rid, ESKG.jurisdiction, rng.choice(countries[:10]), cites)
            if i >= 4:
                self.rel(rid, ESKG.subOrganisationOf, orgs[i % 4], cites)
        for i in range(2 + n // 8):
            rid = f"person/official-{i}"
            cites = self.record(rid, "Person", f"合成人物{i}", f"Synthetic official {i}")
            self.rel(rid, ESKG.role, rng.choice(orgs), cites)
        for i, rid in enumerate(self.documents):
            self.rel(rid, ESKG.issuedBy, orgs[i % n_orgs], [self.source()])

        provisions: list[str] = []
        laws = [f"law/synthetic-{i}" for i in range(3 + n // 10)]
        for i, rid in enumerate(laws):
            enacted = self.day(2000, 2024)
            cites = self.record(
                rid,
                "Law",
                f"合成法{i}",
                f"Synthetic act {i}",
                [
                    (ESKG.lawNumber, Literal(f"令和{1 + i % 7}年法律第{i + 1}号")),
                    (ESKG.enactedOn, d_lit(enacted)),
                    (ESKG.promulgatedOn, d_lit(enacted + timedelta(days=7))),
                    (ESKG.status, _plain("in_force")),
                ],
            )
            self.rel(rid, ESKG.jurisdiction, countries[i % 10], cites)
            for k in range(4):
                pid = f"{rid}/art-{k + 1}"
                pc = self.record(
                    pid,
                    "Provision",
                    f"合成法{i}第{k + 1}章",
                    f"Act {i} chapter {k + 1}",
                    [
                        (ESKG.articleRange, Literal(f"Arts {10 * k + 1}-{10 * k + 9}")),
                        (ESKG.ordinal, Literal(str(k + 1), datatype=XSD.integer)),
                    ],
                )
                self.rel(pid, ESKG.partOf, rid, pc)
                provisions.append(pid)

        risks = [f"risk/route-{i}" for i in range(3 + n // 20)]
        for i, rid in enumerate(risks):
            cites = self.record(
                rid,
                "LeakageRoute",
                f"技術流出経路{i}",
                f"Leakage route {i}",
                [(ESKG.ordinal, Literal(str(i + 1), datatype=XSD.integer))],
            )
            self.rel(rid, ESKG.coveredBy, rng.choice(laws), cites)

        fields = [f"tech/field-{key}" for key, _, _ in FIELDS]
        for (key, ja, en), rid in zip(FIELDS, fields):
            self.record(rid, "Technology", ja, en)
        roots = [f"material/critical-{i}" for i in range(len(MATERIAL_WORDS))]
        for (ja, en), rid in zip(MATERIAL_WORDS, roots):
            cites = self.record(
                rid,
                "SpecifiedCriticalMaterial",
                ja,
                en.capitalize(),
                [(ESKG.designatedOn, d_lit(self.day(2022, 2024)))],
            )
            self.rel(rid, ESKG.responsibleBody, rng.choice(orgs[:4]), cites)

        strategies = [f"measure/strategy-{i}" for i in range(2 + n // 25)]
        for i, rid in enumerate(strategies):
            cites = self.record(
                rid,
                "Strategy",
                f"経済安全保障戦略{i}",
                f"Economic security strategy {i}",
                [
                    (ESKG.status, _plain("in_force")),
                    (ESKG.inForceFrom, d_lit(self.day(2018, 2024))),
                ],
            )
            self.rel(rid, ESKG.describedIn, rng.choice(self.documents), cites)
            self.rel(rid, ESKG.jurisdiction, countries[0], cites)
        dialogues = [f"dialogue/synthetic-{i}" for i in range(3 + n // 15)]
        for i, rid in enumerate(dialogues):
            cites = self.record(rid, "Dialogue", f"経済版2+2 合成{i}", f"Synthetic dialogue {i}")
            for c in rng.sample(countries, 2):
                self.rel(rid, ESKG.participant, c, cites)
            self.rel(rid, ESKG.coversTechnology, rng.choice(fields), cites)

        self.context = (fields, roots, orgs, countries, provisions, strategies, dialogues, risks)

    def cluster(
        self,
        c: int,
        fields: list[str],
        roots: list[str],
        orgs: list[str],
        countries: list[str],
        provisions: list[str],
        strategies: list[str],
        dialogues: list[str],
        risks: list[str],
    ) -> None:
        rng = self.rng
        lit_date = _date
        tja, ten = TECH_WORDS[c % len(TECH_WORDS)]
        mja, men = MATERIAL_WORDS[c % len(MATERIAL_WORDS)]
        field_id = fields[c % len(fields)]
        tech = f"tech/t{c}"
        cites = self.record(
            tech, "Technology", f"{tja}技術{c}", f"{ten.capitalize()} technology {c}"
        )
        self.rel(tech, SKOS.broader, field_id, cites)
        self.rel(tech, ESKG.inField, field_id, cites)
        techs = [tech]
        for k in range(3):
            sub = f"tech/t{c}-{k}"
            sc = self.record(
                sub, "Technology", f"{tja}要素技術{c}-{k}", f"{ten.capitalize()} component {c}-{k}"
            )
            self.rel(sub, SKOS.broader, tech, sc)
            techs.append(sub)
        material = f"material/m{c}"
        mc = self.record(material, "Material", f"{mja}部材{c}", f"{men.capitalize()} input {c}")
        self.rel(material, SKOS.broader, roots[c % len(roots)], mc)
        self.rel(material, ESKG.usedIn, tech, mc)
        self.rel(material, ESKG.inField, field_id, mc)
        materials = [material]
        for k in range(2):
            sub = f"material/m{c}-{k}"
            sc = self.record(
                sub, "Material", f"{mja}原料{c}-{k}", f"{men.capitalize()} grade {c}-{k}"
            )
            self.rel(sub, SKOS.broader, material, sc)
            materials.append(sub)
        companies = [f"org/company-{c}-{k}" for k in range(2)]
        for k, rid in enumerate(companies):
            cc = self.record(rid, "Company", f"合成株式会社{c}-{k}", f"Synthetic Corp {c}-{k}")
            self.rel(rid, ESKG.jurisdiction, countries[(c + k) % 12], cc)
        measures = []
        for k in range(12):
            cls = MEASURE_CLASSES[(c + k) % len(MEASURE_CLASSES)]
            wja, wen = MEASURE_WORDS[(c * 7 + k) % len(MEASURE_WORDS)]
            rid = f"measure/m{c}-{k}"
            measures.append(rid)
            props = [
                (ESKG.status, _plain(rng.choice(STATUS))),
                (ESKG.inForceFrom, lit_date(self.day())),
            ]
            if k % 3 == 0:
                props.append(
                    (
                        DCTERMS.description,
                        Literal(f"{ten} {wen} measure number {k} of cluster {c}", lang="en"),
                    )
                )
            if k % 4 == 0:
                props.append((SKOS.altLabel, Literal(f"{wen.upper()}-{c}-{k}", lang="en")))
            mc = self.record(
                rid, cls, f"{tja}{wja}{c}-{k}", f"{ten.capitalize()} {wen} {c}-{k}", props
            )
            self.rel(rid, ESKG.coversTechnology, techs[k % 4], mc)
            if k % 2 == 0:
                self.rel(rid, ESKG.coversMaterial, materials[k % 3], mc)
            self.rel(rid, ESKG.legalBasis, rng.choice(provisions), mc)
            self.rel(rid, ESKG.responsibleBody, rng.choice(orgs), mc)
            self.rel(rid, ESKG.jurisdiction, countries[0] if k % 5 else rng.choice(countries), mc)
            self.rel(rid, ESKG.describedIn, rng.choice(self.documents), mc)
            if cls == "SupportProgramme":
                self.rel(rid, ESKG.recipient, companies[k % 2], mc)
            if cls == "ExportControl":
                self.rel(rid, ESKG.targetsCountry, rng.choice(countries[10:]), mc)
                self.rel(rid, ESKG.addressesRisk, rng.choice(risks), mc)
            if cls != "Strategy" and k % 3 == 1:
                self.rel(rid, ESKG.partOf, rng.choice(strategies), mc)
            if k % 3 == 0:
                fid = f"figure/f{c}-{k}"
                fy = 2019 + (c + k) % 7
                value = Decimal(rng.randint(1, 5000)) * Decimal(100_000_000)
                fc = self.record(
                    fid,
                    "Figure",
                    f"令和{fy - 2018}年度予算 {c}-{k}",
                    f"FY{fy} budget {c}-{k}",
                    [
                        (ESKG.value, Literal(canonical_decimal(value), datatype=XSD.decimal)),
                        (ESKG.unit, _plain("JPY")),
                        (ESKG.fiscalYear, Literal(f"FY{fy}")),
                        (
                            ESKG.approximate,
                            Literal("true" if k % 2 else "false", datatype=XSD.boolean),
                        ),
                        (ESKG.figureKind, _plain("budget")),
                    ],
                )
                self.rel(rid, ESKG.hasFigure, fid, fc)
        share = f"figure/share-{c}"
        sc = self.record(
            share,
            "Figure",
            f"生産シェア{c}",
            f"Production share {c}",
            [
                (
                    ESKG.value,
                    Literal(
                        canonical_decimal(Decimal(rng.randint(1, 99)) / 100), datatype=XSD.decimal
                    ),
                ),
                (ESKG.unit, _plain("share")),
                (ESKG.figureKind, _plain("production_share")),
            ],
        )
        self.rel(material, ESKG.hasFigure, share, sc)
        self.rel(share, ESKG.figureCountry, rng.choice(countries[10:]), sc)
        for k in range(2):
            rid = f"event/e{c}-{k}"
            when = self.day(2019, 2026)
            precise = k == 0
            ec = self.record(
                rid,
                "Event",
                f"発表{c}-{k}",
                f"Announcement {c}-{k}",
                [
                    (ESKG.date, lit_date(when if precise else when.replace(day=1))),
                    (ESKG.datePrecision, _plain("day" if precise else "month")),
                ],
            )
            self.rel(rid, ESKG.concerns, measures[k], ec)
            self.rel(rid, ESKG.participant, countries[0], ec)
        rid = f"event/meeting-{c}"
        ec = self.record(
            rid,
            "Meeting",
            f"会合{c}",
            f"Meeting {c}",
            [(ESKG.date, lit_date(self.day(2019, 2026)))],
        )
        self.rel(rid, ESKG.meetingOf, dialogues[c % len(dialogues)], ec)
        self.rel(rid, ESKG.coversTechnology, tech, ec)
        self.rel(rid, ESKG.outcome, measures[3], ec)


def _build(clusters: int, seed: int, base: str) -> _Builder:
    b = _Builder(seed, base)
    b.quads = [q for block in b.blocks(clusters) for q in block]
    return b


def clusters_for(triples: int, seed: int = 0, base: str = DEFAULT_BASE) -> int:
    """The number of technology clusters that gives the quad count nearest ``triples``."""
    lo, hi = 20, 60
    a, b = len(_build(lo, seed, base).quads), len(_build(hi, seed, base).quads)
    per = (b - a) / (hi - lo)
    fixed = a - per * lo
    return max(1, round((triples - fixed) / per))


def generate(
    triples: int = 10_000, seed: int = 0, base: str = DEFAULT_BASE, clusters: int | None = None
) -> Synthetic:
    """Ontology-conformant quads, about ``triples`` of them, the same for the same seed."""
    n = clusters if clusters is not None else clusters_for(triples, seed, base)
    b = _build(n, seed, base)
    out = Synthetic(b.quads, n, seed, base, records=b.records, relations=b.relations)
    out.targets = targets(base)
    return out


def targets(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The entities (and the search text) to ask about, at any size."""
    return {
        "technology": base + "tech/t1",  # level 2: 3 narrower, ~12 measures
        "technology_field": base + "tech/field-computing",  # grows with the graph
        "material": base + "material/m1",  # 2 narrower materials
        "measure": base + "measure/m1-0",
        "search": "battery technology 1",  # exact hit plus prefix/substring hits
    }


@dataclass
class Written:
    """What ``write_nquads`` wrote."""

    path: Path
    quads: int
    clusters: int
    records: int
    relations: int
    seconds: float


def nquad_line(quad: Quad) -> str:
    """One quad as an N-Quads line (rdflib's N3 forms of the terms, as ``nquads``)."""
    s, p, o, g = quad
    tail = f" {g.n3()}" if g is not None else ""
    return f"{s.n3()} {p.n3()} {o.n3()}{tail} .\n"


def write_nquads(
    path: Path,
    triples: int,
    seed: int = 0,
    base: str = DEFAULT_BASE,
    progress: Callable[[str], None] = lambda _: None,
) -> Written:
    """Stream about ``triples`` quads to ``path`` as N-Quads, one cluster at a time (the
    same quads as ``generate``, in generation order, not sorted): memory does not grow
    with the size but for the set of citations made. The file appears only once it is
    complete (written beside it, then renamed)."""
    start = time.perf_counter()
    n = clusters_for(triples, seed, base)
    b = _Builder(seed, base)
    written, step = 0, max(1, n // 20)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as out:
            for i, block in enumerate(b.blocks(n)):
                out.write("".join(map(nquad_line, block)))
                written += len(block)
                if i % step == 0 or i == n:
                    rate = written / max(time.perf_counter() - start, 1e-9)
                    progress(f"{written:,} quads ({i}/{n} clusters), {rate:,.0f}/s")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    took = time.perf_counter() - start
    return Written(path, written, n, b.records, b.relations, took)


__all__ = ["Synthetic", "Written", "clusters_for", "generate", "targets", "write_nquads"]
