"""What a search matches and how its answers are ranked, the same on every store.

Both stores keep an index of the *normalised* names of each entity (its Japanese and
English ``prefLabel`` and ``altLabel``, and the acronym of each English name of two or
more words) and ask it for candidates: every entity that may match, perhaps a few more.
``rank`` then decides, from the candidates' names, classes and relation counts, which
match and in what order, so the two stores answer alike whatever their index returns
beyond the true matches.

Normalisation (``normalise``): NFKC (full-width letters and digits become ASCII,
half-width katakana full-width), case folded, hiragana folded onto katakana, and every
character that is neither a letter, a digit nor Japanese becomes a space (runs of spaces
one). A query matches a name when, both normalised,

* they are equal (exact, tier 3),
* the name starts with the query (prefix, tier 2),
* the query occurs inside the name (substring, tier 1): anywhere when the query starts
  with a Japanese character (Japanese substrings of any length, one character included),
  at the start of a word otherwise (``tech`` finds ``battery technology``, ``chnology``
  does not), or
* the name is an acronym and equals the query (tier 2, as a prefix).

An entity's tier is its best name's. Answers are ordered by tier, then by class (the
more specific its most specific class, by the length of its ontology ancestry, the
earlier), then by connectedness (more relations first), then by IRI.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from eskg.errors import InvalidInputError
from eskg.ontology import Ontology

#: Longest search text taken (characters). The longest label in the data has 212; a
#: text of 100,000 characters became one Lucene phrase or prefix term that ran Neo4j out
#: of heap (OutOfMemoryError: its Bolt server stopped answering everyone).
MAX_TEXT = 1000


def bounded(text: str) -> str:
    """The text itself, or InvalidInputError when it is longer than ``MAX_TEXT``."""
    if len(text) > MAX_TEXT:
        raise InvalidInputError(
            f"the search text has {len(text)} characters; search with at most {MAX_TEXT} "
            "(no name in the data is longer than a few hundred)"
        )
    return text


#: Tiers of a match (0: no match).
EXACT, PREFIX, SUBSTRING = 3, 2, 1

_HIRAGANA = range(0x3041, 0x3097)  # ぁ..ゖ, katakana at +0x60
_ITERATION = {0x309D: 0x30FD, 0x309E: 0x30FE}  # ゝゞ -> ヽヾ
_FOLD = {cp: cp + 0x60 for cp in _HIRAGANA} | _ITERATION


def is_japanese(ch: str) -> bool:
    """Kana, CJK ideographs and the marks that belong to them (々, ー)."""
    cp = ord(ch)
    return (
        0x3040 <= cp <= 0x30FF  # hiragana, katakana (ー among them)
        or 0x3005 <= cp <= 0x3007  # 々 〆 〇
        or 0x31F0 <= cp <= 0x31FF  # katakana phonetic extensions
        or 0x3400 <= cp <= 0x4DBF
        or 0x4E00 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x3FFFF
    )


def is_word(ch: str) -> bool:
    """A letter or digit of a non-Japanese word (where a word-start match may start)."""
    return ch.isalnum() and not is_japanese(ch)


def normalise(text: str) -> str:
    """NFKC, case fold, kana fold, separators to single spaces (module docstring)."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_FOLD)
    out = "".join(ch if ch.isalnum() or is_japanese(ch) else " " for ch in folded)
    # the middle dot and the long vowel mark: ・ is a separator, ー a letter of its word
    return " ".join(out.replace("\u30fb", " ").split())


def acronym(name: str) -> str | None:
    """The initials of a normalised non-Japanese name of two or more words."""
    words = name.split()
    if len(words) < 2 or not all(is_word(w[0]) for w in words):
        return None
    return "".join(w[0] for w in words)


def names_of(labels: Iterable[str]) -> tuple[list[str], list[str]]:
    """Normalised names and acronyms of an entity's labels (each once, sorted)."""
    names = sorted({n for n in (normalise(x) for x in labels) if n})
    acronyms = sorted({a for a in map(acronym, names) if a} - set(names))
    return names, acronyms


