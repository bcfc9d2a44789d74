"""Bad input gets a precise 4xx problem, never a 500, and never leaves a job behind."""

from __future__ import annotations

import base64
import io
import struct
import zlib
from typing import TYPE_CHECKING, Any

import pytest
from api_support import TENANT_A, A, b64, png, problem_type
from PIL import Image

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from api.ports import Adapters
    from api.settings import Settings


def png_claiming(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 32)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def encoded(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (1, 2, 3)).save(out, format=fmt)
    return out.getvalue()


def try_on(**changes: Any) -> dict[str, Any]:
    return {"image": {"base64": b64(png())}, "garment_prompt": "a red linen shirt", **changes}


def image(data: bytes) -> dict[str, str]:
    return {"base64": base64.b64encode(data).decode()}


CASES: list[tuple[str, dict[str, Any], int, str]] = [
    ("not an image", try_on(image=image(b"just some text, no pixels")), 422, "invalid-image"),
    ("invalid base64", try_on(image={"base64": "%%%not-base64%%%"}), 422, "invalid-base64"),
    ("truncated image", try_on(image=image(png(64, 64)[:120])), 422, "invalid-image"),
    (
        "decompression bomb",
        try_on(image=image(png_claiming(200_000, 200_000))),
        413,
        "image-too-many-pixels",
    ),
    (
        "pixels over the limit",
        try_on(image=image(png_claiming(5000, 5000))),
        413,
        "image-too-many-pixels",
    ),
    (
        "unsupported format GIF",
        try_on(image=image(encoded("GIF"))),
        415,
        "unsupported-image-format",
    ),
    (
        "unsupported format BMP",
        try_on(image=image(encoded("BMP"))),
        415,
        "unsupported-image-format",
    ),
    ("empty prompt", try_on(garment_prompt="   "), 422, "validation-error"),
    ("over-long prompt", try_on(garment_prompt="x" * 501), 422, "validation-error"),
    ("flagged prompt", try_on(garment_prompt="a naked torso"), 422, "content-flagged"),
    ("n out of range (schema)", try_on(n=0), 422, "validation-error"),
    ("n over the deployment limit", try_on(n=5), 422, "validation-error"),
    ("steps out of range", try_on(steps=101), 422, "validation-error"),
    ("guidance out of range", try_on(guidance_scale=25), 422, "validation-error"),
    ("unknown upload id", try_on(image={"upload_id": "upl_" + "x" * 22}), 422, "unknown-upload"),
    ("malformed upload id", try_on(image={"upload_id": "../../etc"}), 422, "unknown-upload"),
    (
        "both image sources",
        try_on(image={"base64": "QUJD", "upload_id": "upl_x"}),
        422,
        "validation-error",
    ),
    (
        "mask and mask prompt",
        try_on(mask=image(png()), mask_prompt="shirt"),
        422,
        "validation-error",
    ),
    ("mask of another size", try_on(mask=image(png(10, 10))), 422, "validation-error"),
    ("bad callback URL", try_on(callback_url="http://example.com/hook"), 422, "validation-error"),
    ("unknown field", try_on(colour="red"), 422, "validation-error"),
]


@pytest.mark.parametrize(("name", "body", "status", "slug"), CASES, ids=[c[0] for c in CASES])
def test_bad_try_on_input(
    client: TestClient,
    container: Adapters,
    name: str,
    body: dict[str, Any],
    status: int,
    slug: str,
) -> None:
    response = client.post("/v1/try-ons", json=body, headers=A)
    assert response.status_code == status, response.text
    assert problem_type(response) == slug
    assert container.jobs.list(TENANT_A) == []
    assert not (container.uploads.root / TENANT_A / "jobs").exists()  # type: ignore[attr-defined]


def test_bytes_over_the_inline_limit(
    client: TestClient, container: Adapters, settings: Settings
) -> None:
    limit = settings.max_inline_image_bytes
    big = b64(b"\xff\xd8\xff" + b"\0" * (limit + 10))
    response = client.post("/v1/try-ons", json=try_on(image={"base64": big}), headers=A)
    assert response.status_code == 413 and problem_type(response) == "image-too-large"
    assert container.jobs.list(TENANT_A) == []


def test_malformed_json(client: TestClient, container: Adapters) -> None:
    response = client.post(
        "/v1/try-ons",
        content=b'{"garment_prompt": ',
        headers={**A, "content-type": "application/json"},
    )
    assert response.status_code == 400 and problem_type(response) == "malformed-json"
    assert container.jobs.list(TENANT_A) == []


def test_body_over_the_api_limit(client: TestClient) -> None:
    response = client.post(
        "/v1/segmentations",
        content=b"x" * (6 * 1024 * 1024 + 1),
        headers={**A, "content-type": "application/json"},
    )
    assert response.status_code == 413 and problem_type(response) == "payload-too-large"


@pytest.mark.parametrize(
    ("body", "slug"),
    [
        ({"prompts": []}, "validation-error"),
        ({"prompts": ["a"] * 9}, "validation-error"),
        ({"prompts": ["ok", ""]}, "validation-error"),
        ({"prompts": ["shirt"], "threshold": 1.5}, "validation-error"),
        ({"prompts": ["shirt"], "response_format": "tiff"}, "validation-error"),
    ],
)
def test_bad_segmentation_input(client: TestClient, body: dict[str, Any], slug: str) -> None:
    response = client.post(
        "/v1/segmentations", json={"image": {"base64": b64(png())}, **body}, headers=A
    )
    assert response.status_code == 422 and problem_type(response) == slug


@pytest.mark.parametrize(
    "body",
    [
        {"product_type": "shirt", "attributes": {"Bad Name": "x"}},
        {"product_type": "shirt", "attributes": {"color": "x" * 201}},
        {"product_type": "shirt", "attributes": {f"a{i}": "x" for i in range(25)}},
        {"product_type": "shirt", "tone": "sarcastic"},
        {"product_type": "shirt", "length": "epic"},
        {"product_type": "shirt", "language": "english"},
        {"product_type": ""},
    ],
)
def test_bad_description_input(client: TestClient, body: dict[str, Any]) -> None:
    response = client.post("/v1/descriptions", json=body, headers=A)
    assert response.status_code == 422 and problem_type(response) == "validation-error"
