"""Domain errors. Services raise these; ``api/errors.py`` maps them to HTTP once.

Each error has a stable ``slug``: the last segment of its problem ``type`` URI.
Clients may switch on it, so never rename one.
"""

from __future__ import annotations

from typing import Any, ClassVar


class VitrineError(Exception):
    slug: ClassVar[str] = "internal-error"
    title: ClassVar[str] = "Internal error"

    def __init__(self, detail: str = "", **extensions: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.extensions = extensions


# --- the request itself ---
class MalformedJson(VitrineError):
    slug, title = "malformed-json", "Request body is not valid JSON"


class RequestValidationFailed(VitrineError):
    slug, title = "validation-error", "Request failed validation"


class PayloadTooLarge(VitrineError):
    slug, title = "payload-too-large", "Request body is too large"


# --- images ---
class InvalidBase64(VitrineError):
    slug, title = "invalid-base64", "Image is not valid base64"


class InvalidImage(VitrineError):
    slug, title = "invalid-image", "Image cannot be decoded"


class UnsupportedImageFormat(VitrineError):
    slug, title = "unsupported-image-format", "Image format is not supported"


class ImageTooLarge(VitrineError):
    slug, title = "image-too-large", "Image is larger than allowed"


class ImageTooManyPixels(VitrineError):
    slug, title = "image-too-many-pixels", "Image has more pixels than allowed"


class ImageTooSmall(VitrineError):
    slug, title = "image-too-small", "Image is smaller than required"


class UnknownUpload(VitrineError):
    slug, title = "unknown-upload", "No such upload"


class UploadRejected(VitrineError):
    slug, title = "upload-rejected", "Upload does not match what was announced"


class UrlSignatureInvalid(VitrineError):
    """A signed (local presigned-style) URL whose signature is wrong or expired."""

    slug, title = "invalid-signature", "URL signature is invalid or expired"


# --- content ---
class ContentFlagged(VitrineError):
    slug, title = "content-flagged", "Content was flagged by moderation"


# --- identity and records ---
class Unauthorized(VitrineError):
    slug, title = "unauthorized", "Missing or invalid credentials"


class NotFound(VitrineError):
    slug, title = "not-found", "Resource not found"


class InvalidJobTransition(VitrineError):
    slug, title = "invalid-job-transition", "Job cannot change state that way"


class Conflict(VitrineError):
    slug, title = "conflict", "Resource is in a conflicting state"


class IdempotencyKeyReused(VitrineError):
    slug, title = "idempotency-key-reused", "Idempotency-Key was used with another request"


class IdempotencyInProgress(VitrineError):
    slug, title = "idempotency-in-progress", "A request with this Idempotency-Key is in progress"


# --- dependencies (models, AWS services) ---
class ModelInputRejected(VitrineError):
    """The model container refused the input (its 4xx)."""

    slug, title = "model-input-rejected", "The model rejected the input"


class ModelInvocationFailed(VitrineError):
    """The model container failed (its 5xx, ``ModelError``)."""

    slug, title = "model-error", "The model failed"


class DependencyUnavailable(VitrineError):
    """An AWS service stayed throttled/unavailable after retries."""

    slug, title = "service-unavailable", "A backing service is unavailable, retry later"


class ModelUnavailable(DependencyUnavailable):
    """The configured model cannot be called: not enabled for the account, not offered in
    the region, retired (end of life), or its id is wrong. An operator must act."""

    slug, title = "model-unavailable", "The model behind this feature is not available"


class DependencyTimeout(VitrineError):
    slug, title = "dependency-timeout", "A backing service timed out"


class ModelTimedOut(DependencyTimeout):
    """Work handed to a model that reports back (an async endpoint) never did: its
    notification was lost, or the model hung past every limit."""

    slug, title = "model-timeout", "The model did not report back in time"
