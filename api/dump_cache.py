"""The export behind ``/dumps/`` and ``/.well-known/void``, made at most every
``ESKG_DUMPS_CACHE_SECONDS`` and rebased to the address each request came to."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from typing import Any

from rdflib import URIRef

from eskg.config import Settings
from eskg.describe import public_address
from eskg.export import Dump, export_store
from eskg.store.base import Store

#: Addresses a dump is kept rebased to at once (localhost, the LAN name: a few at most).
MAX_REBASED = 8


class DumpCache:
    """The current export of one app's store (one object per app, used from worker
    threads: every method holds the lock)."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._lock = threading.Lock()
        self._made: tuple[float, Dump] | None = None
        self._rebased: dict[str, Dump] = {}

    def current(self, base: str | None = None) -> Dump:
        """The export of the store, made again when older than the cache time, with its
        description naming /sparql and /dumps/ under ``base`` (the address the request
        came to) unless ``ESKG_PUBLIC_URL`` is set."""
        settings = self.settings
        with self._lock:
            made = self._made
            if not (made and time.monotonic() - made[0] < settings.dumps_cache_seconds):
                made = (time.monotonic(), export_store(self.store, settings))
                self._made = made
                self._rebased = {}
            dump = made[1]
            if base is None or settings.public_url:
                return dump
            rebased = self._rebased
            if base not in rebased:
                if len(rebased) > MAX_REBASED:
                    rebased.clear()
                rebased[base] = rebase(dump, public_address(settings), base)
            return rebased[base]


def rebase(dump: Dump, old: str, new: str) -> Dump:
    """The dump with the description's addresses under ``old`` moved under ``new``."""
    if old == new:
        return dump

    def move(term: Any) -> Any:
        text = str(term)
        if isinstance(term, URIRef) and (text == old or text.startswith(old + "/")):
            return URIRef(new + text[len(old) :])
        return term

    description = [(move(s), p, move(o)) for s, p, o in dump.description]
    return replace(dump, description=description, _cache={})
