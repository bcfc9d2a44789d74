"""Training-events Lambda: EventBridge "SageMaker Training Job State Change".

Completed: register the avatar adapter under the multi-model endpoint's prefix and
finish the job. Failed/Stopped: fail the job with SageMaker's ``FailureReason``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from api.adapters.aws.events import parse_training_event
from api.adapters.aws.notifications import handle_training_change
from api.adapters.aws.s3 import S3ObjectStore
from lambdas._container import container
from lambdas._observability import count, logger, metrics, tracer

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, str]:
    change = parse_training_event(event)
    if change is None:
        logger.info("not a vitrine training job", extra={"event_id": event.get("id")})
        count("Training_ignored")
        return {"outcome": "ignored"}
    logger.append_keys(tenant=change.tenant, job_id=change.job_id, status=change.status)
    c = container()
    s = c.settings
    outcome = handle_training_change(
        c,
        change,
        artifacts=S3ObjectStore(s.models_bucket, settings=s),
        mme=S3ObjectStore(s.models_bucket, settings=s, prefix=s.mme_prefix),
    )
    logger.info("training event processed", extra={"outcome": outcome})
    count(f"Training_{outcome}")
    return {"outcome": outcome}
