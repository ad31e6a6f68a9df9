"""``eskg lint``: each check fires on a small inline data set and stays quiet on its
corrected form; the bundled data has no errors (the accepted findings aside)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from cli.lint import ACCEPTED_FILE, Accepted, Finding, lint, read_accepted
from cli.lint_text import normalise, numbers
from cli.main import main
from eskg.config import Settings
from eskg.ontology import Ontology
from loaders.yaml_source import read_file, read_folder

ROOT = Path(__file__).resolve().parent.parent
DOC = {
    "id": "doc/page",
    "type": "Document",
    "label": {"ja": "頁", "en": "Page"},
    "properties": {"url": ["https://example.org/"]},
}


def rec(
    rid: str, cls: str, ja: str, en: str, quote: str | None = None, **extra: Any
) -> dict[str, Any]:
    source: dict[str, Any] = {"document": "doc/page", "locator": "page"}
    if quote:
        source["quote"] = quote
    return {"id": rid, "type": cls, "label": {"ja": ja, "en": en}, "sources": [source], **extra}


def run(tmp_path: Path, onto: Ontology, *records: dict[str, Any]) -> list[Finding]:
    path = tmp_path / "data.yaml"
    path.write_text(yaml.safe_dump([DOC, *records], allow_unicode=True), encoding="utf-8")
    return lint(read_file(path), onto, []).findings


def checks(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.check, f.severity) for f in findings}


def test_normalisation_folds_width_case_kana_and_punctuation() -> None:
    assert normalise("ＭＬＣＣ・積層セラミック") == normalise("mlcc 積層せらみっく")
    assert normalise("Aircraft-parts") == normalise("aircraft parts")
    assert normalise("永久磁石") != normalise("磁石")


def test_numbers_read_japanese_units_commas_and_width() -> None:
    values = {r.value for r in numbers("令和4年度予算 約９,５００億円、1兆2,000億円、60%")}
    assert {9_500 * 10**8, 12 * 10**11, 60} <= values
    assert any(r.value == Decimal("0.6") for r in numbers("シェア60％"))
    assert all(r.marked for r in numbers("約9,500億円") if r.value == 9_500 * 10**8)
    assert any(r.marked for r in numbers("300社以上"))


def test_duplicates(tmp_path: Path, onto: Ontology) -> None:
    a = rec("material/mlcc", "Material", "積層セラミックコンデンサ", "MLCC")
    b = rec("material/capacitor-mlcc", "Material", "積層セラミック・コンデンサ", "Multilayer")
    found = run(tmp_path, onto, a, b)
    assert ("duplicate-label", "error") in checks(found)
    b["label"]["ja"] = "フィルムコンデンサ"
    assert ("duplicate-label", "error") not in checks(run(tmp_path, onto, a, b))
    b["properties"] = {"altLabel": {"en": ["mlcc"]}}
    assert ("duplicate-alt-label", "warning") in checks(run(tmp_path, onto, a, b))
    # another top-level class with the same label is not a duplicate
    c = rec("tech/mlcc", "Technology", "積層セラミックコンデンサ", "MLCC technology")
    assert not checks(run(tmp_path, onto, a, c)) & {("duplicate-label", "error")}


def test_id_prefix(tmp_path: Path, onto: Ontology) -> None:
    materials = [rec(f"material/m{i}", "Material", f"物資{i}", f"Material {i}") for i in range(3)]
    odd = rec("material/plan", "PolicyPillar", "柱", "Pillar")
    found = run(tmp_path, onto, *materials, odd)
    assert [f.ids for f in found if f.check == "id-prefix"] == [("material/plan",)]
    odd["type"] = "SpecifiedCriticalMaterial"  # a subclass agrees with its prefix
    assert "id-prefix" not in {f.check for f in run(tmp_path, onto, *materials, odd)}


def test_labels(tmp_path: Path, onto: Ontology) -> None:
    found = run(
        tmp_path,
        onto,
        rec("org/nss", "GovernmentBody", "NSS", "NSS"),
        rec("org/x", "Company", "Bower Group", "Bower Group"),
    )
    assert checks(found) >= {("acronym-label", "error"), ("ja-label-script", "warning")}
    fixed = run(
        tmp_path,
        onto,
        rec("org/nss", "GovernmentBody", "国家安全保障局", "NSS"),
        rec("org/x", "Company", "バウアー・グループ", "Bower Group"),
    )
    assert not checks(fixed) & {("acronym-label", "error"), ("ja-label-script", "warning")}


def test_support(tmp_path: Path, onto: Ontology) -> None:
    mat = rec("material/magnets", "Material", "永久磁石", "Permanent magnets")
    budget = rec(
        "measure/m",
        "SupportProgramme",
        "支援",
        "Support",
        "予算は9,500億円",
        relations={"coversMaterial": "material/magnets"},
    )
    assert ("unsupported-relation", "warning") in checks(run(tmp_path, onto, mat, budget))
    budget["sources"][0]["quote"] = "永久磁石の供給確保を支援"
    assert "unsupported-relation" not in {f.check for f in run(tmp_path, onto, mat, budget)}
    del budget["sources"][0]["quote"]
    assert ("unquoted-relation", "warning") in checks(run(tmp_path, onto, mat, budget))


def test_figures(tmp_path: Path, onto: Ontology) -> None:
    def fig(value: Any, quote: str, approximate: bool | None = None) -> dict[str, Any]:
        props: dict[str, Any] = {"value": value, "unit": "JPY"}
        if approximate is not None:
            props["approximate"] = approximate
        return rec("figure/f", "Figure", "額", "Amount", quote, properties=props)

    assert checks(run(tmp_path, onto, fig(950000000000, "約9,500億円"))) >= {
        ("figure-approximate", "error")
    }
    assert not {f.check for f in run(tmp_path, onto, fig(950000000000, "約9,500億円", True))}
    assert ("figure-value", "warning") in checks(run(tmp_path, onto, fig(95000000000, "9,500億円")))
    assert not run(tmp_path, onto, fig(950000000000, "９，５００億円"))
    assert ("figure-approximate", "error") in checks(run(tmp_path, onto, fig(300, "300社以上")))


def test_time_order(tmp_path: Path, onto: Ontology) -> None:
    mat = rec(
        "material/aec",
        "SpecifiedCriticalMaterial",
        "先端電子部品",
        "Advanced electronic components",
        properties={"designatedOn": date(2024, 2, 2)},
    )
    order = rec(
        "law/order",
        "Law",
        "政令",
        "Cabinet order",
        properties={"enactedOn": date(2022, 12, 20)},
        relations={"coversMaterial": [{"target": "material/aec", "validFrom": date(2023, 1, 1)}]},
    )
    assert ("time-order", "error") in checks(run(tmp_path, onto, mat, order))
    order["relations"]["coversMaterial"][0]["validFrom"] = date(2024, 2, 2)
    assert "time-order" not in {f.check for f in run(tmp_path, onto, mat, order)}
    order["relations"]["coversMaterial"] = ["material/aec"]  # the record's own date
    assert ("time-order", "warning") in checks(run(tmp_path, onto, mat, order))


def test_round_totals(tmp_path: Path, onto: Ontology) -> None:
    total = rec(
        "figure/round-total", "Figure", "総額", "Total", properties={"value": 1, "unit": "JPY"}
    )
    rnd = rec("measure/round", "SupportProgramme", "第1回", "Round 1")
    members = [
        rec(
            f"measure/cert-{i}",
            "Certification",
            f"認定{i}",
            f"Cert {i}",
            relations={"partOf": "measure/round", "hasFigure": "figure/round-total"},
        )
        for i in range(2)
    ]
    found = [f for f in run(tmp_path, onto, total, rnd, *members) if f.check == "round-total"]
    assert found and found[0].severity == "error"
    rnd["relations"] = {"hasFigure": "figure/round-total"}
    for m in members:
        m["relations"] = {"partOf": "measure/round"}
    assert "round-total" not in {f.check for f in run(tmp_path, onto, total, rnd, *members)}


def test_accepted_findings_are_set_apart(tmp_path: Path, onto: Ontology) -> None:
    path = tmp_path / "data.yaml"
    path.write_text(
        yaml.safe_dump(
            [DOC, rec("group/apec", "CountryGroup", "APEC", "APEC")], allow_unicode=True
        ),
        encoding="utf-8",
    )
    accepted = [Accepted("group/apec", "acronym-label", "Japanese sources write APEC")]
    report = lint(read_file(path), onto, accepted)
    assert not report.errors and [f.check for f in report.accepted] == ["acronym-label"]
    bad = tmp_path / "accepted.yml"
    bad.write_text("- {id: x, check: nonsense, reason: r}\n", encoding="utf-8")
    with pytest.raises(Exception, match="unknown check"):
        read_accepted(bad)


def test_command_exit_codes(tmp_path: Path, settings: Settings) -> None:
    runner = CliRunner()
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "x.yaml").write_text("- {id: bad", encoding="utf-8")
    assert runner.invoke(main, ["lint", "--data", str(tmp_path / "d")]).exit_code == 2


def test_bundled_data_has_no_errors(settings: Settings, onto: Ontology) -> None:
    records = read_folder(settings.data_dir)
    accepted = read_accepted(settings.data_dir / ACCEPTED_FILE)
    report = lint(records, onto, accepted)
    assert not report.errors, "\n".join(f.line() for f in report.errors)
