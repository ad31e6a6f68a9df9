"""Fair sharing of the server between clients: expensive requests take turns.

A GraphQL request whose computed cost (``api/cost.py``) is above
``ESKG_GRAPHQL_EXPENSIVE_COST`` runs only with a slot: at most
``ESKG_EXPENSIVE_PER_CLIENT`` at a time per client address and
``ESKG_EXPENSIVE_CONCURRENCY`` at a time in the process. The others wait for one, until
their request's deadline (``ESKG_REQUEST_TIMEOUT``: then 503). Cheaper requests never
take a slot, so they never wait behind expensive ones: one client's bombs queue behind
each other, and all clients' bombs together hold at most the global count of threads.

The address is the ASGI client's (uvicorn's ``--proxy-headers`` with
``--forwarded-allow-ips`` makes it the one a trusted proxy forwards).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class Fairness:
    """The per-address and global semaphores of expensive requests (one event loop)."""

    def __init__(self, per_client: int, overall: int) -> None:
        self.per_client = per_client
        self.overall = asyncio.Semaphore(overall)
        #: address -> (its semaphore, requests holding or waiting for it)
        self.clients: dict[str, tuple[asyncio.Semaphore, int]] = {}

    @asynccontextmanager
    async def slot(self, client: str) -> AsyncIterator[None]:
        """Hold a slot of ``client`` and one of the process while the block runs."""
        own, users = self.clients.get(client) or (asyncio.Semaphore(self.per_client), 0)
        self.clients[client] = (own, users + 1)
        try:
            async with own, self.overall:
                yield
        finally:
            own, users = self.clients[client]
            if users <= 1:
                del self.clients[client]  # no state is kept for addresses gone quiet
            else:
                self.clients[client] = (own, users - 1)

    def waiting(self) -> int:
        """Expensive requests holding or waiting for a slot (for tests and logs)."""
        return sum(users for _, users in self.clients.values())
