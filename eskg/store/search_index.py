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
The file also holds the data's list bounds (``eskg.bounds``), counted by the same load:
they are replaced with the data as the index is. A file written before they were kept
has no ``bounds`` table (``SearchIndex.bounds`` is None then).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from eskg.bounds import DataBounds
from eskg.ontology import Ontology
from eskg.search_text import Candidate, is_word, names_of, normalise, order_key, rank_ordered

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
CREATE TABLE nm (name TEXT NOT NULL, entity INTEGER NOT NULL,
                 PRIMARY KEY (name, entity)) WITHOUT ROWID;
CREATE TABLE bounds (prop TEXT NOT NULL, direction TEXT NOT NULL, most INTEGER NOT NULL,
                     PRIMARY KEY (prop, direction)) WITHOUT ROWID;
"""
#: The ``bounds`` row of the most relations one entity has (both directions).
_DEGREE = ("", "")

# Entity ids follow ``search_text.order_key`` (assigned at build), and each way in below
# returns its rows in id order, so ``rank_ordered`` can stop once the answer is full.
_ROW = "e.iri, e.classes, e.relations, e.names, e.acronyms"
_EXACT = (
    f"SELECT {_ROW} FROM nm JOIN entity e ON e.id = nm.entity WHERE nm.name = ? ORDER BY nm.entity"
)
_PREFIX = (
    f"SELECT {_ROW} FROM (SELECT DISTINCT entity FROM nm WHERE name >= ? AND name < ?"
    " ORDER BY entity) AS p JOIN entity e ON e.id = p.entity ORDER BY p.entity"
)
_BY_TRIGRAM = (
    f"SELECT {_ROW} FROM fts JOIN entity e ON e.id = fts.entity WHERE fts MATCH ?"
    " ORDER BY fts.rowid"
)
_BY_SHORT = (
    f"SELECT {_ROW} FROM short JOIN entity e ON e.id = short.entity WHERE short.gram = ?"
    " ORDER BY short.entity"
)
_ALL = f"SELECT {_ROW} FROM entity e"
_PREFIX_COUNT = "SELECT count(*) FROM (SELECT 1 FROM nm WHERE name >= ? AND name < ? LIMIT ?)"
#: Above this many names with the prefix, sorting them all costs more than reading the
#: substring candidates (which hold every prefix match, in id order) until the answer is
#: full: with that many, prefix matches are frequent among them.
PREFIX_SORTED = 2000


def _candidate(row: tuple[str, str, int, str, str]) -> Candidate:
    iri, classes, relations, names, acronyms = row
    return Candidate(
        iri,
        tuple(names.split("\n")),
        tuple(acronyms.split("\n")) if acronyms else (),
        tuple(classes.split(" ")) if classes else (),
        relations,
    )


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

    def _stream(self, statement: str, *args: str) -> Iterator[Candidate]:
        for row in self._conn.execute(statement, args):
            yield _candidate(row)

    def search(self, onto: Ontology, text: str, types: list[str] | None, limit: int) -> list[str]:
        """``search_text.rank_ordered`` over this index's candidates for ``text``."""
        query = normalise(text)
        if not query:
            return []
        if len(query) < 3:
            substring = (_BY_SHORT, query)
        else:
            substring = (_BY_TRIGRAM, '"' + query.replace('"', '""') + '"')
        end = query + "\U0010ffff"
        with self._lock:
            many = self._conn.execute(_PREFIX_COUNT, (query, end, PREFIX_SORTED)).fetchone()[0]
            prefix = (
                self._stream(*substring)
                if many >= PREFIX_SORTED
                else self._stream(_PREFIX, query, end)
            )
            return rank_ordered(
                onto,
                text,
                [self._stream(_EXACT, query), prefix, self._stream(*substring)],
                types,
                limit,
            )

    def bounds(self) -> DataBounds | None:
        """The list bounds stored with the data, or None for a file written before they
        were (no ``bounds`` table)."""
        with self._lock:
            try:
                rows = self._conn.execute("SELECT prop, direction, most FROM bounds").fetchall()
            except sqlite3.OperationalError:  # no such table: an index of an older version
                return None
        links = {(p, d): int(n) for p, d, n in rows if (p, d) != _DEGREE}
        degree = next((int(n) for p, d, n in rows if (p, d) == _DEGREE), 0)
        return DataBounds(degree, links)

    def candidates(self) -> list[Candidate]:
        """Every entity indexed (for tests)."""
        with self._lock:
            return [_candidate(r) for r in self._conn.execute(_ALL)]

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM entity").fetchone()[0])


def build(
    store: ox.Store, onto: Ontology, sparql: str, path: Path | None, bounds: DataBounds
) -> SearchIndex:
    """The index of what ``store`` holds, from the rows of ``sparql`` (``search_labels.rq``:
    each labelled entity's labels, classes and relation count), with the data's
    ``bounds``. In memory, or with a ``path`` into a new file beside it, which
    ``SearchIndex.install`` puts in its place."""
    labels: dict[str, list[str]] = defaultdict(list)
    classes: dict[str, set[str]] = defaultdict(set)
    relations: dict[str, int] = {}
    result = store.query(sparql, use_default_graph_as_union=False)
    for row in result:  # type: ignore[union-attr]
        iri = row["iri"].value
        labels[iri].append(row["label"].value)
        if row["class"] is not None:
            cls = onto.class_by_iri(row["class"].value)
            if cls is not None:
                classes[iri].add(cls.name)
        if row["relations"] is not None:
            relations[iri] = int(row["relations"].value)
    found = []
    for iri, texts in labels.items():
        names, acronyms = names_of(texts)
        if names:
            found.append(
                Candidate(
                    iri,
                    tuple(names),
                    tuple(acronyms),
                    tuple(sorted(classes[iri])),
                    relations.get(iri, 0),
                )
            )
    found.sort(key=lambda c: order_key(onto, c))
    fresh = None if path is None else path.with_name(f"{path.name}.new-{os.getpid()}")
    if fresh is not None and fresh.exists():
        fresh.unlink()
    conn = sqlite3.connect(":memory:" if fresh is None else str(fresh), check_same_thread=False)
    try:
        conn.executescript(_SCHEMA)
        ents: list[tuple[int, str, str, int, str, str]] = []
        names_rows: list[tuple[str, int]] = []
        short_rows: list[tuple[str, int]] = []
        for n, c in enumerate(found, 1):
            ents.append(
                (
                    n,
                    c.iri,
                    " ".join(c.classes),
                    c.relations,
                    "\n".join(c.names),
                    "\n".join(c.acronyms),
                )
            )
            grams: set[str] = set()
            for name in dict.fromkeys((*c.names, *c.acronyms)):
                names_rows.append((name, n))
                grams.update(short_grams(name))
            short_rows.extend((g, n) for g in sorted(grams))
        conn.executemany("INSERT INTO entity VALUES (?, ?, ?, ?, ?, ?)", ents)
        conn.executemany("INSERT INTO fts (name, entity) VALUES (?, ?)", names_rows)
        conn.executemany("INSERT INTO short VALUES (?, ?)", short_rows)
        conn.executemany("INSERT INTO nm VALUES (?, ?)", names_rows)
        conn.executemany(
            "INSERT INTO bounds VALUES (?, ?, ?)",
            [(*_DEGREE, bounds.relations), *((p, d, n) for (p, d), n in bounds.links.items())],
        )
        conn.commit()
    except BaseException:
        conn.close()
        if fresh is not None and fresh.exists():
            fresh.unlink()
        raise
    return SearchIndex(conn, fresh)


__all__ = ["SearchIndex", "build", "index_path", "normalise", "short_grams"]
