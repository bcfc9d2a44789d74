"""Fixtures for API tests: the real local adapters on a temp dir, a fake model runtime."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from api_support import FakeRuntime, make_settings
from fastapi.testclient import TestClient
from webhook_receiver import Receiver

from api.adapters.local.wiring import build
from api.app import create_app

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from api.ports import Adapters
    from api.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def runtime() -> FakeRuntime:
    return FakeRuntime()


@pytest.fixture
def moderator() -> object:
    """``None``: the local moderator. Parametrize ``moderator`` to use another."""
    return None


@pytest.fixture
def training() -> object:
    """``None``: the local launcher. Parametrize (or override) with a factory
    ``(uploads, artifacts, deliver) -> TrainingLauncher`` to use another."""
    return None


@pytest.fixture
def container(
    settings: Settings, runtime: FakeRuntime, moderator: Any, training: Any
) -> Iterator[Adapters]:
    """The local adapters the app runs on (the runtime a fake)."""
    built = build(settings, runtime=runtime.bind, moderator=moderator, training=training)
    yield built
    built.close()


@pytest.fixture
def client(settings: Settings, container: Adapters) -> Iterator[TestClient]:
    app = create_app(settings, container)
    with TestClient(app, raise_server_exceptions=False) as test:
        yield test


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook receiver on a loopback port (``webhook_receiver.py``)."""
    rec = Receiver()
    yield rec
    rec.server.shutdown()
    rec.server.server_close()
