"""Try-on with a garment photo, a category, an output format and size variants."""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING, Any

import pytest
from api_support import TENANT_A, A, B, b64, make_settings, png, problem_type, wait_for_job
from fastapi.testclient import TestClient
from PIL import Image

from api.adapters.local.wiring import build
from api.app import create_app

if TYPE_CHECKING:
    from pathlib import Path

    from api_support import FakeRuntime

    from api.ports import Adapters

PHOTO = png(120, 160, (90, 120, 150))
GARMENT = png(48, 64, (20, 40, 200))


def post(client: TestClient, headers: dict[str, str] = A, **changes: Any) -> Any:
    body = {"image": {"base64": b64(PHOTO)}, **changes}
    return client.post("/v1/try-ons", json=body, headers=headers)


def run(client: TestClient, **changes: Any) -> dict[str, Any]:
    response = post(client, **changes)
    assert response.status_code == 202, response.text
    job = wait_for_job(client, response.headers["location"], A)
    assert job["status"] == "succeeded", job
    return job


def upload(client: TestClient, data: bytes, headers: dict[str, str] = A) -> str:
    created = client.post("/v1/uploads", json={"content_type": "image/png",
                                               "size_bytes": len(data)}, headers=headers)
    assert created.status_code == 201, created.text
    target = created.json()["upload"]
    assert client.put(target["url"], content=data, headers=target["headers"]).status_code == 204
    upload_id: str = created.json()["upload_id"]
    return upload_id


def test_a_garment_photo_alone_reaches_the_model(client: TestClient, runtime: FakeRuntime,
                                                 container: Adapters) -> None:
    job = run(client, garment_image={"base64": b64(GARMENT)}, garment_strength=0.4)
    model, payload = runtime.calls[-1]
    assert model == "inpainting"
    assert base64.b64decode(payload["garment_image"]) == GARMENT
    assert payload["garment_strength"] == 0.4
    assert "prompt" not in payload  # no words: the photo conditions the model alone
    # No words and category auto: CLIPSeg looks for all clothes.
    assert runtime.calls[0][1]["prompts"] == ["clothes"]
    record = container.jobs.get(TENANT_A, job["id"])
    assert record is not None and record.request["garment_key"].endswith("/garment.png")


def test_a_garment_upload_works_for_its_tenant_only(client: TestClient,
                                                    runtime: FakeRuntime) -> None:
    upload_id = upload(client, GARMENT)
    run(client, garment_image={"upload_id": upload_id}, garment_prompt="a blue shirt")
    assert base64.b64decode(runtime.calls[-1][1]["garment_image"]) == GARMENT
    assert runtime.calls[-1][1]["prompt"] == "a blue shirt"
    # Another tenant naming it gets exactly what an unknown upload gets.
    other = post(client, headers=B, garment_image={"upload_id": upload_id})
    unknown = post(client, headers=B, garment_image={"upload_id": "upl_" + "x" * 20})
    assert other.status_code == unknown.status_code == 422
    assert problem_type(other) == problem_type(unknown) == "unknown-upload"


@pytest.mark.parametrize(
    "bad",
    [
        b64(b"not an image at all"),
        "@@not-base64@@",
        b64(b"GIF89a" + b"\x00" * 32),
    ],
)
def test_a_bad_garment_image_gets_the_same_4xx_as_a_bad_photo(client: TestClient,
                                                              bad: str) -> None:
    as_photo = client.post("/v1/try-ons", json={"image": {"base64": bad},
                                                "garment_prompt": "a shirt"}, headers=A)
    as_garment = post(client, garment_image={"base64": bad})
    assert 400 <= as_garment.status_code < 500
    assert as_garment.status_code == as_photo.status_code
    assert problem_type(as_garment) == problem_type(as_photo)


def test_garment_prompt_or_image_is_required(client: TestClient) -> None:
    response = post(client)
    assert response.status_code == 422
    assert "garment_image" in response.text


