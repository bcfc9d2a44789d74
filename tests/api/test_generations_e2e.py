"""Generations end to end on the local profile: the real in-process runtime and handler.

Through the HTTP API and the worker, on the tiny random-weight SDXL (real diffusers
pipelines, real LoRA and textual-inversion loaders): text-to-image with 0, 1 and 3 tenant
models, ControlNet (canny) with its control image, img2img and turbo; tenant isolation
inside ``adapters`` (another tenant's model is 404, as an unknown one), a model still
training is 409, one of another kind 422.

The tenant models are training jobs (``api/services/tenant_models.py``): most tests record
succeeded ``product_training`` / ``concept_training`` jobs with adapter files as the
trainers write them (fast); one trains both through ``/v1/models`` first.
"""

from __future__ import annotations

import io
import time
from typing import TYPE_CHECKING, Any

import pytest
from api_support import TENANT_A, TENANT_B, A, B, make_settings, problem_type
from fastapi.testclient import TestClient
from PIL import Image

from api.adapters.local.wiring import build
from api.app import create_app
from api.domain.jobs import Job, JobKind, JobStatus
from api.services import tenant_models

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from api.ports import Adapters
    from api.settings import Settings

pytestmark = pytest.mark.slow

PRODUCT_KIND, CONCEPT_KIND = JobKind.PRODUCT_TRAINING, JobKind.CONCEPT_TRAINING


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from model_artifacts.tiny import generation

    out = tmp_path_factory.mktemp("models")
    generation.build(out / "generation")
    return out


