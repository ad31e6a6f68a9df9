"""Bad curated data stops the load with a message naming the file, line and record."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from eskg.config import Settings
from eskg.errors import DataNotConformingError, InvalidInputError
from loaders.pipeline import build

MATERIAL = """
- id: material/test-widget
  type: SpecifiedCriticalMaterial
  label: {LABEL}
  sources:
    - document: doc/meti-action-plan-2024
      locator: 表紙
      quote: 経済産業省
  relations:
    responsibleBody: {TARGET}
"""


def _data(tmp_path: Path, settings: Settings, extra: str) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(settings.data_dir, folder, ignore=shutil.ignore_patterns("sources"))
    (folder / "zz-test.yaml").write_text(extra, encoding="utf-8")
    return folder


def test_material_without_japanese_label(tmp_path: Path, settings: Settings) -> None:
    data = _data(
        tmp_path,
        settings,
        MATERIAL.replace("{LABEL}", "{en: Widget}").replace("{TARGET}", "org/meti"),
    )
    with pytest.raises(DataNotConformingError) as err:
        build(settings, data)
    assert "zz-test.yaml:2" in err.value.message
    assert "material/test-widget" in err.value.message
    assert "prefLabel@ja" in err.value.message


def test_relation_to_unknown_id(tmp_path: Path, settings: Settings) -> None:
    data = _data(
        tmp_path,
        settings,
        MATERIAL.replace("{LABEL}", "{ja: 部品, en: Widget}").replace("{TARGET}", "org/metii"),
    )
    with pytest.raises(DataNotConformingError) as err:
        build(settings, data)
    assert "zz-test.yaml:2" in err.value.message
    assert "unknown id 'org/metii'" in err.value.message
    assert "org/meti" in err.value.message  # the suggestion


def test_malformed_yaml(tmp_path: Path, settings: Settings) -> None:
    data = _data(tmp_path, settings, "- id: material/x\n  type: [unclosed\n  label: {ja: a}\n")
    with pytest.raises(InvalidInputError) as err:
        build(settings, data)
    assert "zz-test.yaml:" in err.value.message and "malformed YAML" in err.value.message


def test_quote_not_in_source(tmp_path: Path, settings: Settings) -> None:
    bad = MATERIAL.replace("{LABEL}", "{ja: 部品, en: Widget}").replace("{TARGET}", "org/meti")
    bad = bad.replace("quote: 経済産業省", "quote: 存在しない引用文")
    with pytest.raises(DataNotConformingError) as err:
        build(settings, _data(tmp_path, settings, bad))
    assert "quote not found verbatim" in err.value.message and "zz-test.yaml:6" in err.value.message


def test_unknown_class_and_bad_date(tmp_path: Path, settings: Settings) -> None:
    bad = MATERIAL.replace("SpecifiedCriticalMaterial", "SpecifiedCriticalMaterail")
    bad = bad.replace("{LABEL}", "{ja: 部品, en: Widget}").replace("{TARGET}", "org/meti")
    bad += "  properties:\n    designatedOn: 2022-13-45\n"
    with pytest.raises((DataNotConformingError, InvalidInputError)) as err:
        build(settings, _data(tmp_path, settings, bad))
    assert "zz-test.yaml" in str(err.value)


def test_duplicate_id(tmp_path: Path, settings: Settings) -> None:
    dup = "- id: org/meti\n  type: GovernmentBody\n  label: {ja: 重複, en: Duplicate}\n  sources: [{document: doc/meti-action-plan-2024, locator: 表紙, quote: 経済産業省}]\n"
    with pytest.raises(DataNotConformingError) as err:
        build(settings, _data(tmp_path, settings, dup))
    assert "duplicate id" in err.value.message and "organisations.yaml" in err.value.message


def test_cli_exit_codes(tmp_path: Path, settings: Settings) -> None:
    ok = subprocess.run(["eskg", "validate"], capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    data = _data(
        tmp_path,
        settings,
        MATERIAL.replace("{LABEL}", "{en: Widget}").replace("{TARGET}", "org/meti"),
    )
    bad = subprocess.run(
        ["eskg", "validate", "--data", str(data)], capture_output=True, text=True, check=False
    )
    assert bad.returncode == 1 and "prefLabel@ja" in bad.stderr
    (data / "zz-test.yaml").write_bytes(b"- id: \xff\xfe\n")
    unreadable = subprocess.run(
        ["eskg", "validate", "--data", str(data)], capture_output=True, text=True, check=False
    )
    assert unreadable.returncode == 2 and "not UTF-8" in unreadable.stderr


def test_integer_outside_64_bits_is_refused_with_its_line(
    tmp_path: Path, settings: Settings
) -> None:
    # regression: it passed validation, then crashed the Neo4j load with OverflowError
    big = MATERIAL.replace("{LABEL}", "{ja: 部品, en: Widget}").replace("{TARGET}", "org/meti")
    big += "  properties:\n    ordinal: 1180591620717411303424\n"
    with pytest.raises(DataNotConformingError) as err:
        build(settings, _data(tmp_path, settings, big))
    assert "zz-test.yaml:2" in err.value.message and "64-bit" in err.value.message
