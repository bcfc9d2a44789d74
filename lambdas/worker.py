"""Worker Lambda: SQS batches of job references → the job service.

Partial batch responses: only the messages whose processing raised come back in
``batchItemFailures`` (SQS retries them, then the DLQ). A job that fails is not a
failed message: the job service records it, ``failed``, with its reason. Redeliveries
are safe: terminal jobs and jobs already handed to the async endpoint are skipped, and
a ``running`` job without such a hand-off (its Lambda died mid-run) runs again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)

from api.adapters.aws.sqs import JobRef
from api.domain.jobs import JobStatus
from api.services.jobs import execute
from lambdas._container import container
from lambdas._observability import count, logger, metrics, tracer

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
    from aws_lambda_powertools.utilities.typing import LambdaContext

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


@tracer.capture_method
def run(record: SQSRecord) -> str:
    """Run one referenced job; returns what happened (for logs and metrics)."""
    ref = JobRef.from_json(record.body)
    logger.append_keys(tenant=ref.tenant, job_id=ref.job_id, kind=ref.kind)
    c = container()
    job = c.jobs.get(ref.tenant, ref.job_id)
    if job is None:
        outcome = "missing"
    elif job.status.terminal or (
        job.status is JobStatus.RUNNING and job.internal.get("inference_id")
    ):
        outcome = "skipped"
    else:
        outcome = execute(c, job).status.value
    logger.info("job processed", extra={"outcome": outcome})
    count(f"Jobs_{outcome}")
    return outcome


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=run, processor=processor, context=context
    )
