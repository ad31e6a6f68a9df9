"""Counters of this process, written in the Prometheus text format for ``GET /metrics``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Fallbacks:
    """Requests of this process the compiled executor began and handed to strawberry
    because it raised: one object per app, shared by its middleware and ``/metrics``."""

    total: int = 0

    def metrics(self) -> str:
        """The counter in the Prometheus text format."""
        return (
            "# HELP eskg_graphql_fallbacks_total GraphQL requests the compiled executor "
            "failed on and strawberry answered.\n"
            "# TYPE eskg_graphql_fallbacks_total counter\n"
            f"eskg_graphql_fallbacks_total {self.total}\n"
        )
