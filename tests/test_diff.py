"""``eskg diff``: added, removed, changed statements with their sources, text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.diff import diff_files
from cli.main import main
from eskg.config import Settings
from eskg.export import export_embedded
from eskg.store.embedded import EmbeddedStore

ID = "https://w3id.org/eskg/id/"
VALUE = "<https://w3id.org/eskg/ontology#value>"
COVERS = "<https://w3id.org/eskg/ontology#coversMaterial>"


@pytest.fixture(scope="module")
def dumps(
    tmp_path_factory: pytest.TempPathFactory, embedded: EmbeddedStore, settings: Settings
) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("diff")
    dump = export_embedded(embedded, settings)
    paths = {fmt: root / f"old.{fmt}" for fmt in ("nq", "ttl", "trig", "jsonld", "nt")}
    for fmt, path in paths.items():
        path.write_bytes(dump.serialize(fmt))
    lines = paths["nq"].read_text(encoding="utf-8").splitlines()
    changed = next(i for i, line in enumerate(lines) if f" {VALUE} " in line)
    subject = lines[changed].split(" ", 1)[0]
    lines[changed] = (
        lines[changed].split(" ", 2)[0]
        + f" {VALUE} "
        + (
            '"12345.5"^^<http://www.w3.org/2001/XMLSchema#decimal> '
            + lines[changed].rsplit(" ", 2)[-2]
            + " ."
        )
    )
    removed = next(i for i, line in enumerate(lines) if f" {COVERS} " in line)
    removed_line = lines.pop(removed)
    lines.append(
        f"<{ID}org/meti> <http://www.w3.org/2004/02/skos/core#altLabel> "
        f'"新しい別名 🧲"@ja <{ID}org/meti#record> .'
    )
    new = root / "new.nq"
    new.write_text("\n".join(lines) + "\n", encoding="utf-8")
    paths["new"] = new
    (root / "facts.txt").write_text(f"{subject}\n{removed_line}\n", encoding="utf-8")
    paths["facts"] = root / "facts.txt"
    return paths


def test_same_data_in_every_format_has_no_changes(
    dumps: dict[str, Path], settings: Settings
) -> None:
    for fmt in ("ttl", "trig", "jsonld", "nt"):
        res = diff_files(dumps["nq"], dumps[fmt], settings)
        assert (res.added, res.removed, res.changed, res.resourced) == ([], [], [], []), fmt
        assert res.old.version and res.old.version == res.new.version


def test_added_removed_changed_with_sources(dumps: dict[str, Path], settings: Settings) -> None:
    subject, removed_line = dumps["facts"].read_text(encoding="utf-8").splitlines()
    res = diff_files(dumps["nq"], dumps["new"], settings)
    assert len(res.changed) == 1 and len(res.added) == 1 and len(res.removed) == 1
    old, new = res.changed[0]
    assert f"<{old[0]}>" == subject and str(new[2]) == "12345.5"
    assert res.new.statements[new], "a changed value keeps its sources"
    assert str(res.added[0][2]) == "新しい別名 🧲"
    assert res.new.statements[res.added[0]], "the added label is cited by org/meti's record"
    assert f"<{res.removed[0][2]}>" in removed_line
    assert all(doc.startswith(ID + "doc/") for doc, _, _ in res.old.statements[res.removed[0]])


def test_turtle_against_nquads_finds_the_same_changes(
    dumps: dict[str, Path], settings: Settings
) -> None:
    res = diff_files(dumps["ttl"], dumps["new"], settings)
    assert (len(res.changed), len(res.added), len(res.removed), len(res.resourced)) == (1, 1, 1, 0)


def test_cli_text_and_json(dumps: dict[str, Path]) -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["diff", str(dumps["nq"]), str(dumps["new"])])
    assert text.exit_code == 0, text.output
    assert "1 changed, 1 added, 1 removed" in text.output
    assert "~ figure/" in text.output and '-> "12345.5"' in text.output
    assert '+ org/meti skos:altLabel "新しい別名 🧲"@ja' in text.output
    assert "source: doc/" in text.output
    out = runner.invoke(main, ["diff", "--json", str(dumps["nq"]), str(dumps["new"])])
    body = json.loads(out.output)
    assert body["summary"] == {"added": 1, "removed": 1, "changed": 1, "sources_changed": 0}
    assert body["changed"][0]["new"] == {
        "value": "12345.5",
        "datatype": "http://www.w3.org/2001/XMLSchema#decimal",
    }
    assert body["removed"][0]["sources"][0]["document"].startswith(ID + "doc/")
    assert body["old"]["version"].startswith("0.")


def test_unreadable_dump_is_a_clear_error(tmp_path: Path, dumps: dict[str, Path]) -> None:
    bad = tmp_path / "bad.nq"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["diff", str(bad), str(dumps["nq"])])
    assert res.exit_code == 2
    assert "cannot be read as nquads" in res.output
