"""CORS: browser storefronts on the configured origins can call the API and read it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi.testclient import TestClient

from api.adapters.local.wiring import build
from api.app import create_app
from tests.api.api_support import KEY_A, FakeRuntime, make_settings

if TYPE_CHECKING:
    from pathlib import Path

SHOP = "https://shop.example"


def client_for(tmp_path: Path, **overrides: str) -> TestClient:
    settings = make_settings(tmp_path, **overrides)
    settings.models_dir.mkdir(parents=True, exist_ok=True)  # /healthz is 200 only with models
    adapters = build(settings, runtime=FakeRuntime().bind)
    return TestClient(create_app(settings, adapters), raise_server_exceptions=False)


def test_a_configured_origin_can_read_answers_and_errors(tmp_path: Path) -> None:
    with client_for(tmp_path, cors_allow_origins=f"{SHOP}, https://other.example") as client:
        ok = client.post("/v1/descriptions", headers={"x-api-key": KEY_A, "origin": SHOP},
                         json={"product_type": "dress", "attributes": {"color": "red"}})
        denied = client.get("/v1/jobs/job_x", headers={"origin": SHOP})
        stranger = client.get("/healthz", headers={"origin": "https://evil.example"})

    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == SHOP
    assert denied.status_code == 401 and denied.headers["access-control-allow-origin"] == SHOP
    assert "access-control-allow-origin" not in stranger.headers


def test_preflight_allows_the_headers_a_storefront_sends(tmp_path: Path) -> None:
    with client_for(tmp_path, cors_allow_origins=SHOP) as client:
        preflight = client.options("/v1/try-ons", headers={
            "origin": SHOP,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type, idempotency-key, x-api-key",
        })

    assert preflight.status_code == 200
    allowed = preflight.headers["access-control-allow-headers"].lower()
    assert {"content-type", "idempotency-key", "x-api-key"} <= {
        h.strip() for h in allowed.split(",")
    }


def test_no_origins_configured_means_no_cors_headers(tmp_path: Path) -> None:
    with client_for(tmp_path) as client:
        response = client.get("/healthz", headers={"origin": SHOP})

    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
