"""SageMaker training jobs: DreamBooth-LoRA avatars (and BLIP-2 LoRA).

The training job's name is derived from the job id, so a redelivered launch finds the
job already there instead of starting a second one; tags carry the tenant and job id,
which EventBridge hands back in ``detail.Tags`` (``lambdas/training_events.py``).
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from api.adapters.aws import clients
from api.adapters.aws.errors import aws_errors, error_code
from api.adapters.aws.instances import has_instance_storage
from api.domain import errors as e
from api.domain.training_recipes import recipe

if TYPE_CHECKING:
    from mypy_boto3_sagemaker import SageMakerClient

    from api.ports import TrainingSpec
    from api.settings import Settings

TAG_TENANT = "vitrine:tenant"
TAG_JOB_ID = "vitrine:job-id"
TAG_KIND = "vitrine:kind"
# A comparison (issue 12) calls hosted image models (Amazon Bedrock, OpenAI): the only run
# without network isolation. Its adapters channel is the tenant's own artifacts prefix.
COMPARISON = "comparison"
_MAX_NAME = 63
_VOLUME_GB = 50


def training_job_name(kind: str, job_id: str) -> str:
    """``vitrine-{kind}-{job id}-{hash}``: at most 63 chars of ``[A-Za-z0-9-]``.

    The hash of the exact job id keeps the mapping one-to-one although ``_`` and ``-``
    both become ``-``.
    """
    digest = hashlib.sha256(job_id.encode()).hexdigest()[:8]
    readable = re.sub(r"[^A-Za-z0-9]+", "-", f"vitrine-{kind}-{job_id}").strip("-")
    return f"{readable[: _MAX_NAME - len(digest) - 1].rstrip('-')}-{digest}"


def job_tags(*, tenant: str, job_id: str, kind: str) -> list[dict[str, str]]:
    """The tags a Vitrine training job carries (EventBridge hands them back)."""
    return [{"Key": TAG_TENANT, "Value": tenant}, {"Key": TAG_JOB_ID, "Value": job_id},
            {"Key": TAG_KIND, "Value": kind}]  # fmt: skip


def tags_of(tags: dict[str, str] | list[dict[str, str]]) -> dict[str, str]:
    """Tags as a dict, from either shape (EventBridge: dict; the API: Key/Value list)."""
    if isinstance(tags, dict):
        return dict(tags)
    return {tag["Key"]: tag["Value"] for tag in tags}


class SageMakerTrainingLauncher:
    """``TrainingLauncher`` on SageMaker training jobs.

    Parameters
    ----------
    settings
        Image, role, instance type, time limit, buckets and the avatar base model URI.
    client
        A ``sagemaker`` client; by default the cached one.
    """

    def __init__(self, *, settings: Settings, client: SageMakerClient | None = None) -> None:
        self._settings = settings
        self._client = client

    @property
    def client(self) -> SageMakerClient:
        if self._client is None:
            self._client = clients.sagemaker(self._settings)
        return self._client

    def request(self, spec: TrainingSpec) -> dict[str, Any]:
        """The ``CreateTrainingJob`` request for ``spec`` (pure; tested on its own)."""
        s = self._settings
        if not (s.training_image_uri and s.training_role_arn):
            raise e.DependencyUnavailable(
                "training is not configured (VITRINE_TRAINING_IMAGE_URI, VITRINE_TRAINING_ROLE_ARN)"
            )
        # The kind's recipe: its input channel, the base it fine-tunes (the checkpoint its
        # endpoint serves: train.py's default base path is the ``base`` channel), its
        # entry point and hyperparameters (checked against train.py's names and bounds).
        run = recipe(spec.kind)
        channels = {run.input_channel: f"s3://{s.uploads_bucket}/{spec.input_prefix}"}
        base = getattr(s, run.base_setting)
        if base:
            channels["base"] = base
        if spec.kind == COMPARISON:
            # run.py's channels: the SDXL base, the inpainting base (try-on), CLIP (the
            # scorer), and the tenant's own adapters only (keys in spec.json are relative
            # to that prefix, so another tenant's files are never downloaded).
            channels["base"] = s.sdxl_base_model_uri
            channels["inpainting"] = s.style_base_model_uri
            channels["clip"] = s.clip_model_uri
            channels["adapters"] = f"s3://{s.models_bucket}/{spec.tenant}/"
            missing = [name for name, uri in channels.items() if not uri or uri.endswith("//")]
            if missing:
                raise e.DependencyUnavailable(
                    f"comparisons are not configured (no {', '.join(missing)} model URI)")
            if s.clipseg_model_uri:
                channels["clipseg"] = s.clipseg_model_uri
        instance_type = (
            s.comparison_instance_type if spec.kind == COMPARISON else s.training_instance_type
        )
        request: dict[str, Any] = {
            "TrainingJobName": training_job_name(spec.kind, spec.job_id),
            "AlgorithmSpecification": {
                "TrainingImage": s.training_image_uri,
                "TrainingInputMode": "File",
            },
            "RoleArn": s.training_role_arn,
            "HyperParameters": run.sagemaker_hyperparameters(spec.hyperparameters),
            # Channels are downloaded and the model uploaded by SageMaker itself; only a
            # comparison reaches out (hosted image models).
            "EnableNetworkIsolation": spec.kind != COMPARISON,
            "InputDataConfig": [
                {
                    "ChannelName": name,
                    "DataSource": {
                        "S3DataSource": {
                            "S3DataType": "S3Prefix",
                            "S3Uri": uri,
                            "S3DataDistributionType": "FullyReplicated",
                        }
                    },
                }
                for name, uri in channels.items()
            ],
            "OutputDataConfig": {"S3OutputPath": f"s3://{s.models_bucket}/{spec.output_prefix}"},
            "ResourceConfig": {
                "InstanceType": instance_type,
                "InstanceCount": 1,
                "VolumeSizeInGB": _VOLUME_GB,
            },
            "StoppingCondition": {"MaxRuntimeInSeconds": s.training_max_seconds},
            "Tags": job_tags(tenant=spec.tenant, job_id=spec.job_id, kind=spec.kind),
        }
        if s.kms_key_id:
            request["OutputDataConfig"]["KmsKeyId"] = s.kms_key_id
            if not has_instance_storage(instance_type):
                request["ResourceConfig"]["VolumeKmsKeyId"] = s.kms_key_id
        return request

    def launch(self, spec: TrainingSpec) -> None:
        """Start the training job; its state changes arrive by EventBridge."""
        request = self.request(spec)
        with aws_errors("sagemaker"):
            try:
                self.client.create_training_job(**request)
            except ClientError as exc:
                # Same name = same job id: a redelivered launch. The first one runs.
                if error_code(exc) != "ResourceInUse":
                    raise

    def model_artifacts(self, training_job_name: str) -> str | None:
        """``ModelArtifacts.S3ModelArtifacts`` from ``DescribeTrainingJob``, if it has any.

        For a ``Completed`` state change whose event lacks them. A job SageMaker does not
        know (``ValidationException``/``ResourceNotFound``) has none: ``None``. Other
        failures are translated (``DependencyUnavailable`` when throttled or down).
        """
        with aws_errors("sagemaker"):
            try:
                described = self.client.describe_training_job(TrainingJobName=training_job_name)
            except ClientError as exc:
                if error_code(exc) in ("ValidationException", "ResourceNotFound"):
                    return None
                raise
        artifacts = (described.get("ModelArtifacts") or {}).get("S3ModelArtifacts")
        return str(artifacts) if artifacts else None

    def stop(self, spec: TrainingSpec) -> None:
        """Stop the job; a job that already ended (or never started) is left alone."""
        with aws_errors("sagemaker"):
            try:
                self.client.stop_training_job(
                    TrainingJobName=training_job_name(spec.kind, spec.job_id)
                )
            except ClientError as exc:
                if error_code(exc) not in ("ValidationException", "ResourceNotFound"):
                    raise
