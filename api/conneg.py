"""The one content negotiator of the API: which of the media types a route can write
best fits a request's ``Accept`` header.

Every route that answers in more than one format (``/sparql``, ``/id/...``, ``/ontology``,
``/.well-known/void``, ``/dumps/``) calls ``choose`` with the media types it offers, the
first being its default; ``parse_accept`` is the header reader behind it. A route that
also takes a ``format=`` parameter resolves that name to a media type itself and skips
negotiation (a client that asked by name gets that format whatever its ``Accept``).
"""

from __future__ import annotations

from dataclasses import dataclass

from eskg.errors import NotAcceptableError

__all__ = ["NotAcceptableError", "Range", "choose", "parse_accept"]


@dataclass(frozen=True)
class Range:
    """One media range of an Accept header."""

    media: str
    q: float
    specificity: int  # 0 for */*, 1 for type/*, 2 for a full type


def parse_accept(header: str | None) -> list[Range]:
    """Media ranges of an Accept header, best first (by q, then specificity, then order);
    an empty or missing header accepts anything."""
    if not header or not header.strip():
        return [Range("*/*", 1.0, 0)]
    ranges: list[tuple[float, int, int, str]] = []
    for index, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        if "/" not in media:
            media = "*/*" if media == "*" else media
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append((q, specificity, -index, media))
    ranges.sort(reverse=True)
    return [Range(media, q, spec) for q, spec, _, media in ranges]


def _covers(media: str, offer: str) -> bool:
    return media in ("*/*", offer) or (media.endswith("/*") and offer.startswith(media[:-1]))


def choose(header: str | None, offers: list[str], what: str = "this resource") -> str:
    """The offer the client prefers, or ``NotAcceptableError`` naming what can be sent.

    Each offer gets the q of the most specific range that covers it (RFC 9110 §12.5.1),
    so ``text/turtle;q=0, */*`` refuses Turtle; among equal q the more specific range
    wins, then the client's order, then the order of ``offers`` (its first is the default
    for ``*/*``).
    """
    ranges = parse_accept(header)
    best: tuple[float, int, int, int] | None = None
    chosen: str | None = None
    for offer_rank, offer in enumerate(offers):
        matching = [(r.specificity, i, r) for i, r in enumerate(ranges) if _covers(r.media, offer)]
        if not matching:
            continue
        specificity, index, rng = max(matching, key=lambda m: (m[0], -m[1]))
        if rng.q <= 0:
            continue
        key = (rng.q, specificity, -index, -offer_rank)
        if best is None or key > best:
            best, chosen = key, offer
    if chosen is None:
        raise NotAcceptableError(
            f"cannot answer {what} in any type of Accept: {header!r}; "
            f"supported types: {', '.join(dict.fromkeys(offers))}"
        )
    return chosen


def prefers(header: str | None, media: str, over: list[str]) -> bool:
    """Whether ``media`` (say ``text/html``) is the client's pick among itself and ``over``."""
    try:
        return choose(header, [*over, media]) == media
    except NotAcceptableError:
        return False
