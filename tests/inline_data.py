"""A small curated data set written inline, built with the real loader (compile + SHACL).

It holds what the bundled data may not have yet: relations bounded by ``validFrom`` /
``validUntil``, certified plans (``Certification``) with companies, materials, ministries,
legal bases and subsidy caps, a grant under another law, a grouping whose membership
changed, and an amendment. Tests of relation validity and of the competency questions
on certifications load it into both stores.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from eskg.config import Settings
from loaders.pipeline import Built, build

D = dt.date
PAGE = "doc/test-page"


def _cite(locator: str) -> list[dict[str, str]]:
    return [{"document": PAGE, "locator": locator}]


def _rec(rid: str, cls: str, ja: str, en: str, **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"id": rid, "type": cls, "label": {"ja": ja, "en": en}}
    record.update(extra)
    record.setdefault("sources", _cite(rid))
    return record


def _figure(rid: str, value: int, kind: str = "subsidy_cap") -> dict[str, Any]:
    return _rec(
        rid,
        "Figure",
        f"助成上限 {value}円",
        f"Subsidy cap JPY {value}",
        properties={"value": value, "unit": "JPY", "figureKind": kind},
    )


def records() -> list[dict[str, Any]]:
    """The records, as a curator would write them in YAML."""
    return [
        {
            "id": PAGE,
            "type": "Document",
            "label": {"ja": "試験頁", "en": "Test page"},
            "properties": {
                "url": ["https://example.org/certified-plans"],
                "publisherName": "試験省",
            },
        },
        _rec("org/ministry-a", "GovernmentBody", "甲省", "Ministry A"),
        _rec("org/ministry-b", "GovernmentBody", "乙省", "Ministry B"),
        _rec("law/test-act", "Law", "試験法", "Test Act", properties={"enactedOn": D(2022, 5, 11)}),
        _rec("law/other-act", "Law", "別法", "Other Act", properties={"enactedOn": D(2020, 1, 1)}),
        _rec(
            "provision/test-act-art-9",
            "Provision",
            "試験法第9条",
            "Test Act Article 9",
            relations={"partOf": "law/test-act"},
        ),
        _rec(
            "law/test-act-amendment",
            "Law",
            "試験法改正",
            "Test Act amendment",
            properties={"enactedOn": D(2024, 5, 1)},
            relations={"amends": "law/test-act"},
        ),
        _rec("tech/widgets", "Technology", "部品技術", "Widget technology"),
        _rec(
            "material/alpha",
            "SpecifiedCriticalMaterial",
            "甲物資",
            "Material alpha",
            properties={"designatedOn": D(2022, 12, 20)},
            relations={"usedIn": "tech/widgets"},
        ),
        _rec(
            "material/beta",
            "SpecifiedCriticalMaterial",
            "乙物資",
            "Material beta",
            properties={"designatedOn": D(2024, 2, 2)},
        ),
        _rec(
            "material/gamma",
            "SpecifiedCriticalMaterial",
            "丙物資",
            "Material gamma",
            properties={"designatedOn": D(2022, 12, 20)},
        ),
        _rec(
            "measure/designation",
            "Designation",
            "物資の指定",
            "Designation of materials",
            properties={"date": D(2022, 12, 20)},
            relations={
                "coversMaterial": [
                    "material/alpha",
                    "material/gamma",
                    {
                        "target": "material/beta",
                        "validFrom": D(2024, 2, 2),
                        "sources": _cite("designation of beta"),
                    },
                ]
            },
        ),
        _rec("company/acme-holdings", "Company", "アクメ・ホールディングス", "Acme Holdings"),
        _rec(
            "company/acme",
            "Company",
            "アクメ",
            "Acme",
            properties={"corporateNumber": "1234567890123"},
            relations={"subOrganisationOf": "company/acme-holdings"},
        ),
        _rec("company/bolt", "Company", "ボルト", "Bolt"),
        _figure("figure/cert-acme-alpha-cap", 1_000_000_000),
        _figure("figure/cert-bolt-beta-cap", 2_500_000_000),
        _figure("figure/grant-bolt-amount", 700_000_000, "subsidy"),
        _rec(
            "measure/cert-acme-alpha",
            "Certification",
            "アクメの供給確保計画の認定",
            "Certification of Acme's plan",
            properties={"date": D(2023, 4, 28)},
            relations={
                "recipient": "company/acme",
                "coversMaterial": "material/alpha",
                "coversTechnology": "tech/widgets",
                "responsibleBody": "org/ministry-a",
                "legalBasis": "provision/test-act-art-9",
                "hasFigure": "figure/cert-acme-alpha-cap",
            },
        ),
        _rec(
            "measure/cert-bolt-beta",
            "Certification",
            "ボルトの供給確保計画の認定",
            "Certification of Bolt's plan",
            properties={"date": D(2024, 6, 1)},
            relations={
                "recipient": "company/bolt",
                "coversMaterial": "material/beta",
                "responsibleBody": "org/ministry-b",
                "legalBasis": "law/test-act",
                "hasFigure": "figure/cert-bolt-beta-cap",
            },
        ),
        _rec(
            "measure/grant-bolt",
            "SupportProgramme",
            "ボルトへの助成",
            "Grant to Bolt",
            properties={"date": D(2021, 3, 1)},
            relations={
                "recipient": "company/bolt",
                "coversTechnology": "tech/widgets",
                "responsibleBody": "org/ministry-a",
                "legalBasis": "law/other-act",
                "hasFigure": "figure/grant-bolt-amount",
            },
        ),
        _rec("group/club", "CountryGroup", "クラブ", "The Club"),
        _rec("country/aa", "Country", "甲国", "Country AA", relations={"memberOf": "group/club"}),
        _rec(
            "country/bb",
            "Country",
            "乙国",
            "Country BB",
            relations={
                "memberOf": [
                    {
                        "target": "group/club",
                        "validFrom": D(2023, 1, 1),
                        "sources": _cite("accession of BB"),
                    }
                ]
            },
        ),
        _rec(
            "country/cc",
            "Country",
            "丙国",
            "Country CC",
            relations={
                "memberOf": [
                    {
                        "target": "group/club",
                        "validUntil": D(2022, 12, 31),
                        "sources": _cite("withdrawal of CC"),
                    }
                ]
            },
        ),
    ]


def build_inline(
    root: Path, settings: Settings, extra: list[dict[str, Any]] | None = None
) -> tuple[Built, Settings]:
    """The records (and ``extra``) written to ``root/data`` and built by the loader."""
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "sources").mkdir(exist_ok=True)
    text = yaml.safe_dump(records() + (extra or []), allow_unicode=True, sort_keys=False)
    (root / "data" / "inline.yaml").write_text(text, encoding="utf-8")
    cfg = settings.model_copy(update={"sources_dir": root / "sources"})
    return build(cfg, root / "data"), cfg
