"""Uploads: large images go straight to the object store, not through the API body."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.domain.errors import ImageTooLarge, RequestValidationFailed, UploadRejected
from api.domain.jobs import new_id
from api.services.images import ALLOWED_CONTENT_TYPES, sniff_format, upload_key, validate_image

if TYPE_CHECKING:
    from api.domain.results import Upload
    from api.ports import ObjectStore
    from api.settings import Settings


# Uploads that are not images: a comparison's prompt set (``prompts_upload``).
TEXT_CONTENT_TYPES = frozenset({"text/csv", "application/jsonl"})


def check_text_upload(data: bytes, *, max_bytes: int) -> str:
    """A text upload's content: bounded UTF-8 without NUL bytes (else 413/422)."""
    if len(data) > max_bytes:
        raise ImageTooLarge(f"the upload is {len(data)} bytes; the limit is {max_bytes}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UploadRejected("the bytes are not UTF-8 text") from exc
    if "\x00" in text:
        raise RequestValidationFailed("the text contains a NUL character")
    return text


class Uploads:
    """``POST /v1/uploads`` and, locally, the upload PUT: large images go straight to
    the object store, not through the API body.

    Parameters
    ----------
    uploads
        The uploads store.
    settings
        The upload byte limit, the pixel bound and the URL lifetime.
    """

    def __init__(self, *, uploads: ObjectStore, settings: Settings) -> None:
        self._uploads = uploads
        self._settings = settings

    def create(self, tenant: str, *, content_type: str, size_bytes: int) -> Upload:
        """A PUT target bound to the tenant's new upload key, this content type and size."""
        from api.domain.results import Upload

        limit = self._settings.max_upload_bytes
        if size_bytes > limit:
            raise ImageTooLarge(f"size_bytes is {size_bytes}; the upload limit is {limit}")
        upload_id = new_id("upl")
        target = self._uploads.upload_target(
            upload_key(tenant, upload_id),
            content_type=content_type,
            size_bytes=size_bytes,
            expires_in=self._settings.url_ttl_seconds,
        )
        return Upload(upload_id=upload_id, target=target)

    def check(self, data: bytes, *, content_type: str) -> None:
        """Raise unless uploaded bytes prove to be the announced kind of image.

        The local upload route calls this after checking the URL's signature, then stores
        the bytes with a conditional claim (single use); on AWS, S3 receives the bytes and
        the same checks run when the upload is first used.
        """
        settings = self._settings
        if content_type in TEXT_CONTENT_TYPES:
            check_text_upload(data, max_bytes=settings.max_upload_bytes)
            return
        validate_image(
            data, max_bytes=settings.max_upload_bytes, max_pixels=settings.max_image_pixels
        )
        actual = ALLOWED_CONTENT_TYPES[sniff_format(data)]
        if actual != content_type:
            raise UploadRejected(f"the bytes are {actual}, but {content_type} was announced")
