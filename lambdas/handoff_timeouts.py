"""Hand-off timeouts Lambda: an EventBridge schedule, every few minutes.

A try-on handed to the async endpoint ends when the endpoint's SNS notification arrives
(``async_results``); one that never arrives (lost, or a model that hung past every
limit) would leave its job ``running`` forever. Each run fails the jobs handed off over
``handoff_timeout_seconds`` ago (``model-timeout``) through the core, so their webhooks
fire (queued for the webhook sender); a notification arriving later changes nothing. At
most ``PER_RUN`` a run: the next run takes the rest.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from lambdas._observability import count, logger, metrics, tracer
from lambdas._root import root

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

PER_RUN = 100


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, list[str]]:
    r = root()
    timeout = timedelta(seconds=r.settings.handoff_timeout_seconds)
    timed_out = r.services.jobs.time_out_handoffs(timeout, limit=PER_RUN)
    for job_id in timed_out:
        logger.warning("handed-off job never heard back: failed", extra={"job_id": job_id})
    count("HandoffTimeouts", len(timed_out))
    return {"timed_out": timed_out}
