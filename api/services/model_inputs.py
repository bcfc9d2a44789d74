"""Images sized for real-time model calls, whose request bodies stop at 6 MB.

``InvokeEndpoint`` takes at most 6 MB (botocore does not check it; SageMaker answers a
validation error), and images travel base64-inlined in a JSON body (4/3 larger). Uploads
may be 15 MB and 16 megapixels, but CLIPSeg and BLIP-2 work at a few hundred pixels: so
the image is downscaled to ``MODEL_MAX_SIDE`` on its long side before it is inlined,
keeping its format (PNG stays lossless). A 1024 px image is at most 4 MB as PNG (RGBA,
incompressible), 5.6 MB in base64: under the limit whatever the upload held.

Masks that come back at the sent size are scaled back to the original (nearest
neighbour: they stay binary), so clients get masks the size of their image. Pillow is
imported by the functions that use it, never with the module (the API's cold path).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

from api.domain.errors import ModelInvocationFailed

# The models' working size is far below this (CLIPSeg 352 px, BLIP-2 224 px).
MODEL_MAX_SIDE = 1024
# SageMaker InvokeEndpoint: request payloads up to 6 MB.
INVOKE_BODY_LIMIT = 6 * 1024 * 1024
JPEG_QUALITY = 92


@dataclass(frozen=True, slots=True)
class ModelImage:
    """The image as sent to a model: its bytes, and the size they decode to."""

    data: bytes
    width: int
    height: int

    def b64(self) -> str:
        return base64.b64encode(self.data).decode("ascii")


def for_model(data: bytes, *, max_side: int = MODEL_MAX_SIDE) -> ModelImage:
    """``data`` (a validated PNG or JPEG) with its long side at most ``max_side``."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        fmt, size = img.format, img.size
        if max(size) <= max_side:
            return ModelImage(data, *size)
        img.draft("RGB", (max_side, max_side))  # JPEG: decode at a reduced scale, cheaply
        small = img.copy()
    small.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if fmt == "JPEG":
        small.convert("RGB").save(out, format="JPEG", quality=JPEG_QUALITY)
    else:
        small.save(out, format="PNG")
    return ModelImage(out.getvalue(), *small.size)


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height of PNG/JPEG ``data`` (read from its header)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        return img.size


def mask_at(mask: bytes, size: tuple[int, int]) -> bytes:
    """A model's mask (PNG/JPEG bytes) at ``size``: unchanged if it already is."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(mask)) as img:
            if img.size == size:
                return mask
            scaled = img.convert("L").resize(size, Image.Resampling.NEAREST)
    except (OSError, ValueError) as exc:
        raise ModelInvocationFailed("the model's mask cannot be decoded") from exc
    out = io.BytesIO()
    scaled.save(out, format="PNG")
    return out.getvalue()
