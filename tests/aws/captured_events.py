"""Our SageMaker payloads in the envelopes Powertools captured (``tests/events/powertools_*``).

The envelope is exactly what AWS delivers to a Lambda; only the payload is ours.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from api.adapters.aws.events import TRAINING_DETAIL_TYPE
from tests.aws.events import load_event


def payload(name: str, **changes: Any) -> dict[str, Any]:
    data = load_event(name)
    data.update(changes)
    return data


def in_sns(*messages: dict[str, Any] | str) -> dict[str, Any]:
    """Powertools' captured SNS event, one record per message (JSON text, as SNS sends)."""
    event = load_event("powertools_snsEvent")
    template = event["Records"][0]
    event["Records"] = []
    for n, message in enumerate(messages):
        record = copy.deepcopy(template)
        record["Sns"]["MessageId"] = f"95df01b4-ee98-5cb9-9903-4c221d41eb{n:02d}"
        record["Sns"]["Message"] = message if isinstance(message, str) else json.dumps(message)
        event["Records"].append(record)
    return event


def in_eventbridge(
    detail: dict[str, Any],
    *,
    detail_type: str = TRAINING_DETAIL_TYPE,
    source: str = "aws.sagemaker",
) -> dict[str, Any]:
    """Powertools' captured EventBridge event carrying ``detail``."""
    event = load_event("powertools_eventBridgeEvent")
    event.update({"detail-type": detail_type, "source": source, "detail": detail})
    return event


def training_detail(name: str = "eventbridge_training_completed", **changes: Any) -> dict:
    detail = load_event(name)["detail"]
    detail.update(changes)
    return detail


def in_sqs(*bodies: str) -> dict[str, Any]:
    """Powertools' captured SQS event, one record per body."""
    event = load_event("powertools_sqsEvent")
    template = event["Records"][0]
    event["Records"] = []
    for n, body in enumerate(bodies):
        record = copy.deepcopy(template)
        record["messageId"] = f"059f36b4-87a3-44ab-83d2-6619758300{n:02d}"
        record["body"] = body
        event["Records"].append(record)
    return event