@pytest.mark.parametrize(
    ("category", "prompt", "region"),
    [
        ("auto", "a red linen shirt", "shirt"),
        ("auto", "slim selvedge jeans", "pants"),
        ("auto", "a floral midi dress", "dress"),
        ("tops", "a floral midi dress", "upper body clothes"),
        ("bottoms", "something nice", "lower body clothes"),
        ("one-pieces", "a jumpsuit", "clothes"),
    ],
)
def test_category_picks_the_region_prompt(client: TestClient, runtime: FakeRuntime,
                                          category: str, prompt: str, region: str) -> None:
    run(client, garment_prompt=prompt, category=category)
    assert runtime.calls[0] == ("clipseg", runtime.calls[0][1])
    assert runtime.calls[0][1]["prompts"] == [region]


def test_an_unknown_category_is_422(client: TestClient) -> None:
    response = post(client, garment_prompt="a shirt", category="shoes")
    assert response.status_code == 422


@pytest.mark.parametrize(("fmt", "content_type", "pil_format"),
                         [("webp", "image/webp", "WEBP"), ("jpeg", "image/jpeg", "JPEG"),
                          ("png", "image/png", "PNG")])
def test_format_and_variants_are_stored_with_their_own_urls(
    client: TestClient, fmt: str, content_type: str, pil_format: str
) -> None:
    job = run(client, garment_prompt="a shirt", format=fmt, quality=80,
              variants=["thumbnail", "card"])
    result = job["result"]
    assert result["format"] == fmt
    assert (result["width"], result["height"]) == (120, 160)
    (image,) = result["images"]
    full = client.get(image["url"])
    assert full.status_code == 200 and full.headers["content-type"] == content_type
    opened = Image.open(io.BytesIO(full.content))
    assert (opened.format, opened.size) == (pil_format, (120, 160))
    assert set(image["variants"]) == {"thumbnail", "card"}
    urls = {image["url"], result["mask"]["url"]}
    for name, variant in image["variants"].items():
        fetched = client.get(variant["url"])
        assert fetched.status_code == 200 and fetched.headers["content-type"] == content_type
        size = Image.open(io.BytesIO(fetched.content)).size
        assert size == (variant["width"], variant["height"])
        # Test settings: thumbnail 256 px is above the 160 px image: never enlarged.
        assert max(size) <= 160, name
        urls.add(variant["url"])
    assert len(urls) == 4


def test_variant_sides_come_from_the_settings(tmp_path: Path, runtime: FakeRuntime) -> None:
    settings = make_settings(tmp_path, tryon_variant_thumbnail_side=40)
    adapters = build(settings, runtime=runtime.bind)
    try:
        with TestClient(create_app(settings, adapters)) as client:
            job = run(client, garment_prompt="a shirt", variants=["thumbnail"])
    finally:
        adapters.close()
    thumb = job["result"]["images"][0]["variants"]["thumbnail"]
    assert (thumb["width"], thumb["height"]) == (30, 40)


def test_the_mask_the_model_used_is_the_result_mask(client: TestClient,
                                                    runtime: FakeRuntime) -> None:
    job = run(client, garment_prompt="a shirt")
    sent = base64.b64decode(runtime.calls[-1][1]["mask"])
    assert client.get(job["result"]["mask"]["url"]).content == sent


def test_every_try_on_field_is_documented_with_an_example(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schema = spec["components"]["schemas"]["TryOnCreate"]["properties"]
    own = ("image", "garment_prompt", "garment_image", "garment_strength", "category",
           "mask_prompt", "mask", "format", "quality", "variants")
    for name in own:
        assert schema[name].get("examples"), name
        assert schema[name].get("description"), name
    assert schema["category"]["enum"] == ["auto", "tops", "bottoms", "one-pieces"]
    assert schema["format"]["enum"] == ["png", "jpeg", "webp"]
