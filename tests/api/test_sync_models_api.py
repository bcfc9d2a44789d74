"""The synchronous model resources: segmentations, attributes, descriptions, products."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from api_support import TENANT_A, A, b64, decode_png, png, problem_type

from api.domain.errors import DependencyUnavailable

if TYPE_CHECKING:
    from api_support import FakeRuntime
    from fastapi.testclient import TestClient

    from api.ports import Adapters


def test_segmentation_with_urls_stores_masks(
    client: TestClient, container: Adapters, runtime: FakeRuntime
) -> None:
    body = {
        "image": {"base64": b64(png(30, 20))},
        "prompts": [" the shirt ", "pants"],
        "threshold": 0.3,
    }
    response = client.post("/v1/segmentations", json=body, headers=A)
    assert response.status_code == 200
    seg = response.json()
    assert (seg["width"], seg["height"]) == (30, 20)
    assert [m["prompt"] for m in seg["masks"]] == ["the shirt", "pants"]
    assert all(m["coverage"] == 0.25 and "base64" not in m for m in seg["masks"])
    assert decode_png(client.get(seg["masks"][1]["url"]).content).mode == "L"
    assert container.results.exists(f"{TENANT_A}/segmentations/{seg['id']}/mask-1.png")
    assert len(runtime.calls) == 1 and runtime.calls[0][1]["threshold"] == 0.3


def test_segmentation_as_base64_stores_nothing(client: TestClient, container: Adapters) -> None:
    body = {"image": {"base64": b64(png())}, "prompts": ["shirt"], "response_format": "base64"}
    seg = client.post("/v1/segmentations", json=body, headers=A).json()
    assert "url" not in seg["masks"][0]
    assert decode_png(base64.b64decode(seg["masks"][0]["base64"])).size == (32, 24)
    assert not (container.results.root / TENANT_A).exists()  # type: ignore[attr-defined]


def test_runtime_unavailable_is_503_problem(client: TestClient, runtime: FakeRuntime) -> None:
    runtime.error = DependencyUnavailable("endpoint is scaling from zero")
    body = {"image": {"base64": b64(png())}, "prompts": ["shirt"]}
    response = client.post("/v1/segmentations", json=body, headers=A)
    assert response.status_code == 503 and problem_type(response) == "service-unavailable"


def test_attributes_asks_all_questions_in_one_call(
    client: TestClient, runtime: FakeRuntime
) -> None:
    body = {
        "image": {"base64": b64(png())},
        "product_type": "shirt",
        "attributes": ["fabric", "color", "hem_style"],
    }
    response = client.post("/v1/attributes", json=body, headers=A)
    assert response.status_code == 200
    found = response.json()
    assert found["attributes"] == {
        "fabric": "cotton", "color": "navy blue", "hem_style": "some hem_style"
    }
    assert found["answers"]["fabric"] == {
        "value": "cotton", "confidence": 0.9, "needs_review": False, "scores": None
    }
    assert (found["product_type"], found["model"]) == ("shirt", "blip2")
    assert (found["taxonomy"], found["review_threshold"], found["needs_review"]) == (
        None, None, []
    )
    assert runtime.models_called() == ["blip2"]
    assert set(runtime.calls[0][1]["questions"]) == {"fabric", "color", "hem_style"}


def test_attributes_without_product_type_asks_for_it_too(
    client: TestClient, runtime: FakeRuntime
) -> None:
    response = client.post("/v1/attributes", json={"image": {"base64": b64(png())}}, headers=A)
    assert response.json()["product_type"] == "shirt"
    assert "product_type" not in response.json()["attributes"]
    assert "product_type" in runtime.calls[0][1]["questions"]


def test_description_from_attributes(client: TestClient) -> None:
    body = {
        "product_type": "dress",
        "attributes": {"color": "emerald", "fabric": "silk"},
        "tone": "luxury",
        "length": "short",
        "brand": "Maison",
    }
    response = client.post("/v1/descriptions", json=body, headers=A)
    assert response.status_code == 200
    copy = response.json()
    assert copy["title"] == "Maison Emerald Silk Dress"
    assert copy["description"].startswith("An exquisitely crafted Maison dress")
    assert copy["model"] == "offline-template"


def test_description_with_flagged_text_is_refused(client: TestClient) -> None:
    body = {"product_type": "dress", "attributes": {"style": "naked look"}}
    response = client.post("/v1/descriptions", json=body, headers=A)
    assert response.status_code == 422 and problem_type(response) == "content-flagged"
    assert response.json()["reasons"] == ["blocked term: naked"]


def test_products_describe_chains_attributes_and_copy(
    client: TestClient, runtime: FakeRuntime
) -> None:
    body = {"image": {"base64": b64(png())}, "product_type": "shirt", "language": "de"}
    response = client.post("/v1/products/describe", json=body, headers=A)
    assert response.status_code == 200
    result = response.json()
    assert result["attributes"]["attributes"]["fabric"] == "cotton"
    assert "Stoff: cotton" in result["description"]["bullets"]
    assert runtime.models_called() == ["blip2"]
