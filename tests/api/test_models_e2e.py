"""Tenant models (``/v1/models``) end to end on the local profile: real ``train.py`` in
child processes on tiny models.

A style model: captioned uploads → checks → a 2-step DreamBooth-LoRA on the tiny SD 2
inpainting base → ready, with the contract's result (kind, token, base, figures) on its
training job → listed by kind → another tenant sees nothing of it → delete removes the
adapter and the training set. Bad sets are refused with a 422 before anything is stored.
Avatars are the same family: one created through ``/v1/models`` is the avatar of
``/v1/avatar-models``.
"""

from __future__ import annotations

import base64
import io
import json
import time
from typing import TYPE_CHECKING, Any

import pytest
from api_support import TENANT_A, A, B, make_settings, problem_type
from fastapi.testclient import TestClient
from PIL import Image

from api.adapters.local.wiring import build
from api.app import create_app

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from api.settings import Settings

pytestmark = pytest.mark.slow

MODELS = "/v1/models"


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models folder holding the tiny inpainting base, as ``models/inpainting``."""
    from model_artifacts.tiny import inpainting

    out = tmp_path_factory.mktemp("models")
    inpainting.build(out / "inpainting")
    return out


@pytest.fixture
def settings(tmp_path: Path, models_dir: Path) -> Settings:
    return make_settings(
        tmp_path, models_dir=models_dir, style_train_steps=2, style_resolution=64,
        model_min_images=2, model_min_image_side=32, worker_threads=1, avatar_min_photos=2,
        avatar_min_photo_side=32,
    )  # fmt: skip


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    container = build(settings)  # the real training launcher (child processes)
    try:
        with TestClient(create_app(settings, container), raise_server_exceptions=False) as test:
            yield test
    finally:
        container.close()


def upload(client: TestClient, rgb: tuple[int, int, int], size: tuple[int, int] = (72, 64)) -> str:
    out = io.BytesIO()
    Image.new("RGB", size, rgb).save(out, format="PNG")
    data = out.getvalue()
    created = client.post("/v1/uploads", json={"content_type": "image/png",
                                               "size_bytes": len(data)}, headers=A).json()
    target = created["upload"]
    assert client.put(target["url"], content=data, headers=target["headers"]).status_code == 204
    return str(created["upload_id"])


def poll(client: TestClient, path: str) -> dict[str, Any]:
    deadline = time.monotonic() + 240  # the child imports torch and diffusers: seconds
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(path, headers=A).json()
        if body["status"] in ("ready", "failed", "canceled"):
            return body
        time.sleep(0.2)
    raise AssertionError(f"{path} did not finish")


def try_on(client: TestClient, style: str | None, *, headers: dict[str, str] = A,
           expect: int = 202) -> bytes | None:
    """A 64 px try-on with a fixed seed and mask; the output image's bytes."""
    def b64(image: Image.Image) -> str:
        out = io.BytesIO()
        image.save(out, format="PNG")
        return base64.b64encode(out.getvalue()).decode()

    mask = Image.new("L", (64, 64), 0)
    mask.paste(255, (16, 16, 48, 48))
    body: dict[str, Any] = {
        "image": {"base64": b64(Image.new("RGB", (64, 64), (120, 90, 60)))},
        "mask": {"base64": b64(mask)}, "garment_prompt": "a long summer skirt",
        "seed": 7, "steps": 2}  # fmt: skip
    if style:
        body["style_model_id"] = style
    resp = client.post("/v1/try-ons", json=body, headers=headers)
    assert resp.status_code == expect, resp.text
    if expect != 202:
        return None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = client.get(resp.headers["location"], headers=headers).json()
        if job["status"] in ("succeeded", "failed"):
            break
        time.sleep(0.2)
    assert job["status"] == "succeeded", job
    return client.get(job["result"]["images"][0]["url"]).content


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_train_list_isolate_and_delete_a_style_model(
    client: TestClient, settings: Settings
) -> None:
    # Given two captioned skirts, one by upload in a JSONL text
    first, second = upload(client, (200, 40, 40)), upload(client, (40, 40, 200))
    jsonl = "\n".join(json.dumps({"image": u, "caption": f"a long {c} chiffon summer skirt"})
                      for u, c in ((first, "red"), (second, "blue")))

    # When a style model is asked for
    resp = client.post(MODELS, json={"kind": "style", "name": "summer skirts",
                                     "class_name": "skirt", "jsonl": jsonl}, headers=A)

    # Then it trains (train.py in a child process, 2 steps) and is ready
    assert resp.status_code == 202, resp.text
    model_id = resp.json()["id"]
    assert model_id.startswith("sty_") and resp.headers["location"] == f"{MODELS}/{model_id}"
    assert (resp.json()["kind"], resp.json()["images"]) == ("style", 2)
    model = poll(client, resp.headers["location"])
    assert model["status"] == "ready", model
    assert model["token"] == "sks" and model["base"] == settings.style_base_model_id
    training = model["training"]
    assert training["steps"] == 2 and len(training["loss_curve"]) == 2
    assert training["adapter_bytes"] > 0 and training["seconds"] > 0
    # ...its training job carries the contract's result
    job = client.get(f"/v1/jobs/{model_id}", headers=A).json()
    assert job["kind"] == "style_training" and job["status"] == "succeeded"
    result = job["result"]
    assert (result["kind"], result["token"], result["adapter_type"]) == ("style", "sks", "lora")
    assert result["base"] == settings.style_base_model_id
    assert result["metadata"]["steps"] == 2 and result["metadata"]["kind"] == "style"
    # ...and the adapter sits under the model's prefix in artifacts
    artifacts = settings.data_dir / "artifacts" / TENANT_A / "models" / model_id
    names = {p.name for p in files_under(artifacts)}
    assert {"pytorch_lora_weights.safetensors", "model.json"} <= names

    # Listed by kind, and with every kind
    assert [m["id"] for m in client.get(f"{MODELS}?kind=style", headers=A).json()["data"]] == [
        model_id]
    assert client.get(f"{MODELS}?kind=concept", headers=A).json()["count"] == 0
    assert [m["id"] for m in client.get(MODELS, headers=A).json()["data"]] == [model_id]

    # Another tenant sees nothing of it
    assert client.get(f"{MODELS}/{model_id}", headers=B).status_code == 404
    assert client.delete(f"{MODELS}/{model_id}", headers=B).status_code == 404
    assert client.get(f"/v1/jobs/{model_id}", headers=B).status_code == 404
    assert client.get(MODELS, headers=B).json()["count"] == 0

    # A try-on in that style differs from the plain one (same seed, photo and mask);
    # another tenant cannot use it
    plain, styled = try_on(client, None), try_on(client, model_id)
    assert plain != styled and try_on(client, None) == plain  # deterministic: the style did it
    assert try_on(client, model_id, headers=B, expect=404) is None

    # Delete removes the adapter and the training set, then the record
    uploads = settings.data_dir / "uploads" / TENANT_A / "models" / model_id
    assert files_under(uploads)
    assert client.delete(f"{MODELS}/{model_id}", headers=A).status_code == 204
    assert files_under(artifacts) == [] and files_under(uploads) == []
    assert client.get(f"{MODELS}/{model_id}", headers=A).status_code == 404


