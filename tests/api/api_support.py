"""Support for API tests: a fake model runtime, images, settings, polling helpers."""

from __future__ import annotations

import base64
import io
import time
from typing import TYPE_CHECKING, Any

from PIL import Image

from api.domain.errors import ModelInputRejected
from api.domain.job_data import AsyncSubmission
from api.domain.outcomes import OutputReady
from api.ports import Verdict
from api.settings import Settings

if TYPE_CHECKING:
    from pathlib import Path

    from fastapi.testclient import TestClient

    from api.domain.outcomes import JobRef
    from api.ports import OutcomeSink

KEY_A, KEY_B = "key-a-0123456789", "key-b-0123456789"
TENANT_A, TENANT_B = "tenant-a", "tenant-b"
A = {"x-api-key": KEY_A}
B = {"x-api-key": KEY_B}
PROBLEM = "https://vitrine.dev/problems/"


def png(width: int = 32, height: int = 24, color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, format="PNG")
    return out.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def decode_png(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    assert img.format == "PNG"
    img.load()
    return img


class FakeRuntime:
    """A ``ModelRuntime`` answering in the containers' JSON contracts with real PNGs.

    Set ``error`` to make every call raise it; ``coverage`` is what CLIPSeg masks cover.
    ``submit_async`` delivers its output at once, as the in-process runtime does, to the
    sink the local wiring hands ``bind``.
    """

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.error: Exception | None = None
        self.coverage = 0.25
        self.deliver: OutcomeSink | None = None

    def bind(self, deliver: OutcomeSink) -> FakeRuntime:
        """The local wiring's runtime factory: this fake, delivering to ``deliver``."""
        self.deliver = deliver
        return self

    def invoke(
        self, model: str, payload: dict[str, Any], *, target_model: str | None = None
    ) -> dict[str, Any]:
        self.calls.append((model, payload))
        if self.error is not None:
            raise self.error
        width, height = Image.open(io.BytesIO(base64.b64decode(payload["image"]))).size
        if model == "clipseg":
            masks = [
                {"prompt": p, "mask": b64(self._mask(width, height)), "coverage": self.coverage}
                for p in payload["prompts"]
            ]
            return {"width": width, "height": height, "masks": masks}
        if model == "blip2":
            answers = {"fabric": "cotton", "color": "navy blue", "product_type": "shirt"}
            return {"answers": {q: answers.get(q, f"some {q}") for q in payload["questions"]}}
        raise ModelInputRejected(f"unknown model {model}")

    def submit_async(self, model: str, payload: dict[str, Any], *, job: JobRef) -> AsyncSubmission:
        self.calls.append((model, payload))
        if self.error is not None:
            raise self.error
        width, height = Image.open(io.BytesIO(base64.b64decode(payload["image"]))).size
        images = [
            b64(png(width, height, (i * 40 % 256, payload["seed"] % 256, 90)))
            for i in range(payload["num_images"])
        ]
        # As the container answers: full-size images and the mask it blended through.
        output = {"images": images, "mask": payload["mask"], "seed": payload["seed"],
                  "width": width, "height": height}
        assert self.deliver is not None, "bind the fake to an outcome sink"
        self.deliver(OutputReady(job, output))
        return AsyncSubmission(inference_id=job.job_id)

    def models_called(self) -> list[str]:
        return [model for model, _ in self.calls]

    def _mask(self, width: int, height: int) -> bytes:
        mask = Image.new("L", (width, height), 0)
        if self.coverage > 0:
            mask.paste(255, (0, 0, width, max(1, int(height * self.coverage))))
        out = io.BytesIO()
        mask.save(out, format="PNG")
        return out.getvalue()


class FlagSecondImage:
    """A moderator that lets text through and withholds every second image, for ``reasons``."""

    def __init__(self, reasons: tuple[str, ...] = ("test",)) -> None:
        self.reasons = list(reasons)
        self.seen = 0

    def check_text(self, text: str) -> Verdict:
        return Verdict(flagged=False)

    def check_image(self, data: bytes) -> Verdict:
        self.seen += 1
        flagged = self.seen % 2 == 0
        return Verdict(flagged=flagged, reasons=self.reasons if flagged else [])


# A Standard Webhooks secret: ``whsec_`` and the base64 of the key.
WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"vitrine-tests-webhook-key-32-byt").decode()


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "profile": "local",
        "data_dir": tmp_path / "data",
        "models_dir": tmp_path / "models",
        "api_keys": f"{KEY_A}:{TENANT_A},{KEY_B}:{TENANT_B}",
        "public_base_url": "http://testserver",
        "webhook_backoff_seconds": 0.0,
        "webhook_timeout_seconds": 2.0,
        "webhook_allow_loopback": True,
        "webhook_secret": WEBHOOK_SECRET,
        "worker_threads": 2,
        # Explicit, as a deployment sets them (tests/api/test_secrets.py: the generated ones).
        "url_signing_secret": "test-url-signing-secret-0123456789abcdef",
    }
    values.update(overrides)
    return Settings(**values)


def wait_for_job(client: TestClient, location: str, headers: dict[str, str]) -> dict[str, Any]:
    """Poll the job until it ends (the in-process worker runs it on a thread)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(location, headers=headers).json()
        if body["status"] in ("succeeded", "failed", "canceled"):
            return body
        time.sleep(0.02)
    raise AssertionError(f"job at {location} did not finish")


def problem_type(response: Any) -> str:
    assert response.headers["content-type"].startswith("application/problem+json")
    return str(response.json()["type"]).removeprefix(PROBLEM)