@pytest.fixture
def settings(tmp_path: Path, models_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("VITRINE_ADAPTERS_DIR", "/nonexistent-placeholder")  # wiring sets it
    return make_settings(
        tmp_path, models_dir=models_dir, worker_threads=1, product_train_steps=2,
        product_resolution=64, concept_train_steps=2, concept_resolution=64,
        model_min_images=2, model_min_image_side=32,
    )  # fmt: skip


@pytest.fixture
def app(settings: Settings) -> Iterator[tuple[TestClient, Adapters]]:
    container = build(settings)
    try:
        with TestClient(create_app(settings, container), raise_server_exceptions=False) as test:
            yield test, container
    finally:
        container.close()


def tenant_model(container: Adapters, settings: Settings, models_dir: Path, tenant: str,
                 kind: JobKind, *, seed: int = 0, ready: bool = True, token: str = "<c-1>"
                 ) -> str:
    """A tenant model as its training job records it, with its adapter files."""
    from model_artifacts.tiny import generation

    job = Job.new(tenant=tenant, kind=kind, request={}, ttl_days=1)
    container.jobs.create(job)
    if not ready:
        return job.id
    prefix = f"{tenant}/models/{job.id}"
    folder = settings.data_dir / "artifacts" / prefix
    model_kind = tenant_models.MODEL_KINDS[kind.value]
    if model_kind == "concept":
        generation.write_concept(folder, seed=seed)
    else:
        generation.write_lora(models_dir / "generation", folder, seed=seed)
    container.jobs.transition(tenant, job.id, JobStatus.RUNNING)
    container.jobs.transition(tenant, job.id, JobStatus.SUCCEEDED, result={
        "kind": model_kind, "artifacts": prefix, "token": token, "base": "sdxl"})
    return job.id


def photo() -> dict[str, str]:
    import base64

    image = Image.new("RGB", (48, 40), (128, 128, 128))
    image.paste((200, 20, 30), (12, 10, 36, 30))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return {"base64": base64.b64encode(out.getvalue()).decode()}


def generate(client: TestClient, headers: dict[str, str] = A, **fields: Any) -> dict[str, Any]:
    body = {"prompt": "a linen dress", "steps": 2, "seed": 5, **fields}
    response = client.post("/v1/generations", json=body, headers=headers)
    assert response.status_code == 202, response.text
    location = response.headers["location"]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(location, headers=headers).json()
        if job["status"] in ("succeeded", "failed", "canceled"):
            assert job["status"] == "succeeded", job
            assert job["kind"] == "generation"
            return job
        time.sleep(0.05)
    raise AssertionError("the generation did not finish")


def fetch(client: TestClient, image: dict[str, Any]) -> bytes:
    response = client.get(image["url"])
    assert response.status_code == 200
    return response.content


def max_difference(first: bytes, second: bytes) -> int:
    from PIL import ImageChops

    a, b = (Image.open(io.BytesIO(data)).convert("RGB") for data in (first, second))
    return max(high for _, high in ImageChops.difference(a, b).getextrema())


def test_generations_with_0_1_and_3_tenant_models(app: Any, settings: Settings,
                                                  models_dir: Path) -> None:
    client, container = app
    lora_1 = tenant_model(container, settings, models_dir, TENANT_A, PRODUCT_KIND, seed=1)
    lora_2 = tenant_model(container, settings, models_dir, TENANT_A, PRODUCT_KIND, seed=2)
    concept = tenant_model(container, settings, models_dir, TENANT_A, CONCEPT_KIND, seed=3)

    plain = generate(client, n=2)
    result = plain["result"]
    assert (result["seed"], result["width"], result["height"]) == (5, 64, 64)
    assert len(result["images"]) == 2 and result["adapters"] == []
    one = generate(client, adapters=[{"model_id": lora_1, "weight": 0.8}])
    three = generate(client, adapters=[{"model_id": lora_1}, {"model_id": lora_2, "weight": 0.5},
                                       {"model_id": concept}])
    assert three["result"]["adapters"] == [lora_1, lora_2, concept]
    images = [fetch(client, job["result"]["images"][0]) for job in (plain, one, three)]
    assert len(set(images)) == 3  # each adapter set changes the image
    # Without adapters the base is back (LoRAs inactive): the same image, up to float noise
    # of the CPU kernels (thread counts differ between the worker's runs).
    again = fetch(client, generate(client)["result"]["images"][0])
    assert max_difference(again, images[0]) <= 2
    assert max_difference(images[1], images[0]) > 2


def test_controlnet_img2img_turbo_and_sizes(app: Any) -> None:
    client, _ = app
    depth = generate(client, control={"image": photo(), "type": "depth"})
    assert depth["result"]["control_image"]
    restyle = generate(client, prompt="the same jacket in red",
                       control={"image": photo(), "type": "canny"})
    edges = Image.open(io.BytesIO(fetch(client, restyle["result"]["control_image"])))
    assert edges.size == (48, 40)
    started = generate(client, image=photo(), strength=0.5, size="landscape")
    assert (started["result"]["width"], started["result"]["height"]) == (88, 48)
    turbo = generate(client, variant="turbo", steps=None)
    assert len(turbo["result"]["images"]) == 1


def test_adapters_are_tenant_scoped(app: Any, settings: Settings, models_dir: Path) -> None:
    client, container = app
    theirs = tenant_model(container, settings, models_dir, TENANT_B, PRODUCT_KIND, seed=1)
    mine = tenant_model(container, settings, models_dir, TENANT_A, PRODUCT_KIND, seed=2)
    training = tenant_model(container, settings, models_dir, TENANT_A, PRODUCT_KIND,
                            ready=False)
    avatar = Job.new(tenant=TENANT_A, kind=JobKind.AVATAR_TRAINING, request={}, ttl_days=1)
    container.jobs.create(avatar)
    cases = {
        theirs: (404, "not-found"),  # another tenant's: as if it did not exist
        "job_doesnotexist0000000000": (404, "not-found"),
        training: (409, "conflict"),
        avatar.id: (422, "validation-error"),
    }
    for model_id, (status, slug) in cases.items():
        response = client.post("/v1/generations", headers=A, json={
            "prompt": "a dress", "adapters": [{"model_id": mine}, {"model_id": model_id}]})
        assert response.status_code == status, (model_id, response.text)
        assert problem_type(response).endswith(slug)
        if status == 404:  # the same answer as for an id that never existed
            assert response.json()["detail"] == f"no model {model_id}"
    # Tenant B uses its own model.
    assert generate(client, headers=B, adapters=[{"model_id": theirs}])["result"]["adapters"]


@pytest.mark.parametrize("body", [
    {"prompt": "a dress", "control": {"image": photo()}, "image": photo()},
    {"prompt": "a dress", "variant": "turbo", "steps": 20},
    {"prompt": "a dress", "size": "huge"},
    {"prompt": "a dress", "adapters": [{"model_id": "x", "weight": 5}]},
    {"prompt": "a dress", "control": {"image": photo(), "type": "pose"}},
])
def test_bad_requests_are_422(app: Any, body: dict[str, Any]) -> None:
    client, _ = app
    response = client.post("/v1/generations", json=body, headers=A)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


def test_depth_on_a_model_without_an_estimator_fails_the_job_as_invalid_input(
        tmp_path: Path, models_dir: Path) -> None:
    import shutil

    models = tmp_path / "models"
    shutil.copytree(models_dir / "generation", models / "generation",
                    ignore=shutil.ignore_patterns("depth"))
    settings = make_settings(tmp_path, models_dir=models, worker_threads=1)
    container = build(settings)
    try:
        with TestClient(create_app(settings, container)) as client:
            response = client.post("/v1/generations", headers=A, json={
                "prompt": "a dress", "steps": 2, "control": {"image": photo(), "type": "depth"}})
            location = response.headers["location"]
            deadline = time.monotonic() + 60
            job: dict[str, Any] = {}
            while time.monotonic() < deadline:
                job = client.get(location, headers=A).json()
                if job["status"] == "failed":
                    break
                time.sleep(0.05)
    finally:
        container.close()
    assert job["status"] == "failed" and "depth" in job["error"]["detail"]
    assert job["error"]["type"].endswith("model-input-rejected")


def upload(client: TestClient, rgb: tuple[int, int, int]) -> str:
    out = io.BytesIO()
    Image.new("RGB", (72, 64), rgb).save(out, format="PNG")
    data = out.getvalue()
    created = client.post("/v1/uploads", json={"content_type": "image/png",
                                               "size_bytes": len(data)}, headers=A).json()
    target = created["upload"]
    assert client.put(target["url"], content=data, headers=target["headers"]).status_code == 204
    return str(created["upload_id"])


def train(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    """A model trained through ``/v1/models`` (train.py in a child process), once ready."""
    response = client.post("/v1/models", json=body, headers=A)
    assert response.status_code == 202, response.text
    deadline = time.monotonic() + 240  # the child imports torch and diffusers: seconds
    while time.monotonic() < deadline:
        model: dict[str, Any] = client.get(response.headers["location"], headers=A).json()
        if model["status"] in ("ready", "failed", "canceled"):
            assert model["status"] == "ready", model
            return model
        time.sleep(0.2)
    raise AssertionError("the model did not finish training")


def test_a_trained_product_lora_and_concept_generate_together(app: Any) -> None:
    client, _ = app
    # Given a product LoRA and a concept trained through /v1/models (2 steps, tiny SDXL)
    ids = [upload(client, (200, 200, 190)), upload(client, (30, 40, 90))]
    csv = "image,caption\n" + "".join(f"{i},a {c} denim jacket, front\n"
                                      for i, c in zip(ids, ("white", "navy"), strict=True))
    product = train(client, {"kind": "product", "name": "jacket", "csv": csv})
    concept = train(client, {"kind": "concept", "name": "wash", "csv": csv,
                             "token": "<denim-wash>", "initializer": "jeans"})
    assert (product["kind"], concept["kind"], concept["token"]) == ("product", "concept",
                                                                    "<denim-wash>")

    # When a generation uses both, with weights
    both = [{"model_id": product["id"], "weight": 0.9}, {"model_id": concept["id"]}]
    job = generate(client, prompt="a linen dress", adapters=both)

    # Then it succeeds, naming them
    assert job["result"]["adapters"] == [product["id"], concept["id"]]
    image = fetch(client, job["result"]["images"][0])
    # ...and the concept's token reached the prompt: the same image as with the token
    # written in, unlike the product LoRA alone (up to CPU float noise between runs)
    written = generate(client, prompt="<denim-wash>, a linen dress", adapters=both)
    assert max_difference(fetch(client, written["result"]["images"][0]), image) <= 2
    alone = generate(client, prompt="a linen dress", adapters=both[:1])
    assert max_difference(fetch(client, alone["result"]["images"][0]), image) > 2
