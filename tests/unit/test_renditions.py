"""Output renditions: format, quality and size variants of a model's PNG."""

from __future__ import annotations

import io

import pytest
from image_factory import encode
from PIL import Image

from api.services.renditions import render
from api.services.try_on import CATEGORY_REGIONS, region_prompt

SIDES = {"thumbnail": 64, "card": 200, "detail": 1600}


def photo(width: int = 300, height: int = 400) -> bytes:
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    return encode(image, "PNG")


def test_png_is_the_models_bytes_untouched() -> None:
    data = photo()
    full, variants = render(data, fmt="png", quality=90, sides={})
    assert full.data == data and (full.width, full.height) == (300, 400)
    assert (full.content_type, full.extension) == ("image/png", "png")
    assert variants == {}


@pytest.mark.parametrize(("fmt", "pil_format", "content_type", "extension"),
                         [("jpeg", "JPEG", "image/jpeg", "jpg"),
                          ("webp", "WEBP", "image/webp", "webp")])
def test_lossy_formats_and_their_variants(fmt: str, pil_format: str, content_type: str,
                                          extension: str) -> None:
    full, variants = render(photo(), fmt=fmt, quality=80, sides=SIDES)
    assert (full.content_type, full.extension) == (content_type, extension)
    assert Image.open(io.BytesIO(full.data)).format == pil_format
    sizes = {name: (v.width, v.height) for name, v in variants.items()}
    # Long side as asked, aspect kept, never enlarged beyond the image.
    assert sizes == {"thumbnail": (48, 64), "card": (150, 200), "detail": (300, 400)}
    for variant in variants.values():
        opened = Image.open(io.BytesIO(variant.data))
        assert (opened.format, opened.size) == (pil_format, (variant.width, variant.height))


def test_quality_trades_bytes() -> None:
    low, _ = render(photo(), fmt="jpeg", quality=20, sides={})
    high, _ = render(photo(), fmt="jpeg", quality=95, sides={})
    assert len(low.data) < len(high.data)


def test_a_jpeg_from_the_model_becomes_a_png_when_asked() -> None:
    jpeg = encode(Image.new("RGB", (40, 30), (1, 2, 3)), "JPEG")
    full, _ = render(jpeg, fmt="png", quality=90, sides={})
    assert full.data.startswith(b"\x89PNG") and (full.width, full.height) == (40, 30)


@pytest.mark.parametrize(
    ("category", "garment", "region"),
    [("auto", "a red linen shirt", "shirt"), ("auto", None, "clothes"),
     ("auto", "wide-leg trousers", "pants"), *(
         (name, "a red linen shirt", region) for name, region in CATEGORY_REGIONS.items())],
)
def test_region_prompt(category: str, garment: str | None, region: str) -> None:
    assert region_prompt(category, garment) == region  # type: ignore[arg-type]
