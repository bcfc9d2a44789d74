"""Parsers for the AWS events the Lambdas receive; pure functions, no AWS calls.

- SNS notifications from the async try-on endpoint (success and error topics).
- EventBridge "SageMaker Training Job State Change".
Events that are not ours (another endpoint's input, an untagged training job) parse to
``None`` so a shared topic or rule cannot make a Lambda touch an unrelated record.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from api.adapters.aws.sagemaker_training import TAG_JOB_ID, TAG_KIND, TAG_TENANT, tags_of
from api.adapters.aws.tenants import valid_tenant

TRAINING_DETAIL_TYPE = "SageMaker Training Job State Change"
_STATUS_IN_REASON = re.compile(r"\((\d{3})\)")


@dataclass(frozen=True, slots=True)
class AsyncInferenceResult:
    tenant: str
    job_id: str
    succeeded: bool
    output_location: str | None
    failure_reason: str

    @property
    def model_status(self) -> int | None:
        """The container's HTTP status named in SageMaker's failure reason, if any."""
        match = _STATUS_IN_REASON.search(self.failure_reason)
        return int(match.group(1)) if match else None


@dataclass(frozen=True, slots=True)
class TrainingStateChange:
    tenant: str
    job_id: str
    kind: str
    status: str  # InProgress | Completed | Failed | Stopping | Stopped
    training_job_name: str
    model_artifacts: str | None
    failure_reason: str


def sns_messages(event: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """``(message id, parsed message)`` for every SNS record of a Lambda event."""
    messages = []
    for record in event.get("Records", []):
        sns = record.get("Sns") or {}
        messages.append((str(sns.get("MessageId", "")), json.loads(sns.get("Message") or "{}")))
    return messages


def parse_async_result(
    message: dict[str, Any], async_input_prefix: str
) -> AsyncInferenceResult | None:
    """An async inference notification, or ``None`` when its input is not one of ours.

    The input key ``{prefix}{tenant}/{job_id}.json`` names the job; ``inferenceId`` must
    agree, so a forged or foreign notification cannot finish another job.
    """
    if message.get("eventSource", "aws:sagemaker") != "aws:sagemaker":
        return None
    if message.get("invocationStatus") not in ("Completed", "Failed"):
        return None
    location = str((message.get("requestParameters") or {}).get("inputLocation", ""))
    _bucket, _, key = location.removeprefix("s3://").partition("/")
    if not location.startswith("s3://") or not key.startswith(async_input_prefix):
        return None
    tenant, _, name = key[len(async_input_prefix) :].rpartition("/")
    job_id = name.removesuffix(".json")
    if not (valid_tenant(tenant) and name.endswith(".json")):
        return None
    if message.get("inferenceId") != job_id:
        return None
    status = message.get("invocationStatus")
    output = (message.get("responseParameters") or {}).get("outputLocation")
    return AsyncInferenceResult(
        tenant=tenant,
        job_id=job_id,
        succeeded=status == "Completed",
        output_location=str(output) if output else None,
        failure_reason=str(message.get("failureReason") or ""),
    )


def parse_training_event(event: dict[str, Any]) -> TrainingStateChange | None:
    """A training state change of a Vitrine job (tagged by the launcher), else ``None``."""
    if event.get("detail-type") != TRAINING_DETAIL_TYPE:
        return None
    detail = event.get("detail") or {}
    tags = tags_of(detail.get("Tags") or {})
    tenant, job_id = valid_tenant(tags.get(TAG_TENANT)), tags.get(TAG_JOB_ID)
    if not tenant or not job_id:
        return None
    artifacts = (detail.get("ModelArtifacts") or {}).get("S3ModelArtifacts")
    return TrainingStateChange(
        tenant=tenant,
        job_id=job_id,
        kind=tags.get(TAG_KIND, "avatar"),
        status=str(detail.get("TrainingJobStatus", "")),
        training_job_name=str(detail.get("TrainingJobName", "")),
        model_artifacts=str(artifacts) if artifacts else None,
        failure_reason=str(detail.get("FailureReason") or ""),
    )
