"""AWS adapters: every port on its AWS service, names from settings (set by CDK).

Nothing here calls AWS: clients are built on first use, so a cold start pays only for
the clients its first request needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.adapters.aws.avatars import MmeAvatarRegistry
from api.adapters.aws.bedrock import BedrockCopywriter
from api.adapters.aws.dynamo import DynamoJobStore
from api.adapters.aws.idempotency import DynamoIdempotencyStore
from api.adapters.aws.moderation import AwsModerator
from api.adapters.aws.s3 import S3ObjectStore
from api.adapters.aws.sagemaker_runtime import SageMakerModelRuntime
from api.adapters.aws.sagemaker_training import SageMakerTrainingLauncher
from api.adapters.aws.sqs import SqsJobQueue
from api.adapters.aws.tenants import RequestContextTenantResolver
from api.adapters.webhooks import HttpWebhookSender
from api.ports import Adapters

if TYPE_CHECKING:
    from api.settings import Settings

REQUIRED = ("uploads_bucket", "results_bucket", "models_bucket", "jobs_table", "jobs_queue_url")


def build(settings: Settings) -> Adapters:
    """Assemble the AWS adapters; raises ``ValueError`` naming any missing setting."""
    missing = [name for name in REQUIRED if not getattr(settings, name)]
    if missing:
        names = ", ".join(f"VITRINE_{name.upper()}" for name in missing)
        raise ValueError(f"the aws profile needs {names}")
    async_inputs = S3ObjectStore(
        settings.uploads_bucket, settings=settings, prefix=settings.async_input_prefix
    )
    artifacts = S3ObjectStore(settings.models_bucket, settings=settings)
    return Adapters(
        uploads=S3ObjectStore(settings.uploads_bucket, settings=settings),
        results=S3ObjectStore(settings.results_bucket, settings=settings),
        artifacts=artifacts,
        jobs=DynamoJobStore(settings.jobs_table, settings=settings),
        idempotency=DynamoIdempotencyStore(settings.jobs_table, settings=settings),
        runtime=SageMakerModelRuntime(settings=settings, async_inputs=async_inputs),
        copywriter=BedrockCopywriter(settings=settings),
        moderator=AwsModerator(settings=settings),
        queue=SqsJobQueue(settings.jobs_queue_url, settings=settings),
        training=SageMakerTrainingLauncher(settings=settings),
        avatars=MmeAvatarRegistry(
            artifacts=artifacts,
            mme=S3ObjectStore(
                settings.models_bucket, settings=settings, prefix=settings.mme_prefix
            ),
        ),
        webhooks=HttpWebhookSender(settings),
        tenants=RequestContextTenantResolver(),
    )
