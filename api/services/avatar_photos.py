"""An avatar's training photos: checked as a set, then normalised for training.

Every photo is checked before anything is stored, and every problem is reported in one
answer (``photo_errors``), so a client fixes its set in one round trip rather than one
rejected photo at a time. Accepted photos are stored as RGB JPEGs with the short side
bounded: training crops them to a square anyway, the stored set stays small, and
re-encoding drops EXIF (camera serials, GPS positions) from photos of a person.
Pillow is imported by ``normalise``, on the first avatar request, not at start-up.
"""

from __future__ import annotations

import hashlib
import io
from typing import TYPE_CHECKING

from api.domain.errors import ImageTooSmall, RequestValidationFailed, VitrineError

if TYPE_CHECKING:
    from api.domain.commands import ImageSource
    from api.services.images import ImageLoader, ValidImage
    from api.settings import Settings

PHOTO_CONTENT_TYPE = "image/jpeg"
_JPEG_QUALITY = 95
_WHITE = (255, 255, 255)


def photo_name(index: int) -> str:
    return f"photo-{index:02d}.jpg"


class PhotoChecker:
    """An avatar's photo set: every photo checked, then normalised for training.

    Parameters
    ----------
    images
        Loads and validates each photo.
    settings
        The photo count range and the size bounds.
    """

    def __init__(self, *, images: ImageLoader, settings: Settings) -> None:
        self._images = images
        self._settings = settings

    def accept(self, tenant: str, photos: list[ImageSource]) -> list[bytes]:
        """The photos as normalised JPEG bytes, or one domain error naming every problem.

        Raises the first problem's error class (so a lone non-image is ``invalid-image``, a
        lone thumbnail ``image-too-small``), its detail listing them all; its
        ``photo_errors`` name each problem by its slug (``type``).
        """
        settings = self._settings
        low, high = settings.avatar_min_photos, settings.avatar_max_photos
        if not low <= len(photos) <= high:
            raise RequestValidationFailed(
                f"photos: {len(photos)} given; an avatar needs {low} to {high} photos of its"
                " subject"
            )
        accepted: list[bytes] = []
        problems: list[tuple[int, VitrineError]] = []
        first_seen: dict[str, int] = {}
        for index, photo in enumerate(photos):
            field = f"photos[{index}]"
            try:
                image = self._images.load(tenant, photo, field=field)
                _check_size(image, settings.avatar_min_photo_side)
                normalised = normalise(image.data, max_side=settings.avatar_photo_max_side)
            except VitrineError as err:
                problems.append((index, err))
                continue
            digest = hashlib.sha256(normalised).hexdigest()
            if digest in first_seen:
                duplicate = RequestValidationFailed(
                    f"the same photo as photos[{first_seen[digest]}]"
                )
                problems.append((index, duplicate))
                continue
            first_seen[digest] = index
            accepted.append(normalised)
        if problems:
            raise _rejected(problems, total=len(photos))
        return accepted


def normalise(data: bytes, *, max_side: int) -> bytes:
    """Upright RGB JPEG bytes (transparency on white), short side at most ``max_side``."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as img:
        img.load()
        if "A" in img.getbands() or "transparency" in img.info:
            rgba = img.convert("RGBA")
            rgb = Image.new("RGB", rgba.size, _WHITE)
            rgb.paste(rgba, mask=rgba.getchannel("A"))
        else:
            rgb = img.convert("RGB")
    short = min(rgb.size)
    if short > max_side:
        scale = max_side / short
        size = (max(1, round(rgb.width * scale)), max(1, round(rgb.height * scale)))
        rgb = rgb.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    rgb.save(out, format="JPEG", quality=_JPEG_QUALITY)
    return out.getvalue()


def _check_size(image: ValidImage, min_side: int) -> None:
    if min(image.width, image.height) < min_side:
        raise ImageTooSmall(
            f"{image.width}x{image.height} pixels; each side must be at least {min_side} px"
        )


def _rejected(problems: list[tuple[int, VitrineError]], *, total: int) -> VitrineError:
    texts = [_with_field(f"photos[{index}]", err.detail) for index, err in problems]
    detail = f"{len(problems)} of {total} photos rejected: " + "; ".join(texts)
    listed = [
        {"index": index, "type": err.slug, "detail": text}
        for (index, err), text in zip(problems, texts, strict=True)
    ]
    first = problems[0][1]
    return type(first)(detail, photo_errors=listed)


def _with_field(field: str, detail: str) -> str:
    return detail if field in detail else f"{field}: {detail}"
