"""Real-time model calls never carry more than InvokeEndpoint's 6 MB (issue 15, item 6):
a large upload is downscaled to the model's working size before it is base64-inlined,
and the masks come back at the client's image size."""

from __future__ import annotations

import base64
import io
import json
import os
from typing import Any

import pytest
from PIL import Image

from api.domain.commands import AttributesCommand, ImageSource, SegmentationCommand
from api.ports import Verdict
from api.services.attributes import ExtractAttributes
from api.services.images import ImageLoader, upload_key
from api.services.model_inputs import INVOKE_BODY_LIMIT, MODEL_MAX_SIDE, for_model, mask_at
from api.services.outputs import ResultImages
from api.services.prompts import PromptGate
from api.services.segmentation import Segment
from api.services.taxonomies import Taxonomies
from api.settings import Settings

TENANT, UPLOAD = "tenant1", "upl_" + "a" * 20


class Store:
    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}

    def get(self, key: str) -> bytes:
        return self.objects[key]

    def put(self, key: str, data: bytes, content_type: str | None = None) -> None:
        self.objects[key] = data


class Clean:
    def check_text(self, text: str) -> Verdict:
        return Verdict(flagged=False)

    def check_image(self, data: bytes) -> Verdict:
        return Verdict(flagged=False)


class Runtime:
    """A real-time endpoint that refuses bodies over the limit, as SageMaker does."""

    def __init__(self) -> None:
        self.bodies: list[int] = []
        self.sizes: list[tuple[int, int]] = []

    def invoke(self, model: str, payload: dict[str, Any]) -> dict[str, Any]:
        body = len(json.dumps(payload).encode())
        self.bodies.append(body)
        assert body <= INVOKE_BODY_LIMIT, f"{model}: {body} bytes"
        with Image.open(io.BytesIO(base64.b64decode(payload["image"]))) as img:
            size = img.size
        self.sizes.append(size)
        if model == "clipseg":
            mask = io.BytesIO()
            Image.new("L", size, 255).save(mask, format="PNG")
            encoded = base64.b64encode(mask.getvalue()).decode()
            masks = [{"mask": encoded, "coverage": 1.0} for _ in payload["prompts"]]
            return {"width": size[0], "height": size[1], "masks": masks}
        return {"answers": {name: "cotton" for name in payload["questions"]},
                "confidence": dict.fromkeys(payload["questions"], 0.5)}


@pytest.fixture(scope="module")
def large_upload() -> tuple[bytes, tuple[int, int]]:
    """A noisy photo: 3600 x 2700 px, well over 4.5 MB (its base64 alone passes 6 MB)."""
    size = (3600, 2700)
    noise = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    out = io.BytesIO()
    noise.save(out, format="JPEG", quality=85)
    data = out.getvalue()
    assert 4_700_000 < len(data) < 15_000_000
    assert len(base64.b64encode(data)) > INVOKE_BODY_LIMIT
    return data, size


def _services(data: bytes) -> tuple[Runtime, Segment, ExtractAttributes]:
    uploads = Store()
    uploads.put(upload_key(TENANT, UPLOAD), data)
    settings = Settings()
    images = ImageLoader(uploads=uploads, settings=settings)  # type: ignore[arg-type]
    runtime = Runtime()
    segment = Segment(
        runtime=runtime,  # type: ignore[arg-type]
        images=images,
        prompts=PromptGate(moderator=Clean(), max_chars=500),  # type: ignore[arg-type]
        outputs=ResultImages(results=Store(), moderator=Clean(), url_ttl_seconds=60),  # type: ignore[arg-type]
    )
    taxonomies = Taxonomies(store=None)  # type: ignore[arg-type]  # no taxonomy is named
    attributes = ExtractAttributes(
        runtime=runtime,  # type: ignore[arg-type]
        images=images,
        taxonomies=taxonomies,
        jobs=None,  # type: ignore[arg-type]  # no model is named
    )
    return runtime, segment, attributes


def test_a_large_upload_is_downscaled_for_segmentation(large_upload):
    data, size = large_upload
    runtime, segment, _ = _services(data)

    result = segment(TENANT, SegmentationCommand(
        image=ImageSource(upload_id=UPLOAD), prompts=("the shirt",), response_format="base64"))

    assert max(runtime.sizes[0]) == MODEL_MAX_SIDE
    assert runtime.bodies[0] < INVOKE_BODY_LIMIT / 3
    assert (result.width, result.height) == size
    (mask,) = result.masks
    assert mask.image.base64 is not None
    with Image.open(io.BytesIO(base64.b64decode(mask.image.base64))) as img:
        assert img.size == size  # the client's image size, not the model's


def test_a_large_upload_is_downscaled_for_attributes(large_upload):
    data, _ = large_upload
    runtime, _, attributes = _services(data)

    attributes(TENANT, AttributesCommand(image=ImageSource(upload_id=UPLOAD), product_type="shirt"))

    assert max(runtime.sizes[0]) == MODEL_MAX_SIDE
    assert runtime.bodies[0] < INVOKE_BODY_LIMIT / 3


def test_small_images_are_sent_as_they_are():
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (1, 2, 3)).save(out, format="PNG")
    sent = for_model(out.getvalue())
    assert sent.data == out.getvalue() and (sent.width, sent.height) == (640, 480)


def test_worst_case_png_at_the_working_size_fits_the_limit():
    """Incompressible RGBA at 1024 px: the largest body a downscaled image can make."""
    noise = Image.frombytes("RGBA", (2048, 1536), os.urandom(2048 * 1536 * 4))
    out = io.BytesIO()
    noise.save(out, format="PNG")
    sent = for_model(out.getvalue())
    assert len(json.dumps({"image": sent.b64(), "prompts": ["x"] * 8})) < INVOKE_BODY_LIMIT


def test_masks_keep_their_size_when_it_already_matches():
    out = io.BytesIO()
    Image.new("L", (10, 20), 0).save(out, format="PNG")
    assert mask_at(out.getvalue(), (10, 20)) == out.getvalue()