def test_bad_sets_are_refused_before_anything_is_stored(
    client: TestClient, settings: Settings
) -> None:
    small = upload(client, (10, 10, 10), size=(16, 16))
    good = upload(client, (90, 90, 90))
    bodies = [
        # an image below the minimum side, a caption longer than CLIP reads
        {"kind": "product", "name": "x", "images": [
            {"image": {"upload_id": small}, "caption": "a shirt"},
            {"image": {"upload_id": good}, "caption": "shirt " * 61}]},
        # too few images
        {"kind": "concept", "name": "x", "csv": f"image,caption\n{good},a denim jacket\n"},
        # a CSV without a caption column
        {"kind": "product", "name": "x", "csv": f"image,label\n{good},shirt\n{good},shirt\n"},
        # an unknown upload
        {"kind": "style", "name": "x", "csv": f"image,caption\n{good},a skirt\nupl_nope,a skirt\n"},
        # a concept token that is not <lowercase-words>
        {"kind": "concept", "name": "x", "token": "denim",
         "csv": f"image,caption\n{good},a jacket\n{good},a jacket\n"},
        # two sources at once
        {"kind": "product", "name": "x", "csv": "image,caption\n", "jsonl": ""},
    ]
    for body in bodies:
        resp = client.post(MODELS, json=body, headers=A)
        assert resp.status_code in (404, 422), (body, resp.text)
        assert resp.headers["content-type"] == "application/problem+json"
    first = client.post(MODELS, json=bodies[0], headers=A)
    assert problem_type(first) == "validation-error"
    detail = first.json()["detail"]
    assert "16x16 is smaller than 32 px" in detail and "caption over 60 words" in detail
    # Nothing was stored, no model recorded
    assert files_under(settings.data_dir / "uploads" / TENANT_A / "models") == []
    assert client.get(MODELS, headers=A).json()["count"] == 0


