"""Curated YAML -> RDF -> SHACL -> stores.

The layers above (the API, the CLI and tools) use the loaders through these names only.
"""

from loaders.pipeline import Built, Progress, build, open_filled_store, validated_nquads
from loaders.sparql_store import shared_sparql_path

__all__ = [
    "Built",
    "Progress",
    "build",
    "open_filled_store",
    "shared_sparql_path",
    "validated_nquads",
]
