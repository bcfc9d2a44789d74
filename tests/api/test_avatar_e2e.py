"""An avatar end to end on the local profile: real ``train.py``, real avatar handler.

Through the HTTP API and the in-process worker, on the tiny random-weight Stable
Diffusion base: 10 photos → a 2-step DreamBooth-LoRA training → the adapter served under
its multi-model endpoint name → 2 generated images → delete, and nothing is left.
"""

from __future__ import annotations

import io
import json
import math
import time
from typing import TYPE_CHECKING, Any

import pytest
from api_support import TENANT_A, A, b64, decode_png, make_settings
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw

from api.adapters.local.wiring import build
from api.app import create_app

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from api.settings import Settings

pytestmark = pytest.mark.slow

AVATARS = "/v1/avatar-models"
RESOLUTION = 32
ENDED = ("succeeded", "failed", "canceled")


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models folder holding only the tiny text-to-image base, as ``models/avatar``."""
    from model_artifacts.tiny import stable_diffusion

    out = tmp_path_factory.mktemp("models")
    stable_diffusion.build(out / "avatar")
    return out


@pytest.fixture
def settings(tmp_path: Path, models_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    settings = make_settings(
        tmp_path,
        models_dir=models_dir,
        avatar_train_steps=2,
        avatar_resolution=RESOLUTION,
        avatar_min_photo_side=32,
        avatar_photo_max_side=64,
        worker_threads=1,
    )
    # Local wiring hands the avatar handler its adapters dir (the container's env var,
    # replacing this placeholder); monkeypatch restores the environment after the test.
    monkeypatch.setenv("VITRINE_AVATAR_ADAPTERS_DIR", "/nonexistent-placeholder")
    return settings


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    container = build(settings)  # the real in-process runtime and training launcher
    try:
        with TestClient(create_app(settings, container), raise_server_exceptions=False) as test:
            yield test
    finally:
        container.close()


def subject_photo(index: int) -> bytes:
    """A 'person' (head and shoulders) that moves and changes shirt colour per photo."""
    img = Image.new("RGB", (48, 40), (225 - 3 * index, 230, 240))
    draw = ImageDraw.Draw(img)
    dx = index % 5 - 2
    draw.ellipse((18 + dx, 4, 30 + dx, 18), fill=(224, 172, 140))
    draw.rectangle((12 + dx, 18, 36 + dx, 40), fill=(40 + 18 * index, 60, 150))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def poll(client: TestClient, path: str, done: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    deadline = time.monotonic() + 240  # training imports torch and diffusers: seconds
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(path, headers=A).json()
        if done(body):
            return body
        time.sleep(0.1)
    raise AssertionError(f"{path} did not finish")


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_train_generate_and_delete_an_avatar(client: TestClient, settings: Settings) -> None:
    # Given 10 photos of one subject, when an avatar is requested
    photos = [{"base64": b64(subject_photo(i))} for i in range(10)]
    resp = client.post(
        AVATARS, json={"name": "Sam", "subject_class": "person", "photos": photos}, headers=A
    )
    assert resp.status_code == 202, resp.text
    avatar_id = resp.json()["id"]

    # Then train.py trains it for 2 steps, and its figures are on the avatar
    avatar = poll(client, resp.headers["location"], lambda b: b["status"] in ("ready", "failed"))
    assert avatar["status"] == "ready", avatar
    training = avatar["training"]
    assert (training["steps"], training["resolution"]) == (2, RESOLUTION)
    assert len(training["loss_curve"]) == 2
    assert all(math.isfinite(loss) and loss > 0 for loss in training["loss_curve"])
    artifacts = settings.data_dir / "artifacts"
    adapter = artifacts / TENANT_A / "avatars" / avatar_id / "pytorch_lora_weights.safetensors"
    assert training["adapter_bytes"] == adapter.stat().st_size > 0
    metadata = json.loads((adapter.parent / "avatar.json").read_text())
    assert metadata["instance_prompt"] == "a photo of sks person"
    assert metadata["photo_count"] == 10

    # When two images are generated with a seed, twice
    def generate() -> list[bytes]:
        gen = client.post(
            f"{AVATARS}/{avatar_id}/generations",
            json={"prompt": "sks person on a beach", "n": 2, "seed": 3, "steps": 2},
            headers=A,
        )
        assert gen.status_code == 202, gen.text
        job = poll(client, gen.headers["location"], lambda b: b["status"] in ENDED)
        assert job["status"] == "succeeded", job
        assert job["result"]["seed"] == 3
        return [client.get(image["url"]).content for image in job["result"]["images"]]

    first, again = generate(), generate()

    # Then they are PNGs at the trained resolution, reproducible from the seed
    assert [decode_png(data).size for data in first] == [(RESOLUTION, RESOLUTION)] * 2
    assert first == again
    assert first[0] != first[1]  # two samples, not one image twice

    # When the avatar is deleted, then nothing of it is left on disk
    assert client.delete(f"{AVATARS}/{avatar_id}", headers=A).status_code == 204
    assert files_under(artifacts) == []
    assert files_under(settings.data_dir / "uploads" / TENANT_A / "avatars") == []
    assert files_under(settings.data_dir / "results" / TENANT_A / "avatars") == []
    assert client.get(f"{AVATARS}/{avatar_id}", headers=A).status_code == 404
