"""Webhook sender Lambda: the webhooks queue → one delivery attempt per message; and the
sweep (an EventBridge schedule) that re-queues deliveries whose message was lost.

The work is the outbox's (``api/adapters/aws/webhook_outbox.py``): an attempt is recorded
on the job with a conditional update, a retry is a new message with a growing delay, the
last failure marks the delivery ``failed`` (counted: ``Webhooks_failed``, alarmed). A
message that raises (DynamoDB unavailable) comes back from SQS, then goes to the DLQ;
its delivery stays pending, so the sweep queues it again. A body that is not a webhook
message fails validation for that record only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.parser import parse
from aws_lambda_powertools.utilities.parser.models import EventBridgeModel

from api.adapters.aws.events import WebhookMessageRecord
from api.adapters.aws.webhook_outbox import DynamoWebhookOutbox
from lambdas._observability import count, logger, metrics, tracer
from lambdas._root import root

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
    from aws_lambda_powertools.utilities.typing import LambdaContext

# Deliveries given up after every attempt: the metric the WebhooksFailed alarm watches.
FAILED_METRIC = "Webhooks_failed"
processor = BatchProcessor(
    event_type=EventType.SQS, model=WebhookMessageRecord, raise_on_entire_batch_failure=False
)


def outbox() -> DynamoWebhookOutbox:
    """The deployment's outbox (the aws profile's)."""
    box = root().adapters.outbox
    if not isinstance(box, DynamoWebhookOutbox):
        raise TypeError("the webhook sender runs on the aws profile's outbox")
    return box


@tracer.capture_method
def send(record: WebhookMessageRecord) -> str:
    """One delivery attempt; what happened, for logs and metrics."""
    message = record.body.message
    logger.append_keys(
        tenant=message.tenant, job_id=message.job_id, webhook_id=message.event_id
    )
    outcome = outbox().deliver(message)
    logger.info("webhook processed", extra={"outcome": outcome, "attempt": message.attempt})
    count(f"Webhooks_{outcome}")  # Webhooks_failed: FAILED_METRIC
    return outcome


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=send, processor=processor, context=context
    )


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def sweep(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    """The schedule's tick (an EventBridge "Scheduled Event"): re-queue overdue ones."""
    parse(event=event, model=EventBridgeModel)  # anything else is a wiring mistake: raise
    swept = outbox().sweep()
    logger.info("webhook sweep", extra={"swept": swept})
    count("Webhooks_swept", swept)
    return {"swept": swept}
