"""The embedded store's search index: SQLite (the standard library's ``sqlite3``) beside
the Oxigraph store.

One row per entity (IRI, asserted classes, relation count, normalised names and
acronyms, ``eskg.search_text``) and two ways to find candidates:

* an FTS5 table with the ``trigram`` tokenizer over every name and acronym: a query of
  three characters or more is a phrase of trigrams, which finds every name holding it;
* for queries of one or two characters, which no trigram can match, a table of the
  one- and two-character strings that start where a match may start (every Japanese
  character, the first character of every other word), keyed by the string.

Both return a superset of the matches; ``search_text.rank`` decides. The index is built
from a store's data by ``build`` (in memory, or into a new file that replaces the old one
only once it is complete), so the caller swaps it in with the data it was built from.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from eskg.ontology import Ontology
from eskg.search_text import Candidate, is_word, names_of, normalise

#: Bumped when the tables change: an index file of another version is rebuilt.
VERSION = 1

_SCHEMA = f"""
PRAGMA user_version = {VERSION};
CREATE TABLE entity (
  id INTEGER PRIMARY KEY, iri TEXT NOT NULL, classes TEXT NOT NULL,
  relations INTEGER NOT NULL, names TEXT NOT NULL, acronyms TEXT NOT NULL
);
CREATE VIRTUAL TABLE fts USING fts5(name, entity UNINDEXED, tokenize = 'trigram');
CREATE TABLE short (gram TEXT NOT NULL, entity INTEGER NOT NULL,
                    PRIMARY KEY (gram, entity)) WITHOUT ROWID;
"""

_SELECT = "SELECT iri, classes, relations, names, acronyms FROM entity WHERE id IN "
_BY_TRIGRAM = _SELECT + "(SELECT entity FROM fts WHERE fts MATCH ?)"
_BY_SHORT = _SELECT + "(SELECT entity FROM short WHERE gram = ?)"


def index_path(store_path: Path) -> Path:
    """Where the index of an on-disk store lives: a file beside its folder."""
    return store_path.with_name(store_path.name + ".search.sqlite")


def short_grams(name: str) -> Iterator[str]:
    """The one- and two-character strings of a name where a match may start."""
    for i, ch in enumerate(name):
        if ch == " " or (i and is_word(ch) and is_word(name[i - 1])):
            continue
        yield ch
        if i + 1 < len(name) and name[i + 1] != " ":
            yield name[i : i + 2]


class SearchIndex:
    """An open index; ``candidates`` may be called from any thread."""

    def __init__(self, conn: sqlite3.Connection, pending: Path | None = None) -> None:
        self._conn = conn
        self._lock = threading.Lock()
        #: A built file not yet in its place (``install``).
        self.pending = pending

    def install(self, path: Path) -> None:
        """Put a file built by ``build`` where ``open`` finds it (an atomic rename; this
        connection keeps reading it)."""
        if self.pending is not None:
            os.replace(self.pending, path)
            self.pending = None

    @classmethod
    def open(cls, path: Path) -> SearchIndex | None:
        """The index file at ``path``, or None if it is missing or of another version."""
        if not path.exists():
            return None
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        if conn.execute("PRAGMA user_version").fetchone()[0] != VERSION:
            conn.close()
            return None
        return cls(conn)

    def candidates(self, query: str) -> list[Candidate]:
        """Every entity whose names may match the normalised ``query``, and maybe more."""
        if not query:
            return []
        if len(query) < 3:
            statement, arg = _BY_SHORT, query
        else:
            statement, arg = _BY_TRIGRAM, '"' + query.replace('"', '""') + '"'
        with self._lock:
            rows = self._conn.execute(statement, (arg,)).fetchall()
        return [
            Candidate(
                iri,
                tuple(names.split("\n")),
                tuple(acronyms.split("\n")) if acronyms else (),
                tuple(classes.split(" ")) if classes else (),
                relations,
            )
            for iri, classes, relations, names, acronyms in rows
        ]

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM entity").fetchone()[0])


def build(store: ox.Store, onto: Ontology, sparql: str, path: Path | None) -> SearchIndex:
    """The index of what ``store`` holds, from the rows of ``sparql`` (``search_labels.rq``:
    each labelled entity's labels, classes and relation count). In memory, or with a
    ``path`` into a new file beside it, which ``SearchIndex.install`` puts in its place."""
    labels: dict[str, list[str]] = defaultdict(list)
    classes: dict[str, set[str]] = defaultdict(set)
    relations: dict[str, int] = {}
    result = store.query(sparql, use_default_graph_as_union=False)
    for row in result:  # type: ignore[union-attr]
        iri = row["iri"].value
        labels[iri].append(row["label"].value)
        if row["class"] is not None:
            found = onto.class_by_iri(row["class"].value)
            if found is not None:
                classes[iri].add(found.name)
        if row["relations"] is not None:
            relations[iri] = int(row["relations"].value)
    fresh = None if path is None else path.with_name(f"{path.name}.new-{os.getpid()}")
    if fresh is not None and fresh.exists():
        fresh.unlink()
    conn = sqlite3.connect(":memory:" if fresh is None else str(fresh), check_same_thread=False)
    try:
        conn.executescript(_SCHEMA)
        ents: list[tuple[int, str, str, int, str, str]] = []
        names_rows: list[tuple[str, int]] = []
        short_rows: list[tuple[str, int]] = []
        for n, iri in enumerate(sorted(labels), 1):
            names, acronyms = names_of(labels[iri])
            if not names:
                continue
            ents.append(
                (
                    n,
                    iri,
                    " ".join(sorted(classes[iri])),
                    relations.get(iri, 0),
                    "\n".join(names),
                    "\n".join(acronyms),
                )
            )
            grams: set[str] = set()
            for name in (*names, *acronyms):
                names_rows.append((name, n))
                grams.update(short_grams(name))
            short_rows.extend((g, n) for g in grams)
        conn.executemany("INSERT INTO entity VALUES (?, ?, ?, ?, ?, ?)", ents)
        conn.executemany("INSERT INTO fts (name, entity) VALUES (?, ?)", names_rows)
        conn.executemany("INSERT INTO short VALUES (?, ?)", short_rows)
        conn.commit()
    except BaseException:
        conn.close()
        if fresh is not None and fresh.exists():
            fresh.unlink()
        raise
    return SearchIndex(conn, fresh)


__all__ = ["SearchIndex", "build", "index_path", "normalise", "short_grams"]
