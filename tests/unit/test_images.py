"""Images in: every way a client's bytes can be wrong maps to one precise domain error."""

from __future__ import annotations

import base64
import io

import pytest
from image_factory import encode, png_claiming, rgb
from PIL import Image

from api.domain import errors as e
from api.services.images import decode_base64, sniff_format, validate_image

LIMITS = {"max_bytes": 1_000_000, "max_pixels": 1_000_000}


def test_png_passes_through_unchanged() -> None:
    data = encode(rgb(16, 12), "PNG")
    image = validate_image(data, **LIMITS)
    assert (image.data, image.content_type, image.width, image.height) == (
        data,
        "image/png",
        16,
        12,
    )


def test_jpeg_passes_through_unchanged() -> None:
    data = encode(rgb(), "JPEG")
    image = validate_image(data, **LIMITS)
    assert image.data == data and image.content_type == "image/jpeg" and image.extension == "jpg"


def test_webp_is_reencoded_as_png() -> None:
    image = validate_image(encode(rgb(20, 10), "WEBP"), **LIMITS)
    assert image.content_type == "image/png"
    assert Image.open(io.BytesIO(image.data)).format == "PNG"
    assert (image.width, image.height) == (20, 10)


def test_exif_orientation_is_applied() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise on display
    data = encode(rgb(30, 10), "JPEG", exif=exif.tobytes())
    image = validate_image(data, **LIMITS)
    assert (image.width, image.height) == (10, 30)
    assert image.content_type == "image/png"


def test_data_url_prefix_is_accepted() -> None:
    raw = encode(rgb(), "PNG")
    text = "data:image/png;base64," + base64.b64encode(raw).decode()
    assert decode_base64(text, max_bytes=10_000) == raw


@pytest.mark.parametrize("text", ["not base64!!", "abc", "QUJD\nREVG", "QUI=RA==", "=QUJD"])
def test_invalid_base64(text: str) -> None:
    with pytest.raises(e.InvalidBase64):
        decode_base64(text, max_bytes=10_000)


def test_base64_over_the_limit_is_refused_before_decoding() -> None:
    with pytest.raises(e.ImageTooLarge):
        decode_base64("A" * 4000, max_bytes=1000)


def test_not_an_image() -> None:
    with pytest.raises(e.InvalidImage):
        validate_image(b"%PDF-1.7 definitely not a picture", **LIMITS)


def test_truncated_image() -> None:
    data = encode(rgb(64, 64), "PNG")
    with pytest.raises(e.InvalidImage):
        validate_image(data[: len(data) // 2], **LIMITS)


def test_bytes_over_the_limit() -> None:
    with pytest.raises(e.ImageTooLarge):
        validate_image(encode(rgb(), "PNG"), max_bytes=50, max_pixels=1_000_000)


def test_pixels_over_the_limit_are_refused_from_the_header() -> None:
    with pytest.raises(e.ImageTooManyPixels):
        validate_image(png_claiming(2000, 2000), max_bytes=1_000_000, max_pixels=1_000_000)


def test_decompression_bomb_beyond_pillows_own_limit() -> None:
    # 100k x 100k pixels: Pillow itself raises DecompressionBombError on open.
    with pytest.raises(e.ImageTooManyPixels):
        validate_image(png_claiming(100_000, 100_000), max_bytes=1_000_000, max_pixels=10**12)


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_unsupported_formats(fmt: str) -> None:
    with pytest.raises(e.UnsupportedImageFormat):
        validate_image(encode(rgb(), fmt), **LIMITS)


def test_sniffing_is_by_content_not_by_claim() -> None:
    assert sniff_format(encode(rgb(), "WEBP")) == "WEBP"
    assert sniff_format(encode(rgb(), "JPEG")) == "JPEG"
