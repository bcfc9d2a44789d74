"""Attribute jobs: many uploaded images, one job, answers per image, a webhook at the end."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from api_support import A, B, make_settings, png, problem_type, wait_for_job

if TYPE_CHECKING:
    from pathlib import Path

    from api_support import FakeRuntime
    from fastapi.testclient import TestClient
    from webhook_receiver import Receiver

    from api.settings import Settings

TAXONOMY = {"attributes": {"color": {"values": ["red", "navy blue", "green"]},
                           "fit": {"values": ["slim", "regular"]}},
            "review_threshold": 0.75}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, attribute_batch_max_images=3)


def upload(client: TestClient, headers: dict[str, str] = A) -> str:
    data = png(40, 30)
    created = client.post("/v1/uploads", json={"content_type": "image/png",
                                               "size_bytes": len(data)}, headers=headers).json()
    target = created["upload"]
    assert client.put(target["url"], content=data, headers=target["headers"]).status_code == 204
    return str(created["upload_id"])


def test_a_batch_answers_each_image_and_fails_only_the_bad_ones(
    client: TestClient, runtime: FakeRuntime, receiver: Receiver
) -> None:
    # Given two uploads, one id that names no upload, and a stored taxonomy
    images = [upload(client), upload(client), "upl_missing"]
    client.put("/v1/taxonomies/tops", json=TAXONOMY, headers=A)
    runtime.choice_scores = {"fit": {"slim": 0.8, "regular": 0.2}}

    # When they are sent as one attribute job
    body = {"upload_ids": images, "product_type": "shirt", "taxonomy": "tops",
            "callback_url": receiver.url}
    resp = client.post("/v1/attribute-jobs", json=body, headers=A)
    assert resp.status_code == 202, resp.text
    job = wait_for_job(client, resp.headers["location"], A)

    # Then each image has its answers (allowed values, confidence, review), in order
    assert job["status"] == "succeeded" and job["kind"] == "attribute_batch"
    result = job["result"]
    assert (result["succeeded"], result["failed"], result["needing_review"]) == (2, 1, 2)
    assert result["taxonomy"] == "tops"
    first, second, missing = result["items"]
    assert [first["upload_id"], second["upload_id"], missing["upload_id"]] == images
    assert first["attributes"] == {"color": "red", "fit": "slim"}
    assert first["answers"]["color"]["needs_review"] is True  # 0.7 < 0.75
    assert first["needs_review"] == ["color"]
    assert missing["status"] == "failed" and missing["error"]["type"] == "unknown-upload"
    # ...the model asked once per readable image, always with the taxonomy's values
    assert [call[1]["choices"]["fit"] for call in runtime.calls] == [["slim", "regular"]] * 2

    # ...and the webhook carries the same result
    assert receiver.delivered.wait(10)
    event = json.loads(receiver.deliveries[-1][1])
    assert event["data"]["job"]["result"] == result

    # Another tenant sees neither the job nor, through a batch, the first tenant's images
    assert client.get(resp.headers["location"], headers=B).status_code == 404
    theirs = client.post("/v1/attribute-jobs", json={"upload_ids": images[:2]}, headers=B)
    other = wait_for_job(client, theirs.headers["location"], B)
    assert other["result"]["failed"] == 2 and other["result"]["succeeded"] == 0


def test_a_dependency_outage_fails_the_whole_job(
    client: TestClient, runtime: FakeRuntime
) -> None:
    from api.domain.errors import DependencyUnavailable

    images = [upload(client), upload(client)]
    runtime.error = DependencyUnavailable("endpoint is scaling from zero")
    resp = client.post("/v1/attribute-jobs", json={"upload_ids": images}, headers=A)
    job = wait_for_job(client, resp.headers["location"], A)
    assert job["status"] == "failed" and job["error"]["type"].endswith("service-unavailable")


@pytest.mark.parametrize(
    ("body", "status", "slug"),
    [
        ({"upload_ids": [f"upl_{i}" for i in range(4)]}, 422, "validation-error"),
        ({"upload_ids": []}, 422, "validation-error"),
        ({"upload_ids": ["not-an-upload"]}, 422, "validation-error"),
        ({"upload_ids": ["upl_a"], "taxonomy": "nope"}, 404, "not-found"),
        ({"upload_ids": ["upl_a"], "model_id": "atm_nope"}, 404, "not-found"),
        ({"upload_ids": ["upl_a"], "callback_url": "http://169.254.169.254/"}, 422, None),
    ],
)
def test_bad_batches_are_refused_before_a_job_exists(
    client: TestClient, body: dict[str, Any], status: int, slug: str | None
) -> None:
    response = client.post("/v1/attribute-jobs", json=body, headers=A)
    assert response.status_code == status, response.text
    if slug:
        assert problem_type(response) == slug
