"""Checks on the text clients send, shared by the GraphQL fields."""

from __future__ import annotations

from eskg.errors import InvalidInputError


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
