"""Output images as a storefront ships them: a file format, a quality, a few sizes.

Models answer with PNGs at full size. A product page wants WebP or JPEG, and the same
picture as a thumbnail, a card and a detail view: ``render`` makes them from the PNG.
A PNG output is the model's bytes unchanged (lossless: the untouched pixels stay the
input's). Variants are never enlarged: a variant longer than the image is the image's
size. Pillow is imported on call: this runs when a job completes, never on the API
request path.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from PIL import Image

# format name → (Pillow format, content type, file extension)
FORMATS = {
    "png": ("PNG", "image/png", "png"),
    "jpeg": ("JPEG", "image/jpeg", "jpg"),
    "webp": ("WEBP", "image/webp", "webp"),
}


@dataclass(frozen=True, slots=True)
class Rendition:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int


def render(
    png: bytes, *, fmt: str, quality: int, sides: Mapping[str, int]
) -> tuple[Rendition, dict[str, Rendition]]:
    """The image in ``fmt`` at full size, and one rendition per named long side."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as opened:
        opened.load()
        full = opened.convert("RGB")
    if fmt == "png" and png.startswith(b"\x89PNG"):
        main = Rendition(png, "image/png", "png", full.width, full.height)
    else:
        main = _encode(full, fmt, quality)
    variants: dict[str, Rendition] = {}
    for name, side in sides.items():
        smaller = full.copy()
        smaller.thumbnail((side, side), Image.Resampling.LANCZOS)  # keeps the aspect ratio
        variants[name] = _encode(smaller, fmt, quality)
    return main, variants


def _encode(image: Image.Image, fmt: str, quality: int) -> Rendition:
    pil_format, content_type, extension = FORMATS[fmt]
    out = io.BytesIO()
    if pil_format == "PNG":
        image.save(out, format="PNG", optimize=False)
    else:
        image.save(out, format=pil_format, quality=quality)
    return Rendition(out.getvalue(), content_type, extension, image.width, image.height)
