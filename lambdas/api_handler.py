"""API Lambda: the FastAPI app behind Mangum, built once per execution environment."""

from __future__ import annotations

from mangum import Mangum
from mangum.adapter import DEFAULT_TEXT_MIME_TYPES

from api.app import create_app

# problem+json must leave as text: API Gateway passes a base64 body through undecoded.
handler = Mangum(
    create_app(),
    lifespan="off",
    text_mime_types=[*DEFAULT_TEXT_MIME_TYPES, "application/problem+json"],
)
