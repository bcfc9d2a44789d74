"""Images in and out of the JSON contracts: base64 → Pillow (bounded) → base64 PNG."""

from __future__ import annotations

import base64
import binascii
import io
import os
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import InvalidInput

# Decoders we accept; every other format is refused before any pixel is decoded.
ALLOWED_FORMATS: tuple[str, ...] = ("PNG", "JPEG", "WEBP")
# Same name and default as the API's setting, so one env var bounds both sides.
DEFAULT_MAX_PIXELS = 4096 * 4096


def max_pixels() -> int:
    return int(os.environ.get("VITRINE_MAX_IMAGE_PIXELS", DEFAULT_MAX_PIXELS))


def b64decode(value: object, *, field: str) -> bytes:
    """Strict base64 (a ``data:`` URL prefix and line breaks are tolerated)."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"'{field}' must be a non-empty base64 string")
    text = value.strip()
    if text.startswith("data:") and "," in text:
        text = text.split(",", 1)[1]
    try:
        data = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput(f"'{field}' is not valid base64") from exc
    if not data:
        raise InvalidInput(f"'{field}' is empty")
    return data


def decode_image(value: object, *, field: str = "image", mode: str = "RGB") -> Image.Image:
    """A base64 PNG/JPEG/WebP as an upright Pillow image in ``mode``.

    The pixel count is checked from the header, before decoding, so a small file that
    inflates to gigabytes (a decompression bomb) is refused cheaply.
    """
    data = b64decode(value, field=field)
    limit = max_pixels()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS))
            width, height = image.size
            if width * height > limit:
                raise InvalidInput(
                    f"'{field}' has {width}x{height} pixels; at most {limit} are allowed"
                )
            image.load()
    except InvalidInput:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            OSError, SyntaxError, ValueError) as exc:
        raise InvalidInput(
            f"'{field}' is not a readable image ({', '.join(ALLOWED_FORMATS)})"
        ) from exc
    # Phone photos store rotation in EXIF; models must see what people see.
    upright = ImageOps.exif_transpose(image) or image
    return upright.convert(mode)


def png_bytes(image: Image.Image, compress_level: int = 6) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=compress_level)
    return buffer.getvalue()


def encode_png(image: Image.Image, compress_level: int = 6) -> str:
    """A Pillow image as a base64 PNG string (zlib level 6, Pillow's default; 1 is ~3x
    faster for a few percent more bytes)."""
    return base64.b64encode(png_bytes(image, compress_level)).decode("ascii")
