"""Issue 16: a relation that holds only from or until a date could not say so.

The curated format refused `validFrom`/`validUntil` on a relation, so links such as the
coverage of advanced electronic components (designated in 2024) were stored as always
valid and as-of answers included them before they existed. The loader now accepts the
bounds, puts them on the relation's statement graph, and refuses a bad one with its line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import XSD, Literal

from eskg.config import Settings
from eskg.errors import DataNotConformingError, InvalidInputError
from eskg.ontology import ESKG, load_ontology
from loaders.compile import compile_records
from loaders.yaml_source import read_folder

RECORDS = """
- id: doc/x
  type: Document
  label: {{ja: 文書, en: Doc}}
- id: org/a
  type: GovernmentBody
  label: {{ja: 甲省, en: Ministry A}}
  sources: [{{document: doc/x, locator: p}}]
- id: org/b
  type: GovernmentBody
  label: {{ja: 乙庁, en: Agency B}}
  sources: [{{document: doc/x, locator: p}}]
  relations:
    subOrganisationOf:
      - {{target: org/a, {bounds}, sources: [{{document: doc/x, locator: q}}]}}
"""


def _compile(tmp_path: Path, bounds: str) -> object:
    (tmp_path / "a.yaml").write_text(RECORDS.format(bounds=bounds), encoding="utf-8")
    settings = Settings()
    onto = load_ontology(settings.ontology_dir)
    return compile_records(read_folder(tmp_path), onto, settings.base_iri)


def test_bounds_sit_on_the_statement_graph(tmp_path: Path) -> None:
    compiled = _compile(tmp_path, "validFrom: 2024-04-01, validUntil: 2025-03-31")
    ds = compiled.dataset  # type: ignore[attr-defined]
    starts = list(ds.default_graph.triples((None, ESKG.validFrom, None)))
    ends = list(ds.default_graph.triples((None, ESKG.validUntil, None)))
    assert [o for _, _, o in starts] == [Literal("2024-04-01", datatype=XSD.date)]
    assert [o for _, _, o in ends] == [Literal("2025-03-31", datatype=XSD.date)]
    graph = starts[0][0]
    assert "/stmt/" in str(graph)
    assert len(list(ds.graph(graph).triples((None, None, None)))) == 1


def test_a_quoted_date_is_refused_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match=r"a\.yaml:\d+.*validFrom must be an unquoted date"):
        _compile(tmp_path, 'validFrom: "April 2024"')


def test_an_end_before_the_start_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataNotConformingError, match="validFrom is after validUntil"):
        _compile(tmp_path, "validFrom: 2025-01-01, validUntil: 2024-01-01")
