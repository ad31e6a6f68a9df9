"""What routes are given: the app's services as FastAPI ``Annotated`` dependencies.

``create_app`` makes one frozen ``Services`` and puts it on the app (``install``); a route
names what it needs as a parameter (``settings: SettingsDep``, ``store: StoreDep``) and
FastAPI hands it over. This is the only module that reads the app's state, so what a
route depends on is in its signature, and a test can build a route's inputs without an
app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, FastAPI, Request

from api.addresses import public_base
from api.context import Context
from api.dump_cache import DumpCache
from api.limits import Limits
from api.metrics import Fallbacks
from eskg.config import Settings
from eskg.store.base import Store
from eskg.store.embedded import EmbeddedStore


@dataclass(frozen=True)
class Services:
    """Everything one app shares between its requests, made once by ``create_app``."""

    #: the settings the app was made with
    settings: Settings
    #: the store GraphQL, ``/id/``, ``/reconcile`` and the dumps answer from
    store: Store
    #: the embedded store ``/sparql`` and statement graphs answer from: the active store
    #: when it is embedded, a read-only copy of the same data beside Neo4j, or None
    #: (Neo4j given by a caller without one: SPARQL says how to get one)
    embedded: EmbeddedStore | None
    #: the cost limit and fair sharing of both GraphQL executors
    limits: Limits
    #: compiled GraphQL requests strawberry answered after an exception (``/metrics``)
    fallbacks: Fallbacks
    #: the export behind the dumps and the dataset description
    dumps: DumpCache


def install(app: FastAPI, services: Services) -> None:
    """Give ``app``'s routes ``services`` (once, in ``create_app``)."""
    app.state.services = services


def services_of(app: object) -> Services:
    """The services of an app made by ``create_app`` (tests reach them this way)."""
    found: Services | None = getattr(getattr(app, "state", None), "services", None)
    if found is None:
        raise LookupError(f"{app!r} was not made by api.app.create_app: it has no services")
    return found


def _services(request: Request) -> Services:
    return services_of(request.app)


ServicesDep = Annotated[Services, Depends(_services)]


def _settings(services: ServicesDep) -> Settings:
    return services.settings


def _store(services: ServicesDep) -> Store:
    return services.store


def _embedded(services: ServicesDep) -> EmbeddedStore | None:
    return services.embedded


def _limits(services: ServicesDep) -> Limits:
    return services.limits


def _fallbacks(services: ServicesDep) -> Fallbacks:
    return services.fallbacks


def _dumps(services: ServicesDep) -> DumpCache:
    return services.dumps


SettingsDep = Annotated[Settings, Depends(_settings)]
StoreDep = Annotated[Store, Depends(_store)]
EmbeddedDep = Annotated[EmbeddedStore | None, Depends(_embedded)]
LimitsDep = Annotated[Limits, Depends(_limits)]
FallbacksDep = Annotated[Fallbacks, Depends(_fallbacks)]
DumpsDep = Annotated[DumpCache, Depends(_dumps)]


def _public_base(settings: SettingsDep, request: Request) -> str:
    return public_base(settings, request)


#: The address the API is reached at, without a trailing slash (``api.addresses``).
PublicBaseDep = Annotated[str, Depends(_public_base)]


async def graphql_context(services: ServicesDep) -> Context:
    """Strawberry's context of one GraphQL request: new DataLoaders on the app's store."""
    return Context(store=services.store, settings=services.settings)
