"""API Lambda: the FastAPI app behind Mangum, built once per execution environment.

Each request runs under a deadline (``api/adapters/aws/budgets.py``): API Gateway stops
waiting 29 s after the request arrived, so model calls are cut to end before that, and
the app still answers with its own problem+json.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from mangum import Mangum
from mangum.adapter import DEFAULT_TEXT_MIME_TYPES

from api.adapters.aws import budgets, clients
from api.app import create_app

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

# problem+json must leave as text: API Gateway passes a base64 body through undecoded.
app_handler = Mangum(
    create_app(),
    lifespan="off",
    text_mime_types=[*DEFAULT_TEXT_MIME_TYPES, "application/problem+json"],
)


def elapsed_seconds(event: dict[str, Any], now: float | None = None) -> float:
    """Seconds since API Gateway received the request (``requestTimeEpoch``); 0 when the
    event has none or a value that cannot be (a replayed event, clock skew)."""
    epoch_ms = (event.get("requestContext") or {}).get("requestTimeEpoch")
    if not isinstance(epoch_ms, int | float):
        return 0.0
    elapsed = (time.time() if now is None else now) - epoch_ms / 1000
    return elapsed if 0.0 <= elapsed < budgets.API_GATEWAY_TIMEOUT_SECONDS else 0.0


def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    remaining = context.get_remaining_time_in_millis() / 1000
    seconds = budgets.api_deadline_seconds(elapsed_seconds(event), remaining)
    with clients.deadline(seconds):
        return app_handler(event, context)  # type: ignore[arg-type]
