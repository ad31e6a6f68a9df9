"""Checks on the text clients send, shared by the GraphQL fields."""

from __future__ import annotations

from collections.abc import Collection

from eskg.errors import InvalidInputError, QueryLimitError
from eskg.search_text import bounded


def valid_text(value: str, what: str) -> str:
    """The text itself, or InvalidInputError when it is not valid Unicode.

    JSON lets a client send a lone UTF-16 surrogate ("\\ud800"), which no store can
    encode; it is refused here with a message instead of failing deep in a driver.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInputError(
            f"{what} is not valid Unicode (it holds a lone surrogate)"
        ) from None
    return value


def to_iri(value: str, base: str) -> str:
    """An IRI from an id as written in the data or a full IRI."""
    value = valid_text(value, "the id").strip()
    return value if value.startswith(("http://", "https://")) else f"{base}{value}"


def search_limit(
    text: str, types: list[str] | None, limit: int | None, known: Collection[str], page: int
) -> int:
    """The limit of a search (20 if not given), after refusing an empty, invalid or too
    long text (``search_text.MAX_TEXT``), an unknown type or a limit outside 1..``page``."""
    limit = 20 if limit is None else limit
    if not 1 <= limit <= page:
        raise QueryLimitError(f"limit must be between 1 and {page}")
    if not bounded(valid_text(text, "text")).strip():
        raise InvalidInputError("text must not be empty")
    for t in types or []:
        if t not in known:
            raise InvalidInputError(f"unknown type {t!r}; known: {', '.join(sorted(known))}")
    return limit
