"""Dead jobs Lambda: job messages the worker gave up on (the jobs' dead-letter queue).

A message reaches the DLQ after ``maxReceiveCount`` failed receives (a Lambda killed
mid-job, an AWS outage outlasting the retries). Its job would stay ``queued`` or
``running`` forever; here it ends ``failed`` (``service-unavailable``: submit it again
later) and its webhook fires. A body that is not a job reference cannot be acted on: it
is logged and dropped (retrying it would never succeed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.parser import ValidationError

from api.adapters.aws.events import JobMessageRecord
from api.domain.errors import DependencyUnavailable
from lambdas._observability import count, logger, metrics, tracer
from lambdas._root import root

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
    from aws_lambda_powertools.utilities.typing import LambdaContext

REASON = DependencyUnavailable(
    "The job could not be run after repeated attempts; submit it again later"
)
UNREADABLE = "unreadable"
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


@tracer.capture_method
def give_up(record: SQSRecord) -> str:
    """End the referenced job ``failed``; what happened, for logs and metrics."""
    try:
        queued = JobMessageRecord.model_validate(record.raw_event).body
    except ValidationError:
        logger.error("dead-lettered message is not a job reference", extra={
            "message_id": record.message_id})  # fmt: skip
        count("DeadJobs_unreadable")
        return UNREADABLE
    logger.append_keys(tenant=queued.tenant, job_id=queued.job_id, kind=queued.kind)
    outcome = root().services.jobs.give_up(queued.job, REASON)
    logger.warning("dead-lettered job", extra={"outcome": outcome})
    count(f"DeadJobs_{outcome}")
    return outcome


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=give_up, processor=processor, context=context
    )