def test_an_avatar_is_a_model_of_kind_avatar(client: TestClient) -> None:
    # Given an avatar asked for through /v1/models
    photos = [{"upload_id": upload(client, (n * 20, 50, 50))} for n in range(2)]
    resp = client.post(MODELS, json={"kind": "avatar", "name": "Ana", "subject_class": "woman",
                                     "photos": photos}, headers=A)
    assert resp.status_code == 202, resp.text
    avatar_id = resp.json()["id"]

    # Then it is the avatar of /v1/avatar-models, shown in the family with kind avatar
    assert avatar_id.startswith("avt_") and resp.json()["kind"] == "avatar"
    assert client.get(f"/v1/avatar-models/{avatar_id}", headers=A).json()["id"] == avatar_id
    model = client.get(f"{MODELS}/{avatar_id}", headers=A).json()
    assert (model["kind"], model["token"], model["images"]) == ("avatar", "sks", 2)
    assert model["links"]["generations"] == f"/v1/avatar-models/{avatar_id}/generations"
    assert [m["id"] for m in client.get(f"{MODELS}?kind=avatar", headers=A).json()["data"]] == [
        avatar_id]
    assert client.get(f"{MODELS}/{avatar_id}", headers=B).status_code == 404
    # ...which is no style for a try-on (422); an unknown id is 404
    assert try_on(client, avatar_id, expect=422) is None
    assert try_on(client, "sty_unknown", expect=404) is None
    # ...and deleting it there deletes the avatar
    assert client.delete(f"{MODELS}/{avatar_id}", headers=A).status_code == 204
    assert client.get(f"/v1/avatar-models/{avatar_id}", headers=A).status_code == 404


@pytest.fixture
def sdxl_client(tmp_path: Path) -> Iterator[TestClient]:
    """The local profile with the tiny SDXL base at ``models/generation``."""
    from model_artifacts.tiny import sdxl

    models = tmp_path / "models"
    sdxl.build(models / "generation")
    settings = make_settings(
        tmp_path, models_dir=models, product_train_steps=2, product_resolution=64,
        concept_train_steps=2, concept_resolution=64, model_min_images=2,
        model_min_image_side=32, worker_threads=1,
    )  # fmt: skip
    container = build(settings)
    try:
        with TestClient(create_app(settings, container), raise_server_exceptions=False) as test:
            yield test
    finally:
        container.close()


@pytest.mark.parametrize(
    ("kind", "extra", "adapter", "adapter_type"),
    [
        ("product", {}, "pytorch_lora_weights.safetensors", "lora"),
        ("concept", {"token": "<denim-wash>", "initializer": "jeans"},
         "learned_embeds.safetensors", "textual_inversion"),
    ],
)
def test_product_and_concept_models_train_on_the_sdxl_base(
    sdxl_client: TestClient, tmp_path: Path, kind: str, extra: dict[str, Any], adapter: str,
    adapter_type: str,
) -> None:
    # Given two catalog photos named in a CSV
    ids = [upload(sdxl_client, (200, 200, 190)), upload(sdxl_client, (30, 40, 90))]
    csv = "image,caption\n" + "".join(f"{i},a {c} denim jacket, front\n"
                                      for i, c in zip(ids, ("white", "navy"), strict=True))

    # When the model is asked for, it trains (its train.py, 2 steps) and is ready
    resp = sdxl_client.post(MODELS, json={"kind": kind, "name": "x", "csv": csv, **extra},
                            headers=A)
    assert resp.status_code == 202, resp.text
    model = poll(sdxl_client, resp.headers["location"])
    assert model["status"] == "ready", model
    job = sdxl_client.get(f"/v1/jobs/{model['id']}", headers=A).json()
    assert job["kind"] == f"{kind}_training"
    assert (job["result"]["kind"], job["result"]["adapter_type"]) == (kind, adapter_type)
    assert job["result"]["token"] == extra.get("token", "vtrprod")
    stored = tmp_path / "data" / "artifacts" / TENANT_A / "models" / model["id"] / adapter
    assert stored.stat().st_size == model["training"]["adapter_bytes"]
    # ...and is the caller's only
    assert sdxl_client.get(f"{MODELS}/{model['id']}", headers=B).status_code == 404
    assert sdxl_client.get(f"{MODELS}?kind={kind}", headers=B).json()["count"] == 0
