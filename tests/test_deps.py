"""Routes get the app's services as FastAPI dependencies (``api/deps.py``), and that
module alone reads the app's state: a route's inputs are in its signature."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import Services, services_of
from eskg.config import Settings
from eskg.store.embedded import EmbeddedStore

API = Path(__file__).resolve().parent.parent / "api"
#: ``app.state`` written plainly, or reached by ``getattr(request.app, "state")``.
STATE = re.compile(r"""\bapp\.state\b|\bapp\s*,\s*["']state["']""")


def state_readers(root: Path) -> list[str]:
    """``file:line`` of every mention of the app's state outside ``deps.py``."""
    return [
        f"{path.relative_to(root.parent)}:{number}"
        for path in sorted(root.rglob("*.py"))
        if path.name != "deps.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if STATE.search(line)
    ]


def test_only_deps_reads_the_app_state() -> None:
    found = state_readers(API)
    assert not found, "take the service as a dependency (api/deps.py) instead:\n" + "\n".join(found)


def test_the_check_sees_a_state_read(tmp_path: Path) -> None:
    """The check above fires on both spellings (so it can fail), and not on
    ``request.state`` (the request's own, which routes may use)."""
    root = tmp_path / "api"
    root.mkdir()
    (root / "route.py").write_text(
        "a = request.app.state.store\n"
        'b = getattr(request.app, "state")\n'
        "c = request.state.status\n",
        encoding="utf-8",
    )
    (root / "deps.py").write_text("d = request.app.state.services\n", encoding="utf-8")
    assert state_readers(root) == ["api/route.py:1", "api/route.py:2"]


def test_create_app_gives_its_services_once(settings: Settings, embedded: EmbeddedStore) -> None:
    app = create_app(settings, embedded)
    services = services_of(app)
    assert isinstance(services, Services)
    assert services.store is embedded and services.settings is settings
    assert services.embedded is embedded  # the embedded store answers SPARQL itself
    with pytest.raises(AttributeError):
        services.store = embedded  # type: ignore[misc]  # frozen: made once per app
    with TestClient(app) as client:
        assert client.get("/health").json()["store"] == embedded.name
        assert services_of(client.app) is services


def test_an_app_without_services_says_where_they_come_from() -> None:
    with pytest.raises(LookupError, match="create_app"):
        services_of(FastAPI())
