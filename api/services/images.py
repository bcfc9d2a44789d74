"""Images in: strict decoding and validation of everything a client sends as an image.

Order matters: cheap checks first (base64 length, byte count, magic bytes), then the
header (dimensions, before any pixel is decoded: the decompression-bomb guard), then a
full decode (truncation), then EXIF orientation. What comes out is PNG or JPEG, the two
formats every model container accepts.

Pillow is imported by the functions that decode (``validate_image``), not with the
module: the API Lambda builds an ``ImageLoader`` at start-up, but only requests that
carry an image pay for Pillow (cold-start budget, issue 9).
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from api.domain.errors import (
    ImageTooLarge,
    ImageTooManyPixels,
    InvalidBase64,
    InvalidImage,
    NotFound,
    UnknownUpload,
    UnsupportedImageFormat,
)

if TYPE_CHECKING:
    from PIL import Image

    from api.domain.commands import ImageSource
    from api.ports import ObjectStore
    from api.settings import Settings

ALLOWED_CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_DATA_URL = re.compile(r"^data:image/[a-z0-9.+-]+;base64,", re.IGNORECASE)
# fullmatch, never ``$``: ``$`` also matches before a trailing newline.
_UPLOAD_ID = re.compile(r"upl_[A-Za-z0-9_-]{16,64}")
_EXIF_ORIENTATION = 0x0112
# Magic bytes of formats we recognise but refuse (415), versus "not an image" (422).
_OTHER_FORMATS = {
    b"GIF87a": "GIF", b"GIF89a": "GIF", b"BM": "BMP", b"II*\x00": "TIFF", b"MM\x00*": "TIFF",
    b"\x00\x00\x01\x00": "ICO", b"8BPS": "PSD", b"\xff\x0a": "JPEG XL", b"qoif": "QOI",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ValidImage:
    """A decoded, checked image: PNG or JPEG bytes with orientation applied."""

    data: bytes
    content_type: str
    width: int
    height: int

    @property
    def extension(self) -> str:
        return "jpg" if self.content_type == "image/jpeg" else "png"

    def b64(self) -> str:
        return base64.b64encode(self.data).decode("ascii")


def upload_key(tenant: str, upload_id: str) -> str:
    return f"{tenant}/uploads/{upload_id}"


class ImageLoader:
    """The image a request names, inline or by upload id, validated.

    Parameters
    ----------
    uploads
        Where uploads are (``{tenant}/uploads/{id}``).
    settings
        The byte and pixel limits.
    """

    def __init__(self, *, uploads: ObjectStore, settings: Settings) -> None:
        self._uploads = uploads
        self._settings = settings

    def load(self, tenant: str, image: ImageSource, *, field: str = "image") -> ValidImage:
        settings = self._settings
        if image.upload_id is not None:
            if not _UPLOAD_ID.fullmatch(image.upload_id):
                raise UnknownUpload(f"{field}.upload_id is not an upload id")
            try:
                data = self._uploads.get(upload_key(tenant, image.upload_id))
            except NotFound as exc:
                raise UnknownUpload(f"no upload {image.upload_id} (or it has expired)") from exc
            limit = settings.max_upload_bytes
        else:
            if image.base64 is None:
                raise InvalidImage(f"{field} names no image")
            limit = settings.max_inline_image_bytes
            data = decode_base64(image.base64, max_bytes=limit, field=field)
        return validate_image(data, max_bytes=limit, max_pixels=settings.max_image_pixels)


def decode_base64(text: str, *, max_bytes: int, field: str = "image") -> bytes:
    """Strict base64 (an optional ``data:image/...;base64,`` prefix is accepted)."""
    payload = _DATA_URL.sub("", text.strip(), count=1)
    # Reject before decoding anything: 4 base64 characters carry 3 bytes.
    if len(payload) // 4 * 3 > max_bytes + 2:
        raise ImageTooLarge(f"{field} is larger than {max_bytes} bytes")
    try:
        data = binascii.a2b_base64(payload, strict_mode=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidBase64(f"{field}.base64 is not valid base64: {exc}") from exc
    if not data:
        raise InvalidImage(f"{field} is empty")
    return data


def validate_image(data: bytes, *, max_bytes: int, max_pixels: int) -> ValidImage:
    """Check bytes, format, dimensions and integrity; return PNG/JPEG bytes, upright."""
    if len(data) > max_bytes:
        raise ImageTooLarge(f"image is {len(data)} bytes; the limit is {max_bytes}")
    fmt = sniff_format(data)
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        # Pillow warns (rather than raises) between its two bomb thresholds.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data), formats=[fmt])
            width, height = img.size
            if width < 1 or height < 1:
                raise InvalidImage("image has no pixels")
            if width * height > max_pixels:
                raise ImageTooManyPixels(
                    f"image is {width}x{height} pixels; the limit is {max_pixels} pixels"
                )
            img.load()  # decodes everything: truncated or corrupt data fails here
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageTooManyPixels(f"image has too many pixels: {exc}") from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
            raise InvalidImage(f"image cannot be decoded as {fmt}: {exc}") from exc
    return _normalized(img, data, fmt)


def sniff_format(data: bytes) -> str:
    """``JPEG``, ``PNG`` or ``WEBP`` from the magic bytes, else a domain error."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    for magic, name in _OTHER_FORMATS.items():
        if data.startswith(magic):
            raise UnsupportedImageFormat(f"{name} images are not supported; send JPEG, PNG or WebP")
    if data[4:8] == b"ftyp":
        raise UnsupportedImageFormat("HEIF/AVIF images are not supported; send JPEG, PNG or WebP")
    raise InvalidImage("data is not a JPEG, PNG or WebP image")


def _normalized(img: Image.Image, data: bytes, fmt: str) -> ValidImage:
    from PIL import ImageOps

    orientation = img.getexif().get(_EXIF_ORIENTATION, 1)
    if fmt != "WEBP" and orientation in (None, 1):
        return ValidImage(data, ALLOWED_CONTENT_TYPES[fmt], img.width, img.height)
    # WebP is re-encoded (containers take PNG/JPEG), as is any image EXIF says to rotate.
    upright = ImageOps.exif_transpose(img)
    if upright.mode not in ("RGB", "RGBA", "L", "LA"):
        upright = upright.convert("RGBA" if "A" in upright.getbands() else "RGB")
    out = io.BytesIO()
    upright.save(out, format="PNG")
    return ValidImage(out.getvalue(), "image/png", upright.width, upright.height)
