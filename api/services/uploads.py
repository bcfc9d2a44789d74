"""Uploads: large images go straight to the object store, not through the API body."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.domain.errors import ImageTooLarge, UploadRejected
from api.domain.jobs import new_id
from api.schemas.uploads import UploadPublic, UploadTargetPublic
from api.services.images import ALLOWED_CONTENT_TYPES, sniff_format, upload_key, validate_image

if TYPE_CHECKING:
    from api.bootstrap import Container


def create_upload(
    container: Container, tenant: str, *, content_type: str, size_bytes: int
) -> UploadPublic:
    """A PUT target bound to the tenant's new upload key, this content type and size."""
    limit = container.settings.max_upload_bytes
    if size_bytes > limit:
        raise ImageTooLarge(f"size_bytes is {size_bytes}; the upload limit is {limit}")
    upload_id = new_id("upl")
    target = container.uploads.upload_target(
        upload_key(tenant, upload_id),
        content_type=content_type,
        size_bytes=size_bytes,
        expires_in=container.settings.url_ttl_seconds,
    )
    return UploadPublic(
        upload_id=upload_id,
        upload=UploadTargetPublic(
            url=target.url,
            method=target.method,
            headers=target.headers,
            expires_at=target.expires_at,
        ),
    )


def accept_upload(container: Container, key: str, data: bytes, *, content_type: str) -> None:
    """Store uploaded bytes once they prove to be the announced kind of image.

    The local upload route calls this after checking the URL's signature; on AWS, S3
    receives the bytes and the same checks run when the upload is first used.
    """
    settings = container.settings
    validate_image(data, max_bytes=settings.max_upload_bytes, max_pixels=settings.max_image_pixels)
    actual = ALLOWED_CONTENT_TYPES[sniff_format(data)]
    if actual != content_type:
        raise UploadRejected(f"the bytes are {actual}, but {content_type} was announced")
    container.uploads.put(key, data, content_type=content_type)
