"""Every quote that cites a stored document is found in it verbatim.

This reads the YAML directly (not through the loader) so that it is an independent
check of the quote test the loader runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from eskg.config import Settings


def _walk(node: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(node, dict):
        if "document" in node and "locator" in node:
            found.append(node)
        for v in node.values():
            found.extend(_walk(v))
    elif isinstance(node, list):
        for v in node:
            found.extend(_walk(v))
    return found


def test_every_stored_document_quote_is_verbatim(settings: Settings) -> None:
    records: list[Any] = []
    for path in sorted(settings.data_dir.rglob("*.yaml")):
        records.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    copies = {
        r["id"]: settings.sources_dir / r["properties"]["localCopy"]
        for r in records
        if isinstance(r, dict) and "localCopy" in (r.get("properties") or {})
    }
    assert copies, "no stored documents found"
    texts = {doc: Path(p).read_text(encoding="utf-8") for doc, p in copies.items()}
    citations = [c for c in _walk(records) if c.get("document") in texts and c.get("quote")]
    assert len(citations) > 20
    missing = [c["quote"] for c in citations if c["quote"] not in texts[c["document"]]]
    assert missing == []


def test_seed_citations_carry_a_quote(settings: Settings) -> None:
    records: list[Any] = []
    for path in sorted(settings.data_dir.rglob("*.yaml")):
        records.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    unquoted = [
        c
        for c in _walk(records)
        if c.get("document") == "doc/meti-action-plan-2024"
        and not c.get("quote")
        and c.get("locator") != "the document itself"
    ]
    assert unquoted == []
