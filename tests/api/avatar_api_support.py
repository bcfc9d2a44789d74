"""Support for the avatar API tests: fakes for the model and training, fixtures, helpers.

A test module imports the fixtures to use them (pytest finds fixtures in its namespace);
``settings`` and ``runtime`` then override ``conftest.py``'s for that module.
"""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from api_support import A, FakeRuntime, b64, make_settings, png, wait_for_job
from PIL import Image

from api.adapters.local.training import LocalTrainingLauncher

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from api.ports import TrainingSpec
    from api.settings import Settings

AVATARS = "/v1/avatar-models"


class FakeAvatarRuntime(FakeRuntime):
    """The fake runtime, also answering ``avatar`` requests with real PNGs."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str | None] = []

    def invoke(
        self, model: str, payload: dict[str, Any], *, target_model: str | None = None
    ) -> dict[str, Any]:
        if model != "avatar":
            return super().invoke(model, payload, target_model=target_model)
        self.calls.append((model, payload))
        self.targets.append(target_model)
        if self.error is not None:
            raise self.error
        images = [b64(png(16, 16, (i * 60, 10, 200))) for i in range(payload["num_images"])]
        return {"images": images, "seed": payload["seed"]}


class FakeTrainer:
    """Stands in for ``train.py``: reads its arguments, writes an adapter and metadata."""

    def __init__(self) -> None:
        self.argvs: list[dict[str, str]] = []
        self.photo_names: list[list[str]] = []
        self.error: Exception | None = None
        self.started = threading.Event()
        self.release: threading.Event | None = None  # set: block until released
        self.overrides: dict[str, Any] = {}  # merged into the metadata it returns

    def __call__(self, argv: list[str]) -> dict[str, Any]:
        args = dict(zip(argv[::2], argv[1::2], strict=True))
        self.argvs.append(args)
        self.photo_names.append(sorted(p.name for p in Path(args["--instance_data_dir"]).iterdir()))
        self.started.set()
        if self.release is not None:
            assert self.release.wait(10)
        if self.error is not None:
            raise self.error
        steps = int(args["--max_train_steps"])
        metadata = {
            "instance_prompt": args["--instance_prompt"],
            "steps": steps,
            "loss_curve": [round(0.5 - 0.1 * i, 6) for i in range(steps)],
            "final_loss": round(0.5 - 0.1 * (steps - 1), 6),
            "adapter_bytes": 9,
            "seconds": 0.01,
            **self.overrides,
        }
        out = Path(args["--output_dir"])
        out.mkdir(parents=True, exist_ok=True)
        (out / "pytorch_lora_weights.safetensors").write_bytes(b"fake-lora")
        (out / "avatar.json").write_text(json.dumps(metadata))
        return metadata


class PendingLauncher:
    """A launcher whose training completes elsewhere (SageMaker): no outcome arrives."""

    def __init__(self) -> None:
        self.launched: list[TrainingSpec] = []
        self.stopped: list[TrainingSpec] = []

    def launch(self, spec: TrainingSpec) -> None:
        self.launched.append(spec)

    def stop(self, spec: TrainingSpec) -> None:
        self.stopped.append(spec)


@pytest.fixture(name="settings")
def avatar_settings(tmp_path: Path) -> Settings:
    """Small photos pass; training is 3 (fake) steps."""
    return make_settings(
        tmp_path, avatar_min_photo_side=32, avatar_photo_max_side=64, avatar_train_steps=3
    )


@pytest.fixture(name="runtime")
def avatar_runtime() -> FakeAvatarRuntime:
    return FakeAvatarRuntime()


@pytest.fixture(name="trainer")
def fake_trainer(settings: Settings) -> FakeTrainer:
    """``FakeTrainer`` as train.py, on a stand-in base; the ``training`` fixture puts it in
    the real local launcher whenever a test asks for ``trainer``."""
    base = settings.models_dir / "avatar"
    base.mkdir(parents=True)
    (base / "model_index.json").write_text("{}")
    return FakeTrainer()


@pytest.fixture(name="training")
def avatar_training(request: pytest.FixtureRequest, settings: Settings) -> Any:
    """The local launcher's factory: with ``FakeTrainer`` when the test uses ``trainer``,
    else ``None`` (the wiring's own launcher)."""
    if "trainer" not in request.fixturenames:
        return None
    fake: FakeTrainer = request.getfixturevalue("trainer")

    def launcher(uploads: Any, artifacts: Any, deliver: Any) -> LocalTrainingLauncher:
        return LocalTrainingLauncher(
            uploads=uploads,
            artifacts=artifacts,
            models_dir=settings.models_dir,
            deliver=deliver,
            trainer=fake,
        )

    return launcher


def pending(launcher: PendingLauncher) -> Any:
    """A ``training`` factory for a launcher that never reports back (SageMaker's)."""
    return lambda uploads, artifacts, deliver: launcher


def photo(index: int, size: tuple[int, int] = (48, 40)) -> bytes:
    """One photo of the 'subject': a square that moves and changes shade per photo."""
    img = Image.new("RGB", size, (240, 235, 225))
    img.paste((30 + 20 * index, 80, 120), (4 + index, 6, 24 + index, 30))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def photos(count: int = 10) -> list[dict[str, str]]:
    return [{"base64": b64(photo(i))} for i in range(count)]


def create(client: TestClient, headers: dict[str, str] = A, **fields: Any) -> Any:
    body = {"name": "Ana", "subject_class": "woman", "photos": photos(), **fields}
    return client.post(AVATARS, json=body, headers=headers)


def wait_ready(client: TestClient, avatar_id: str, headers: dict[str, str] = A) -> dict[str, Any]:
    job = wait_for_job(client, f"/v1/jobs/{avatar_id}", headers)
    assert job["status"] == "succeeded", job
    body: dict[str, Any] = client.get(f"{AVATARS}/{avatar_id}", headers=headers).json()
    return body


def trained(client: TestClient, **fields: Any) -> str:
    """The id of a new avatar, once its training succeeded."""
    avatar_id: str = create(client, **fields).json()["id"]
    wait_ready(client, avatar_id)
    return avatar_id


def generate(client: TestClient, avatar_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Request a generation and wait for its job to end."""
    resp = client.post(f"{AVATARS}/{avatar_id}/generations", json=body, headers=A)
    assert resp.status_code == 202, resp.text
    return wait_for_job(client, resp.headers["location"], A)


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def data(settings: Settings, store: str) -> Path:
    return settings.data_dir / store
