"""``eskg load``: validated RDF into the chosen stores, with a summary.

An on-disk embedded store (``ESKG_EMBEDDED_PATH``) is never written in place: the data
goes into a new folder beside it, which replaces it by a rename (``rdf_file.
fill_embedded``), so a server reading it keeps reading the old one until it reopens
the new one.
"""

from __future__ import annotations

import time
from pathlib import Path

from eskg.config import Settings
from eskg.ontology import load_ontology
from eskg.store import open_store
from loaders.pipeline import Progress, build
from loaders.rdf_file import fill_embedded
from loaders.summary import LoadSummary, summarise


def load(
    settings: Settings,
    stores: list[str],
    data_dir: Path | None = None,
    progress: Progress = lambda _: None,
) -> list[LoadSummary]:
    """Validate once, then replace the content of each store; nothing is written on error."""
    start = time.perf_counter()
    built = build(settings, data_dir, progress)
    summaries = []
    for kind in stores:
        on_disk = kind == "embedded" and settings.embedded_path is not None
        if on_disk:
            progress(f"writing to the {kind} store beside {settings.embedded_path}")
            nquads = built.compiled.dataset.serialize(format="nquads").encode("utf-8")
            fill_embedded(settings, nquads, load_ontology(settings.ontology_dir), progress)
        store = open_store(settings, kind, read_only=on_disk)
        try:
            if not on_disk:
                progress(f"writing to the {kind} store")
                store.replace_all(built.compiled.dataset)
            summaries.append(summarise(store, kind, built.quads, time.perf_counter() - start))
        finally:
            store.close()
    return summaries


__all__ = ["LoadSummary", "load", "summarise"]
