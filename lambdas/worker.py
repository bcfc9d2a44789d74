"""Worker Lambda: SQS batches of job references → the job core.

Partial batch responses: only the messages whose processing raised come back in
``batchItemFailures`` (SQS retries them, then the DLQ). A job that fails is not a
failed message: the core records it, ``failed``, with its reason. Redeliveries are safe:
the core skips terminal jobs and jobs whose work was handed off (an async submission),
and runs again a ``running`` job without one (its Lambda died mid-run).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)

from api.adapters.aws.events import JobMessageRecord
from lambdas._observability import count, logger, metrics, tracer
from lambdas._root import root

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
    from aws_lambda_powertools.utilities.typing import LambdaContext

# Each record's body is parsed as a job reference; one that is not fails only itself.
processor = BatchProcessor(
    event_type=EventType.SQS, model=JobMessageRecord, raise_on_entire_batch_failure=False
)


@tracer.capture_method
def run(record: JobMessageRecord) -> str:
    """Run one referenced job; returns what happened (for logs and metrics)."""
    queued = record.body
    logger.append_keys(tenant=queued.tenant, job_id=queued.job_id, kind=queued.kind)
    outcome = root().services.jobs.run(queued.job)
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
