"""Taxonomies: the resource, constrained attributes, review routing and describe."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from api_support import A, B, b64, png, problem_type

if TYPE_CHECKING:
    from api_support import FakeRuntime
    from fastapi.testclient import TestClient

SLEEVES = ["sleeveless", "short", "three-quarter", "long"]
TAXONOMY: dict[str, Any] = {
    "attributes": {
        "sleeve_length": {"values": SLEEVES},
        "color": {"values": ["red", "navy blue", "green"], "question": "Which colour is it?"},
    },
    "review_threshold": 0.6,
}


def image() -> dict[str, str]:
    return {"base64": b64(png())}


def put(client: TestClient, name: str = "tops", body: Any = None, headers: Any = A) -> Any:
    return client.put(f"/v1/taxonomies/{name}", json=body or TAXONOMY, headers=headers)


def test_put_get_list_delete(client: TestClient) -> None:
    created = put(client)
    assert created.status_code == 200
    body = created.json()
    assert body["name"] == "tops" and body["review_threshold"] == 0.6
    assert body["attributes"]["sleeve_length"] == {"values": SLEEVES, "question": None}
    assert client.get("/v1/taxonomies/tops", headers=A).json() == body

    # Replacing keeps the creation time and the new content wins.
    replaced = put(client, body={**TAXONOMY, "review_threshold": 0.8}).json()
    assert replaced["created_at"] == body["created_at"]
    assert replaced["review_threshold"] == 0.8
    put(client, "bottoms")
    listed = client.get("/v1/taxonomies", headers=A).json()
    assert [t["name"] for t in listed["data"]] == ["bottoms", "tops"] and listed["count"] == 2

    assert client.delete("/v1/taxonomies/tops", headers=A).status_code == 204
    missing = client.get("/v1/taxonomies/tops", headers=A)
    assert missing.status_code == 404 and problem_type(missing) == "not-found"
    assert client.delete("/v1/taxonomies/tops", headers=A).status_code == 404


def test_tenants_never_see_each_others_taxonomies(client: TestClient) -> None:
    put(client)
    assert client.get("/v1/taxonomies/tops", headers=B).status_code == 404
    assert client.get("/v1/taxonomies", headers=B).json() == {"data": [], "count": 0}
    assert client.delete("/v1/taxonomies/tops", headers=B).status_code == 404
    body = {"image": image(), "product_type": "shirt", "taxonomy": "tops"}
    response = client.post("/v1/attributes", json=body, headers=B)
    assert response.status_code == 404 and problem_type(response) == "not-found"
    assert client.get("/v1/taxonomies/tops", headers=A).status_code == 200


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("Tops", TAXONOMY),
        ("tops", {"attributes": {}}),
        ("tops", {"attributes": {"Bad Name": {"values": ["a", "b"]}}}),
        ("tops", {"attributes": {"color": {"values": ["red"]}}}),
        ("tops", {"attributes": {"color": {"values": ["red", "Red"]}}}),
        ("tops", {"attributes": {"color": {"values": ["red", " "]}}}),
        ("tops", {"attributes": {"color": {"values": ["red", "x" * 81]}}}),
        ("tops", {"attributes": {"color": {"values": ["red", "bl\nue"]}}}),
        ("tops", {"attributes": {"color": {"values": [f"v{i}" for i in range(65)]}}}),
        ("tops", {"attributes": {f"a{i}": {"values": [f"v{j}" for j in range(40)]}
                                 for i in range(13)}}),
        ("tops", {"attributes": {"color": {"values": ["a", "b"], "question": "x" * 201}}}),
        ("tops", {**TAXONOMY, "review_threshold": 1.5}),
        ("tops", {**TAXONOMY, "extra": 1}),
    ],
)
def test_bad_taxonomies_are_422_problems(client: TestClient, name: str, body: Any) -> None:
    response = put(client, name, body)
    assert response.status_code == 422 and problem_type(response) == "validation-error"


def test_attributes_answer_only_allowed_values(client: TestClient, runtime: FakeRuntime) -> None:
    put(client)
    runtime.choice_scores = {"color": {"red": 0.1, "navy blue": 0.5, "green": 0.4}}
    body = {"image": image(), "product_type": "shirt", "taxonomy": "tops"}
    response = client.post("/v1/attributes", json=body, headers=A)
    assert response.status_code == 200
    found = response.json()
    sent = runtime.calls[0][1]
    # The model is asked the taxonomy's questions with their allowed values.
    assert sent["choices"] == {"sleeve_length": SLEEVES, "color": ["red", "navy blue", "green"]}
    assert sent["questions"]["color"] == "Which colour is it?"
    assert "sleeve length of this shirt" in sent["questions"]["sleeve_length"]
    assert found["taxonomy"] == "tops" and found["review_threshold"] == 0.6
    assert found["attributes"] == {"sleeve_length": "sleeveless", "color": "navy blue"}
    assert found["answers"]["sleeve_length"]["confidence"] == 0.7
    assert found["answers"]["color"] == {
        "value": "navy blue",
        "confidence": 0.5,
        "needs_review": True,
        "scores": {"red": 0.1, "navy blue": 0.5, "green": 0.4},
    }
    assert found["needs_review"] == ["color"]


def test_request_threshold_wins_over_the_taxonomys(
    client: TestClient, runtime: FakeRuntime
) -> None:
    put(client)
    body = {"image": image(), "product_type": "shirt", "taxonomy": "tops", "review_threshold": 0.8}
    found = client.post("/v1/attributes", json=body, headers=A).json()
    assert found["review_threshold"] == 0.8
    assert found["needs_review"] == ["sleeve_length", "color"]


def test_inline_taxonomy_and_a_subset_of_its_attributes(
    client: TestClient, runtime: FakeRuntime
) -> None:
    body = {"image": image(), "product_type": "shirt", "taxonomy": TAXONOMY,
            "attributes": ["color"]}
    found = client.post("/v1/attributes", json=body, headers=A).json()
    assert found["taxonomy"] == "inline" and list(found["attributes"]) == ["color"]
    assert runtime.calls[0][1]["choices"] == {"color": ["red", "navy blue", "green"]}
    body["attributes"] = ["fabric"]
    response = client.post("/v1/attributes", json=body, headers=A)
    assert response.status_code == 422 and "not in the taxonomy: fabric" in response.text


def test_free_answers_use_the_request_threshold(client: TestClient, runtime: FakeRuntime) -> None:
    runtime.confidence = 0.3
    body = {"image": image(), "product_type": "shirt", "attributes": ["fabric"],
            "review_threshold": 0.5}
    found = client.post("/v1/attributes", json=body, headers=A).json()
    assert "choices" not in runtime.calls[0][1]
    assert found["answers"]["fabric"]["needs_review"] is True
    assert found["answers"]["fabric"]["scores"] is None


@pytest.mark.parametrize(
    "reply",
    [
        {"answers": {"color": "purple"}, "confidence": {"color": 0.9},
         "scores": {"color": {"red": 0.5, "navy blue": 0.3, "green": 0.2}}},
        {"answers": {"color": "red"}, "confidence": {"color": 0.9}, "scores": {}},
        {"answers": {"color": "red"}, "confidence": {"color": 2.0},
         "scores": {"color": {"red": 0.5, "navy blue": 0.3, "green": 0.2}}},
        {"answers": {"color": "red"}},
        {"answers": {"color": "red"}, "confidence": {"color": 0.5},
         "scores": {"color": {"red": 0.5, "navy blue": "x", "green": 0.2}}},
    ],
)
def test_a_model_answer_off_the_list_is_a_502(
    client: TestClient, runtime: FakeRuntime, monkeypatch: pytest.MonkeyPatch, reply: Any
) -> None:
    monkeypatch.setattr(runtime, "_blip2", lambda payload: reply)
    body = {"image": image(), "product_type": "shirt", "taxonomy": TAXONOMY,
            "attributes": ["color"]}
    response = client.post("/v1/attributes", json=body, headers=A)
    assert response.status_code == 502 and problem_type(response) == "model-error"


def test_describe_writes_copy_only_from_confident_fields(
    client: TestClient, runtime: FakeRuntime
) -> None:
    put(client)
    runtime.choice_scores = {"color": {"red": 0.2, "navy blue": 0.3, "green": 0.5}}
    body = {"image": image(), "product_type": "shirt", "taxonomy": "tops"}
    response = client.post("/v1/products/describe", json=body, headers=A)
    assert response.status_code == 200
    result = response.json()
    assert result["written_from"] == ["sleeve_length"]
    assert result["held_for_review"] == ["color"]
    assert result["attributes"]["answers"]["color"]["needs_review"] is True
    copy = " ".join([result["description"]["title"], result["description"]["description"],
                     *result["description"]["bullets"]]).lower()
    assert "sleeveless" in copy and "green" not in copy


def test_describe_without_a_threshold_uses_every_answer(client: TestClient) -> None:
    body = {"image": image(), "product_type": "shirt", "attributes": ["fabric", "color"]}
    result = client.post("/v1/products/describe", json=body, headers=A).json()
    assert result["written_from"] == ["fabric", "color"] and result["held_for_review"] == []
