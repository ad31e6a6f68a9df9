"""Where the project's bundled resources live (ontology, queries, curated data)."""

from __future__ import annotations

from pathlib import Path

#: The repository root: the package is installed editable (``pip install -e .``),
#: so the bundled folders sit beside it.
ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
QUERIES_DIR = ROOT / "queries"
DATA_DIR = ROOT / "data"
SOURCES_DIR = DATA_DIR / "sources"
