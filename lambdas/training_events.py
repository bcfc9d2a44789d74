"""Training-events Lambda: EventBridge "SageMaker Training Job State Change".

Parse → outcome → core: ``InProgress`` starts the job, ``Completed`` finishes it (the
core's avatar step registers the adapter under the multi-model endpoint's prefix),
``Failed``/``Stopped`` fail it with SageMaker's ``FailureReason``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from api.adapters.aws.async_results import training_outcome
from api.adapters.aws.events import parse_training_event
from api.adapters.aws.sagemaker_training import SageMakerTrainingLauncher
from api.services.jobs import IGNORED
from lambdas._observability import count, logger, metrics, tracer
from lambdas._root import root

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
        return {"outcome": IGNORED}
    logger.append_keys(tenant=change.job.tenant, job_id=change.job.job_id, status=change.status)
    r = root()
    # An event without ModelArtifacts is completed by DescribeTrainingJob, not failed.
    describe = SageMakerTrainingLauncher(settings=r.settings).model_artifacts
    outcome = training_outcome(change, describe=describe)
    result = IGNORED if outcome is None else r.services.jobs.handle(outcome)
    logger.info("training event processed", extra={"outcome": result})
    count(f"Training_{result}")
    return {"outcome": result}
