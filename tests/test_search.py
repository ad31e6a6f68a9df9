"""Search: normalisation, matching and ranking (``eskg.search_text``), and the embedded
store's index (``eskg.store.search_index``): what it finds over the bundled data, and
that a failed load leaves the old index with the old data. The same answers on Neo4j
are ``tests/test_parity.py::test_search``'s."""

from __future__ import annotations

from pathlib import Path

import pytest

from eskg.ontology import Ontology
from eskg.queries import QueryLibrary, load_library
from eskg.search_text import Candidate, acronym, normalise, rank, tier
from eskg.store import search_index
from eskg.store.embedded import EmbeddedStore
from loaders.pipeline import Built

ID = "https://w3id.org/eskg/id/"


def test_normalise_folds_width_case_and_kana() -> None:
    assert normalise("ＡＢＣ　ｄｅｆ") == "abc def"
    assert normalise("ﾚｱｱｰｽ") == normalise("れああーす") == "レアアース"
    assert normalise("  U.S.-Japan  ") == "u s japan"
    assert normalise("経済・安全") == "経済 安全"
    assert acronym("united kingdom") == "uk" and acronym("英国") is None


@pytest.mark.parametrize(
    ("query", "name", "expected"),
    [
        ("半導体", "半導体", 3),
        ("半導", "半導体", 2),
        ("導体", "半導体", 1),
        ("体", "半導体", 1),
        ("tech", "battery technology 1", 1),
        ("chnology", "battery technology 1", 0),
        ("battery tech", "battery technology 1", 2),
        ("1", "battery technology 10", 1),
        ("ai", "aircraft", 2),
        ("ai", "chair", 0),
        ("ai", "半導体ai", 1),
    ],
)
def test_tier(query: str, name: str, expected: int) -> None:
    assert tier(query, name) == expected


def test_rank_orders_by_tier_class_connectedness_and_iri(onto: Ontology) -> None:
    def c(iri: str, names: tuple[str, ...], classes: tuple[str, ...], rels: int) -> Candidate:
        return Candidate(iri, names, (), classes, rels)

    found = [
        c("e:sub", ("x 半導体",), ("Technology",), 9),
        c("e:pre-few", ("半導体 x",), ("Technology",), 1),
        c("e:pre-many", ("半導体 y",), ("Technology",), 5),
        c("e:pre-specific", ("半導体 z",), ("SpecifiedCriticalMaterial",), 0),
        c("e:exact", ("半導体",), ("Document",), 0),
        c("e:other", ("電池",), ("Technology",), 99),
    ]
    assert rank(onto, "半導体", found, None, 10) == [
        "e:exact",
        "e:pre-specific",
        "e:pre-many",
        "e:pre-few",
        "e:sub",
    ]
    assert rank(onto, "半導体", found, ["Material"], 10) == ["e:pre-specific"]
    assert rank(onto, "半導体", found, None, 2) == ["e:exact", "e:pre-specific"]


@pytest.mark.parametrize(
    ("text", "iri"),
    [
        ("磁石", "material/permanent-magnets"),  # two Japanese characters
        ("永久", "material/permanent-magnets"),
        ("ぱなそにっく", "company/panasonic-energy"),  # hiragana finds katakana
        ("オウ", "person/wang-wentao"),  # katakana finds hiragana
        ("ＥＵ", "group/eu"),  # full-width
        ("ｒａｒｅ", "material/rare-earths"),
        ("semic", "material/semiconductors"),  # English prefix
        ("uk", "country/gb"),  # acronym of "United Kingdom"
        ("産構審", "org/security-export-control-subcommittee"),  # alternative label
        ("NEDO", "org/nedo"),
    ],
)
def test_the_embedded_store_finds(embedded: EmbeddedStore, text: str, iri: str) -> None:
    assert ID + iri in embedded.search(text, None, 20)


def test_search_refuses_an_unknown_class(embedded: EmbeddedStore) -> None:
    from eskg.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="Nonsense"):
        embedded.search("磁石", ["Nonsense"], 5)


def _store(onto: Ontology, queries: QueryLibrary, built: Built, path: Path | None) -> EmbeddedStore:
    store = EmbeddedStore(onto, queries, path)
    store.replace_all(built.compiled.dataset)
    return store


def test_a_failed_load_keeps_the_old_index(onto: Ontology, built: Built) -> None:
    store = _store(onto, load_library(Path("queries")), built, None)
    before, index = store.search("磁石", None, 20), store.index
    with pytest.raises(SyntaxError):
        store.replace_with_nquads(b"<not a quad\n")
    assert store.index is index and store.search("磁石", None, 20) == before


def test_an_index_that_fails_to_build_keeps_the_old_data_and_index(
    onto: Ontology, built: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(onto, load_library(Path("queries")), built, None)
    before, data = store.search("磁石", None, 20), store.store

    def full_disk(*_: object) -> search_index.SearchIndex:
        raise OSError("no space left on device")

    monkeypatch.setattr("eskg.store.embedded.build", full_disk)
    with pytest.raises(OSError):
        store.replace_all(built.compiled.dataset)
    assert store.store is data and store.search("磁石", None, 20) == before


def test_on_disk_the_index_is_a_file_beside_the_store(
    tmp_path: Path, onto: Ontology, built: Built
) -> None:
    queries = load_library(Path("queries"))
    path = tmp_path / "store"
    store = _store(onto, queries, built, path)
    found = store.search("磁石", None, 20)
    assert found and search_index.index_path(path).is_file()
    assert not list(tmp_path.glob("*.new-*"))  # the build's file is renamed into place
    del store
    import gc

    gc.collect()  # Oxigraph's lock on the folder goes with the store
    reopened = EmbeddedStore(onto, queries, path)
    assert reopened.search("磁石", None, 20) == found
    del reopened
    gc.collect()
    search_index.index_path(path).unlink()  # an index gone missing is rebuilt at open
    assert EmbeddedStore(onto, queries, path).search("磁石", None, 20) == found