def tier(query: str, name: str) -> int:
    """How a normalised query matches a normalised name (module docstring)."""
    if not query:
        return 0
    if name == query:
        return EXACT
    if name.startswith(query):
        return PREFIX
    anywhere = not is_word(query[0])
    start = name.find(query, 1)
    while start > 0:
        if anywhere or not is_word(name[start - 1]):
            return SUBSTRING
        start = name.find(query, start + 1)
    return 0


def best_tier(query: str, names: Iterable[str], acronyms: Iterable[str] = ()) -> int:
    """An entity's tier: its best name's, an acronym equal to the query as a prefix."""
    best = max((tier(query, n) for n in names), default=0)
    if best < PREFIX and query in acronyms:
        best = PREFIX
    return best


@dataclass(frozen=True)
class Candidate:
    """An entity an index found: its normalised names and acronyms, classes (the
    asserted ones, or with their ancestors: the rank is the same) and relation count."""

    iri: str
    names: tuple[str, ...]
    acronyms: tuple[str, ...]
    classes: tuple[str, ...]
    relations: int


def specificity(onto: Ontology, classes: Iterable[str]) -> int:
    """The length of the longest ontology ancestry among the classes (unknown: 0)."""
    return max((len(onto.ancestors(c)) for c in classes if c in onto.classes), default=0)


def order_key(onto: Ontology, c: Candidate) -> tuple[int, int, str]:
    """The order within a tier: more specific class first, then more relations, then IRI."""
    return (-specificity(onto, c.classes), -c.relations, c.iri)


def _kinds(onto: Ontology, types: Sequence[str] | None) -> Callable[[Candidate], bool]:
    wanted = set(types or ())

    def ok(c: Candidate) -> bool:
        return not wanted or bool(
            wanted & {a for k in c.classes if k in onto.classes for a in onto.ancestors(k)}
        )

    return ok


def rank(
    onto: Ontology,
    text: str,
    candidates: Iterable[Candidate],
    types: Sequence[str] | None,
    limit: int,
) -> list[str]:
    """The IRIs of the candidates that match ``text`` (of a class among ``types`` or
    below one, when given), best first, at most ``limit``."""
    query, ok = normalise(text), _kinds(onto, types)
    keyed: dict[str, tuple[int, tuple[int, int, str]]] = {}
    for c in candidates:
        if c.iri in keyed:
            continue
        t = best_tier(query, c.names, c.acronyms)
        if t and ok(c):
            keyed[c.iri] = (-t, order_key(onto, c))
    return [key[1][2] for key in sorted(keyed.values())[:limit]]


def rank_ordered(
    onto: Ontology,
    text: str,
    streams: Sequence[Iterable[Candidate]],
    types: Sequence[str] | None,
    limit: int,
) -> list[str]:
    """``rank`` over candidates an index hands over in ``order_key`` order, in three
    streams: one holding every exact match, one every prefix match, one every substring
    match (each may hold other candidates too). Each stream is read only until the
    answer is full, so a frequent term costs no more than the answers it returns; the
    answer is ``rank``'s over all of them."""
    query, ok = normalise(text), _kinds(onto, types)
    out: list[str] = []
    seen: set[str] = set()
    for wanted, stream in zip((EXACT, PREFIX, SUBSTRING), streams, strict=True):
        for c in stream:
            if len(out) >= limit:
                return out
            if c.iri in seen or best_tier(query, c.names, c.acronyms) != wanted or not ok(c):
                continue
            seen.add(c.iri)
            out.append(c.iri)
    return out[:limit]


def runs(query: str) -> list[str]:
    """A normalised text's runs: maximal stretches of Japanese characters, or of word
    characters (letters and digits of other scripts), in order."""
    out: list[str] = []
    current, japanese = "", False
    for ch in query:
        if ch == " ":
            if current:
                out.append(current)
            current = ""
            continue
        jp = is_japanese(ch)
        if current and jp != japanese:
            out.append(current)
            current = ""
        current += ch
        japanese = jp
    if current:
        out.append(current)
    return out
