"""Try-on jobs: accepted with 202, executed by the worker, always ending terminal."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from api_support import (
    TENANT_A,
    A,
    FlagSecondImage,
    b64,
    decode_png,
    png,
    problem_type,
    wait_for_job,
)

from api.domain.errors import ModelInvocationFailed

if TYPE_CHECKING:
    from api_support import FakeRuntime
    from fastapi.testclient import TestClient

    from api.ports import Adapters


def start(client: TestClient, **changes: Any) -> tuple[str, dict[str, Any]]:
    body = {"image": {"base64": b64(png(40, 30))}, "garment_prompt": "a red linen shirt", **changes}
    response = client.post("/v1/try-ons", json=body, headers=A)
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "queued"
    return response.headers["location"], response.json()


def test_try_on_runs_to_success_with_fetchable_images(
    client: TestClient, runtime: FakeRuntime
) -> None:
    location, created = start(client, n=2, seed=7, steps=4, guidance_scale=5.0)
    assert location == f"/v1/jobs/{created['id']}" == created["links"]["self"]
    job = wait_for_job(client, location, A)
    assert job["status"] == "succeeded", job
    assert job["result"]["seed"] == 7 and job["result"]["withheld"] == []
    images = job["result"]["images"]
    assert len(images) == 2
    for item in [*images, job["result"]["mask"]]:
        fetched = client.get(item["url"])
        assert fetched.status_code == 200
        assert decode_png(fetched.content).size == (40, 30)
    # The mask came from CLIPSeg with the region derived from the garment.
    assert runtime.models_called() == ["clipseg", "inpainting"]
    assert runtime.calls[0][1]["prompts"] == ["shirt"]
    inpaint = runtime.calls[1][1]
    assert (inpaint["num_images"], inpaint["steps"], inpaint["guidance_scale"]) == (2, 4, 5.0)
    assert inpaint["prompt"] == "a red linen shirt"


def test_job_record_holds_keys_not_image_bytes(client: TestClient, container: Adapters) -> None:
    big = b64(png(600, 400))
    location, created = start(client, image={"base64": big})
    wait_for_job(client, location, A)
    job = container.jobs.get(TENANT_A, created["id"])
    assert job is not None
    record = json.dumps(job.request)
    assert len(record) < 1000 and big[:100] not in record
    assert container.uploads.exists(job.request["image_key"])
    assert job.request["image_key"].startswith(f"{TENANT_A}/jobs/{job.id}/")


def test_a_given_mask_skips_segmentation(client: TestClient, runtime: FakeRuntime) -> None:
    location, _ = start(client, mask={"base64": b64(png(40, 30, (255, 255, 255)))})
    assert wait_for_job(client, location, A)["status"] == "succeeded"
    assert runtime.models_called() == ["inpainting"]


def test_explicit_mask_prompt_is_used(client: TestClient, runtime: FakeRuntime) -> None:
    location, _ = start(client, mask_prompt="upper body clothes")
    wait_for_job(client, location, A)
    assert runtime.calls[0][1]["prompts"] == ["upper body clothes"]


def test_failing_model_fails_the_job_with_the_reason(
    client: TestClient, runtime: FakeRuntime
) -> None:
    runtime.error = ModelInvocationFailed("inpainting endpoint returned 500")
    location, _ = start(client)
    job = wait_for_job(client, location, A)
    assert job["status"] == "failed" and job["result"] is None
    assert job["error"]["type"] == "https://vitrine.dev/problems/model-error"
    assert "returned 500" in job["error"]["detail"]


def test_unexpected_exception_still_ends_the_job(client: TestClient, runtime: FakeRuntime) -> None:
    runtime.error = RuntimeError("segfault-ish surprise")
    location, _ = start(client)
    job = wait_for_job(client, location, A)
    assert job["status"] == "failed"
    assert job["error"]["type"].endswith("/internal-error")
    assert "surprise" not in job["error"]["detail"]  # internals are logged, not shown


def test_mask_prompt_matching_nothing_fails_clearly(
    client: TestClient, runtime: FakeRuntime
) -> None:
    runtime.coverage = 0.0
    location, _ = start(client)
    job = wait_for_job(client, location, A)
    assert job["status"] == "failed"
    assert job["error"]["type"].endswith("/model-input-rejected")
    assert runtime.models_called() == ["clipseg"]


@pytest.mark.parametrize("moderator", [FlagSecondImage(("Explicit Nudity (97%)",))])
def test_flagged_outputs_are_withheld_with_the_reason(
    client: TestClient, container: Adapters
) -> None:
    location, _ = start(client, n=2)
    result = wait_for_job(client, location, A)["result"]
    assert len(result["images"]) == 1
    assert result["withheld"] == [{"index": 1, "reasons": ["Explicit Nudity (97%)"]}]
    assert not container.results.exists(f"{TENANT_A}/jobs/{location.rsplit('/', 1)[1]}/image-1.png")


def test_missing_job_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/v1/jobs/job_doesnotexist", headers=A)
    assert response.status_code == 404 and problem_type(response) == "not-found"
