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

from api.adapters.aws import budgets, clients
from api.adapters.aws.events import JobMessageRecord
from lambdas._observability import count, logger, metrics, tracer
from lambdas._root import root

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
    from aws_lambda_powertools.utilities.typing import LambdaContext

# A job is not started with less than this left of the invocation (its model calls could
# not make one full attempt): its message comes back later instead.
MIN_JOB_SECONDS = 30.0


class NoTimeLeft(Exception):
    """Not enough of the invocation is left to start this job: SQS redelivers it."""


# Each record's body is parsed as a job reference; one that is not fails only itself.
processor = BatchProcessor(
    event_type=EventType.SQS, model=JobMessageRecord, raise_on_entire_batch_failure=False
)


@tracer.capture_method
def run(record: JobMessageRecord, lambda_context: LambdaContext | None = None) -> str:
    """Run one referenced job within what is left of the invocation (its AWS model calls
    are cut to end before the Lambda does); returns what happened (logs and metrics)."""
    queued = record.body
    logger.append_keys(tenant=queued.tenant, job_id=queued.job_id, kind=queued.kind)
    remaining = (
        lambda_context.get_remaining_time_in_millis() / 1000 if lambda_context else 900.0
    )
    seconds = budgets.worker_deadline_seconds(remaining)
    if seconds < MIN_JOB_SECONDS:
        count("Jobs_deferred")
        raise NoTimeLeft(f"{seconds:.0f} s left: job {queued.job_id} deferred")
    with clients.deadline(seconds):
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
