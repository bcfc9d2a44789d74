"""Health, OpenAPI, offline docs, authentication, tenant isolation."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from api_support import A, B, b64, png, problem_type, wait_for_job

if TYPE_CHECKING:
    from fastapi.testclient import TestClient


def test_healthz_needs_no_key_and_shows_no_internals(client: TestClient) -> None:
    response = client.get("/healthz")  # the test settings' models folder does not exist
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}


def test_openapi_lists_every_resource_and_the_api_key(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/v1/uploads",
        "/v1/segmentations",
        "/v1/try-ons",
        "/v1/attributes",
        "/v1/descriptions",
        "/v1/products/describe",
        "/v1/jobs/{job_id}",
    ):
        assert path in spec["paths"], path
    assert spec["components"]["securitySchemes"]["ApiKey"]["name"] == "x-api-key"
    errors = spec["paths"]["/v1/try-ons"]["post"]["responses"]["422"]["content"]
    assert "application/problem+json" in errors


def test_docs_are_served_without_any_cdn(client: TestClient) -> None:
    html = client.get("/docs").text
    assert "SwaggerUIBundle" in html
    assert not re.search(r"https?://", html), "the docs page must not load anything remote"
    for asset in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert client.get(f"/{asset}").status_code == 200, asset


def test_v1_without_a_key_is_401_problem(client: TestClient) -> None:
    body = {"image": {"base64": b64(png())}, "prompts": ["shirt"]}
    for headers in ({}, {"x-api-key": "wrong"}):
        response = client.post("/v1/segmentations", json=body, headers=headers)
        assert response.status_code == 401
        assert problem_type(response) == "unauthorized"
        assert "x-api-key" in response.headers["www-authenticate"]
    assert client.get("/v1/jobs/job_x").status_code == 401


def test_another_tenants_job_is_not_found(client: TestClient) -> None:
    body = {"image": {"base64": b64(png())}, "garment_prompt": "a green shirt"}
    created = client.post("/v1/try-ons", json=body, headers=A)
    location = created.headers["location"]
    job = wait_for_job(client, location, A)
    response = client.get(location, headers=B)
    assert response.status_code == 404 and problem_type(response) == "not-found"
    # Tenant A's result files need the signed URL; the bare path reveals nothing.
    image_url = job["result"]["images"][0]["url"]
    assert client.get(image_url).status_code == 200
    bare = image_url.split("?")[0]
    assert client.get(bare, headers=B).status_code == 403
    assert client.get(bare.replace("tenant-a", "tenant-b"), headers=B).status_code == 403


def test_unknown_route_is_a_problem(client: TestClient) -> None:
    response = client.get("/v1/nothing-here", headers=A)
    assert response.status_code == 404 and problem_type(response) == "not-found"
