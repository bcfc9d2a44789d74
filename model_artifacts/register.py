"""``python -m model_artifacts register``: a completed training job becomes a tenant's model.

Reads the job (``DescribeTrainingJob`` and its tags, through the API's SageMaker
adapter) and hands it to ``api.services.registration.register_run``, which stores the
adapter where serving reads it (``{tenant}/models/{id}/`` in the models bucket) and
records the model in the jobs table: ``GET /v1/models`` then lists it for that tenant,
and only for that tenant. The job must carry that tenant's ``vitrine:tenant`` tag
(``python -m model_artifacts train`` and the API set it), so a model is never
registered for a tenant whose data it was not trained for.

Settings are the API's (``VITRINE_*``); boto3 only: no SageMaker SDK needed.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from api.domain.errors import VitrineError

if TYPE_CHECKING:
    import argparse

    from mypy_boto3_sagemaker import SageMakerClient

    from api.domain.jobs import Job
    from api.services.registration import FinishedRun
    from api.settings import Settings


def configure_register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--training-job", required=True, help="a Completed training job's name")
    parser.add_argument("--tenant", required=True, help="the tenant the model is for")
    parser.add_argument("--name", default=None, help="the model's name (default: the job's)")


def run_register(args: argparse.Namespace) -> int:
    from api.settings import Settings

    try:
        job = register(args.training_job, tenant=args.tenant, name=args.name,
                       settings=Settings())  # fmt: skip
    except VitrineError as err:
        print(f"error: {err.detail}", file=sys.stderr)
        return 2
    result = job.result or {}
    print(f"model {job.id} ({result.get('kind')}) registered for tenant {job.tenant}: "
          f"adapter under {result.get('artifacts')}")
    return 0


def register(training_job: str, *, tenant: str, name: str | None, settings: Settings) -> Job:
    from api.adapters.aws.avatars import MmeAvatarRegistry
    from api.adapters.aws.dynamo import DynamoJobStore
    from api.adapters.aws.s3 import S3ObjectStore
    from api.adapters.aws.sagemaker_training import SageMakerTrainingLauncher
    from api.services.registration import register_run

    launcher = SageMakerTrainingLauncher(settings=settings)
    run = describe(launcher.client, training_job, tenant=tenant, name=name,
                   uploads_bucket=settings.uploads_bucket)
    artifacts = S3ObjectStore(settings.models_bucket, settings=settings)
    # Avatars are served by the multi-model endpoint, from its prefix (as the API wires it).
    mme = S3ObjectStore(settings.models_bucket, settings=settings, prefix=settings.mme_prefix)
    return register_run(
        run,
        jobs=DynamoJobStore(settings.jobs_table, settings=settings),
        artifacts=artifacts,
        training=launcher,
        registry=MmeAvatarRegistry(artifacts=artifacts, mme=mme),
        settings=settings,
    )


def describe(client: SageMakerClient, training_job: str, *, tenant: str, name: str | None,
             uploads_bucket: str) -> FinishedRun:  # fmt: skip
    """The completed job as a ``FinishedRun``; its tags must name ``tenant``."""
    from botocore.exceptions import ClientError

    from api.adapters.aws.errors import aws_errors, error_code
    from api.adapters.aws.sagemaker_training import (
        TAG_JOB_ID,
        TAG_KIND,
        TAG_TENANT,
        tags_of,
    )
    from api.domain.errors import Conflict, NotFound, RequestValidationFailed
    from api.domain.training_recipes import recipe
    from api.services.registration import FinishedRun

    with aws_errors("sagemaker"):
        try:
            described = client.describe_training_job(TrainingJobName=training_job)
        except ClientError as exc:
            if error_code(exc) in ("ValidationException", "ResourceNotFound"):
                raise NotFound(f"no training job {training_job}") from None
            raise
        listed = client.list_tags(ResourceArn=described["TrainingJobArn"])["Tags"]
    tags = tags_of([{"Key": t["Key"], "Value": t["Value"]} for t in listed])
    if tags.get(TAG_TENANT) != tenant:
        raise RequestValidationFailed(f"training job {training_job} is not tenant {tenant}'s "
                                      f"(its {TAG_TENANT} tag)")  # fmt: skip
    status = described["TrainingJobStatus"]
    artifacts = (described.get("ModelArtifacts") or {}).get("S3ModelArtifacts")
    if status != "Completed" or not artifacts:
        raise Conflict(f"training job {training_job} is {status}; register it once Completed")
    kind = tags.get(TAG_KIND, "")
    run_recipe = recipe(kind)
    channels = {c["ChannelName"]: c["DataSource"]["S3DataSource"]["S3Uri"]
                for c in described.get("InputDataConfig", [])}  # fmt: skip
    data = channels.get(run_recipe.input_channel, "")
    uploads = f"s3://{uploads_bucket}/"
    return FinishedRun(
        training_job=training_job,
        tenant=tenant,
        kind=kind,
        model_id=tags.get(TAG_JOB_ID),
        model_artifacts=str(artifacts),
        data=data.removeprefix(uploads) if data.startswith(uploads) else data,
        hyperparameters=dict(described.get("HyperParameters") or {}),
        name=name or training_job,
    )
