"""Search on Neo4j: two full-text (Lucene) indexes over each entity's normalised names.

The loader writes ``searchNames`` and ``searchAcronyms`` on every entity node
(``search_properties``: the names ``eskg.search_text`` normalises, one a line) and the
schema makes two full-text indexes over them (``INDEXES``), updated in the load's
transaction like any index (not eventually consistent), so a failed load leaves the old
entries:

* ``JA_INDEX``, analyzer ``cjk`` (Lucene's CJKAnalyzer: bigrams of adjacent Han, hiragana
  and katakana characters, plus width folding). A Japanese text has no spaces between
  words, so a dictionary tokenizer (Kuromoji, which Neo4j does not ship) would miss the
  substrings that cross its word boundaries; bigrams find any substring of two or more
  characters as a phrase of its bigrams, and one character as the terms that start or
  end with it. Japanese runs of a query are asked here.
* ``EN_INDEX``, analyzer ``standard-no-stop-words`` (Unicode word tokens, lower-cased):
  ``cjk`` drops English stop words (``of``, ``and``, ``a``...), so "Ministry of" would
  find nothing; a query without Japanese is asked here, its words as terms and the last
  one as a prefix.

Both give a superset of the matches (the names are normalised before they are indexed,
separators are spaces, so the analyzers' tokens are the runs ``search_text.runs``
sees); ``search_text.rank`` decides, as on the embedded store.

A frequent term has thousands of candidates (at 1M quads ``技術`` 6,990, ``batt`` 2,304),
and sending every one to Python cost 80-300 ms: the statement
(``queries/search_labels.cypher``) ranks them in Neo4j instead and returns only the
best ``take``. It orders by the tier (exact and prefix decided exactly, as
``search_text.best_tier`` does; any other candidate holding the text as a substring
counts as a substring match) and then by ``search_text.order_key``: the specificity of
its classes from a map the store sends (``specificities``, from the ontology it serves
with), and its relation count from ``searchRelations``, which the load counts in Neo4j
once the graph is written (``COUNT_RELATIONS``; a node without it, from a load before
this key existed, is counted when searched). ``search_text.rank`` then decides over those
rows; when it keeps fewer than the limit and the statement returned ``take`` rows (a
candidate that holds the text, though not at a word start, took a place), the search
asks again for every candidate (``neo4j.Neo4jStore.search``).
"""

from __future__ import annotations

from typing import Any

from eskg.ontology import RESOURCE_LABEL, Ontology
from eskg.search_text import is_japanese, names_of, runs, specificity
from eskg.store.neo4j_codec import key_for
from eskg.vocab import ALT_LABEL, LABEL

JA_INDEX = "resource_search_ja"
EN_INDEX = "resource_search_en"
NAMES, ACRONYMS = "searchNames", "searchAcronyms"
RELATIONS = "searchRelations"
#: The node properties search writes (none is data: the export skips them).
PROPERTIES = (NAMES, ACRONYMS, RELATIONS)

#: The indexes, ``(name, analyzer, properties)``. Neo4j takes two full-text indexes on the
#: same label and properties for one and makes only the first, so the Japanese one leaves
#: out the acronyms (which are never Japanese).
INDEXES = (
    (JA_INDEX, "cjk", (NAMES,)),
    (EN_INDEX, "standard-no-stop-words", (NAMES, ACRONYMS)),
)

SCHEMA = [
    f"CREATE FULLTEXT INDEX {name} IF NOT EXISTS FOR (n:{RESOURCE_LABEL}) "
    f"ON EACH [{', '.join(f'n.{p}' for p in props)}] "
    f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{analyzer}', "
    "`fulltext.eventually_consistent`: false}}"
    for name, analyzer, props in INDEXES
]

#: The label properties searched: Japanese and English ``prefLabel`` and ``altLabel``.
LABELS = ((LABEL, "ja"), (LABEL, "en"), (ALT_LABEL, "ja"), (ALT_LABEL, "en"))


#: The load's last step, once the graph is written: each searchable entity's relation
#: count, as ``COUNT`` counts it when a node has none (``queries/search_labels.cypher``).
#: In the transaction of a load over an existing graph; after a first load, whose
#: units commit apart, in committed batches (``RELATIONS_BATCHED``).
COUNT_RELATIONS = (
    f"MATCH (n:{RESOURCE_LABEL}) WHERE n.{NAMES} IS NOT NULL "
    f"SET n.{RELATIONS} = COUNT {{ (n)-[r]-(:{RESOURCE_LABEL}) WHERE r.graph IS NOT NULL }}"
)
RELATIONS_BATCHED = (
    f"MATCH (n:{RESOURCE_LABEL}) WHERE n.{NAMES} IS NOT NULL "
    "CALL (n) { "
    f"SET n.{RELATIONS} = COUNT {{ (n)-[r]-(:{RESOURCE_LABEL}) WHERE r.graph IS NOT NULL }} "
    "} IN TRANSACTIONS OF 10000 ROWS"
)


def search_properties(onto: Ontology, props: dict[str, Any]) -> dict[str, str]:
    """The search properties of a node with these (label) properties; none without
    labels. (Its relation count is written once the graph is, ``COUNT_RELATIONS``.)"""
    labels: list[str] = []
    for name, lang in LABELS:
        value = props.get(key_for(onto.properties[name], lang))
        if isinstance(value, list):
            labels.extend(str(v) for v in value)
        elif value is not None:
            labels.append(str(value))
    names, acronyms = names_of(labels)
    if not names:
        return {}
    return {NAMES: "\n".join(names), ACRONYMS: "\n".join(acronyms)}


def specificities(onto: Ontology) -> dict[str, int]:
    """Each class's ``search_text.specificity`` (the statement's ``$specificity``)."""
    return {name: specificity(onto, (name,)) for name in onto.classes}


def lucene(query: str) -> tuple[str, str] | None:
    """The index and Lucene query that find every candidate of a normalised query
    (None: nothing can match)."""
    parts = runs(query)
    if not parts:
        return None
    japanese = [r for r in parts if is_japanese(r[0])]
    if japanese:
        longer = [r for r in japanese if len(r) > 1]
        if longer:  # every Japanese run of two or more characters, as a phrase
            return JA_INDEX, " AND ".join(f'"{r}"' for r in longer)
        c = japanese[0]  # one character: the bigrams (or lone unigram) holding it
        return JA_INDEX, f"{c}* OR *{c}"
    return EN_INDEX, " AND ".join([*parts[:-1], parts[-1] + "*"])
