"""Issue 16, finding 12: ``/healthz`` is honest and minimal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api_support import FakeRuntime, make_settings
from fastapi.testclient import TestClient

from api.adapters.local.wiring import build
from api.app import create_app

if TYPE_CHECKING:
    from pathlib import Path


# --- 12: /healthz ---
def test_healthz_is_minimal_and_honest_about_missing_models(client: TestClient) -> None:
    response = client.get("/healthz")  # the test settings' models folder does not exist
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_healthz_ok_when_the_models_folder_is_there(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    settings.models_dir.mkdir(parents=True)
    adapters = build(settings, runtime=FakeRuntime().bind)
    with TestClient(create_app(settings, adapters)) as client:
        response = client.get("/healthz")
    adapters.close()
    assert response.status_code == 200 and response.json() == {"status": "ok"}
