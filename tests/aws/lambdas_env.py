"""Run the Lambda entrypoints on the aws profile under moto, as Lambda would."""

from __future__ import annotations

import base64
import copy
import importlib
import io
import json
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PIL import Image
from pydantic import SecretStr

from tests.aws.events import load_event

if TYPE_CHECKING:
    import pytest

    from api.settings import Settings

ENV_FIELDS = (
    "profile", "aws_region", "uploads_bucket", "results_bucket", "models_bucket", "jobs_table",
    "jobs_queue_url", "segmentation_endpoint", "attributes_endpoint", "tryon_endpoint",
    "avatar_endpoint", "training_image_uri", "training_role_arn", "training_instance_type",
    "avatar_base_model_uri", "api_keys", "webhook_secret", "webhook_queue_url",
    "webhook_secrets_key_id", "generation_endpoint",
)  # fmt: skip


@dataclass
class FakeContext:
    """The attributes Powertools reads from a Lambda context."""

    function_name: str = "vitrine-test"
    function_version: str = "$LATEST"
    invoked_function_arn: str = "arn:aws:lambda:eu-west-1:123456789012:function:vitrine-test"
    memory_limit_in_mb: int = 1024
    aws_request_id: str = "5b8e3f1a-1111-2222-3333-444455556666"
    log_group_name: str = "/aws/lambda/vitrine-test"
    log_stream_name: str = "2026/11/23/[$LATEST]abcdef"

    def get_remaining_time_in_millis(self) -> int:
        return 300_000


def export_settings(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    """Set the ``VITRINE_*`` variables CDK would set, from ``settings``."""
    for name in ENV_FIELDS:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        monkeypatch.setenv(f"VITRINE_{name.upper()}", "" if value is None else str(value))


def fresh_api_handler() -> Any:
    """Import ``lambdas.api_handler`` anew, so it builds its app from the current env."""
    from lambdas import _root

    _root.reset()
    sys.modules.pop("lambdas.api_handler", None)
    return importlib.import_module("lambdas.api_handler").handler


def png(size: tuple[int, int] = (32, 32), color: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def mask_png(size: tuple[int, int] = (32, 32)) -> bytes:
    img = Image.new("L", size, 0)
    for x in range(8, 24):
        for y in range(4, 28):
            img.putpixel((x, y), 255)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def api_event(
    template: str,
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
    *,
    idempotency_key: str | None = None,
) -> dict[str, Any]:
    """A canned API Gateway REST event re-aimed at ``method path`` with ``body``."""
    event = load_event(template)
    event["httpMethod"] = event["requestContext"]["httpMethod"] = method
    event["path"] = path
    event["requestContext"]["path"] = "/prod" + path
    event["pathParameters"] = {"proxy": path.lstrip("/")}
    event["body"] = None if body is None else json.dumps(body)
    headers = {k: v for k, v in event["headers"].items() if k != "Idempotency-Key"}
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    if body is None:
        headers.pop("Content-Type", None)
    event["headers"] = headers
    event["multiValueHeaders"] = {k: [v] for k, v in headers.items()}
    return event


def sqs_event(messages: list[dict[str, Any]]) -> dict[str, Any]:
    """An SQS batch event carrying moto-received ``messages``."""
    template = load_event("sqs_job_batch")["Records"][0]
    records = []
    for message in messages:
        record = copy.deepcopy(template)
        record["messageId"] = message["MessageId"]
        record["receiptHandle"] = message["ReceiptHandle"]
        record["body"] = message["Body"]
        records.append(record)
    return {"Records": records}


def sns_async_event(name: str, *, job_id: str, input_location: str, output: str | None) -> dict:
    """A canned async-inference SNS event pointed at one job's input and output."""
    event = load_event(name)
    message = json.loads(event["Records"][0]["Sns"]["Message"])
    message["inferenceId"] = job_id
    message["requestParameters"]["inputLocation"] = input_location
    if output is not None:
        message["responseParameters"]["outputLocation"] = output
    event["Records"][0]["Sns"]["Message"] = json.dumps(message)
    return event


def response_json(response: dict[str, Any]) -> Any:
    """The JSON body of a Lambda proxy response (decoded if Mangum sent it base64)."""
    body = response.get("body")
    if not body:
        return None
    if response.get("isBase64Encoded"):
        body = base64.b64decode(body)
    return json.loads(body)


def header(response: dict[str, Any], name: str) -> str | None:
    """One response header, from ``headers`` or ``multiValueHeaders``."""
    for key, value in (response.get("headers") or {}).items():
        if key.lower() == name.lower():
            return str(value)
    for key, values in (response.get("multiValueHeaders") or {}).items():
        if key.lower() == name.lower() and values:
            return str(values[0])
    return None
