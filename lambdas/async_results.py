"""Async-results Lambda: SNS from the try-on endpoint's success and error topics.

Parse → outcome → core: success reads the output from S3 (``OutputReady``), an error
becomes ``JobFailed``; the core finishes the try-on (moderate, store, succeed, webhook).
Duplicates change nothing. Once the job has ended, its async request body (the
person's photo, base64) is deleted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from api.adapters.aws.async_results import AsyncResultReader
from api.adapters.aws.events import parse_async_notifications
from api.adapters.aws.s3 import S3ObjectStore
from api.adapters.aws.sagemaker_runtime import async_input_key
from api.domain.errors import VitrineError
from api.services.jobs import IGNORED
from lambdas._observability import count, logger, metrics, tracer
from lambdas._root import root

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, list[str]]:
    r = root()
    s = r.settings
    reader = AsyncResultReader(S3ObjectStore(s.results_bucket, settings=s))
    inputs = S3ObjectStore(s.uploads_bucket, settings=s, prefix=s.async_input_prefix)
    outcomes = []
    for notification in parse_async_notifications(event, async_input_prefix=s.async_input_prefix):
        if notification is None:
            logger.warning("not a vitrine async inference")
            outcome = IGNORED
        else:
            job = notification.job
            logger.append_keys(tenant=job.tenant, job_id=job.job_id)
            outcome = r.services.jobs.handle(reader.to_outcome(notification))
            if outcome != IGNORED:
                _forget_input(inputs, async_input_key(job.tenant, job.job_id, job.kind))
        logger.info("async result processed", extra={"outcome": outcome})
        count(f"AsyncResults_{outcome}")
        outcomes.append(outcome)
    return {"outcomes": outcomes}


def _forget_input(inputs: S3ObjectStore, key: str) -> None:
    try:
        inputs.delete_prefix(key)
    except VitrineError:  # the job has ended; the bucket's lifecycle rule is the backstop
        logger.warning("async input not deleted", extra={"key": key})
