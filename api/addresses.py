"""The address the API is reached at, for links it writes into its answers.

``ESKG_PUBLIC_URL`` when set (a server behind a proxy or w3id.org), else the scheme, host
and port of the request itself, so a server started with ``--port 9000`` names
``http://127.0.0.1:9000/sparql`` in its VoID, DCAT and service descriptions. Routes take
it as ``api.deps.PublicBaseDep``.
"""

from __future__ import annotations

from starlette.requests import Request

from eskg.config import Settings


def public_base(settings: Settings, request: Request) -> str:
    """The public address without a trailing slash (``http://127.0.0.1:8000``)."""
    if settings.public_url:
        return settings.public_url.rstrip("/")
    return str(request.base_url).rstrip("/")
