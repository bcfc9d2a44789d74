"""Fixtures for API tests: the real local adapters on a temp dir, a fake model runtime."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from api_support import FakeRuntime, make_settings
from fastapi.testclient import TestClient

from api.adapters.local.wiring import build
from api.app import create_app

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from api.bootstrap import Container
    from api.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def runtime() -> FakeRuntime:
    return FakeRuntime()


@pytest.fixture
def container(settings: Settings, runtime: FakeRuntime) -> Iterator[Container]:
    built = build(settings, runtime=runtime)
    yield built
    built.close()


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container=container), raise_server_exceptions=False) as test:
        yield test
