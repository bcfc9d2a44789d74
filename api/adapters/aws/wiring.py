"""AWS adapters: every port on its AWS service, names from settings (set by CDK).

Nothing here calls AWS: clients are built on first use, so a cold start pays only for
the clients its first request needs. Likewise for imports: the ports most requests use
(S3, DynamoDB, SQS, the tenant resolver) are built here; the rest (the model runtime,
training, the avatar registry, Bedrock, moderation, webhooks) are ``lazy``: their
modules are imported when a request first calls them, not by the API Lambda's cold start.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from api.adapters.aws.dynamo import DynamoJobStore
from api.adapters.aws.idempotency import DynamoIdempotencyStore
from api.adapters.aws.s3 import S3ObjectStore
from api.adapters.aws.sqs import SqsJobQueue
from api.adapters.aws.tenants import RequestContextTenantResolver
from api.adapters.aws.webhook_outbox import DynamoWebhookOutbox
from api.adapters.aws.webhook_secrets import DynamoWebhookSecretStore
from api.adapters.lazy import lazy
from api.ports import Adapters

if TYPE_CHECKING:
    from api.adapters.aws.avatars import MmeAvatarRegistry
    from api.adapters.aws.bedrock import BedrockCopywriter
    from api.adapters.aws.moderation import AwsModerator
    from api.adapters.aws.sagemaker_runtime import SageMakerModelRuntime
    from api.adapters.aws.sagemaker_training import SageMakerTrainingLauncher
    from api.adapters.webhooks import HttpWebhookSender
    from api.settings import Settings

REQUIRED = (
    "uploads_bucket", "results_bucket", "models_bucket", "jobs_table", "jobs_queue_url",
    "webhook_queue_url",
)  # fmt: skip


def build(settings: Settings) -> Adapters:
    """Assemble the AWS adapters; raises ``ValueError`` naming any missing setting."""
    missing = [name for name in REQUIRED if not getattr(settings, name)]
    if missing:
        names = ", ".join(f"VITRINE_{name.upper()}" for name in missing)
        raise ValueError(f"the aws profile needs {names}")
    artifacts = S3ObjectStore(settings.models_bucket, settings=settings)
    secrets = DynamoWebhookSecretStore(settings.jobs_table, settings=settings)
    # Terminal events go with the transition into the job item; a sender Lambda of its
    # own delivers them from the webhooks queue (api/adapters/aws/webhook_outbox.py).
    outbox = DynamoWebhookOutbox(
        settings.jobs_table, settings.webhook_queue_url, settings=settings, secrets=secrets
    )
    return Adapters(
        uploads=S3ObjectStore(settings.uploads_bucket, settings=settings),
        results=S3ObjectStore(settings.results_bucket, settings=settings),
        artifacts=artifacts,
        jobs=DynamoJobStore(settings.jobs_table, settings=settings),
        idempotency=DynamoIdempotencyStore(
            settings.jobs_table,
            settings=settings,
            in_progress_lease=timedelta(seconds=settings.idempotency_lease_seconds),
        ),
        runtime=lazy(lambda: _runtime(settings)),
        copywriter=lazy(lambda: _copywriter(settings)),
        moderator=lazy(lambda: _moderator(settings)),
        queue=SqsJobQueue(settings.jobs_queue_url, settings=settings),
        training=lazy(lambda: _training(settings)),
        avatars=lazy(lambda: _registry(settings, artifacts)),
        webhooks=lazy(lambda: _webhooks(settings)),
        tenants=RequestContextTenantResolver(),
        webhook_secrets=secrets,
        outbox=outbox,
        closers=[outbox],
    )


# Factories of the lazy ports: each imports its adapter's module when first called.
def _runtime(settings: Settings) -> SageMakerModelRuntime:
    from api.adapters.aws.sagemaker_runtime import SageMakerModelRuntime

    async_inputs = S3ObjectStore(
        settings.uploads_bucket, settings=settings, prefix=settings.async_input_prefix
    )
    return SageMakerModelRuntime(settings=settings, async_inputs=async_inputs)


def _copywriter(settings: Settings) -> BedrockCopywriter:
    from api.adapters.aws.bedrock import BedrockCopywriter

    return BedrockCopywriter(settings=settings)


def _moderator(settings: Settings) -> AwsModerator:
    from api.adapters.aws.moderation import AwsModerator

    return AwsModerator(settings=settings)


def _training(settings: Settings) -> SageMakerTrainingLauncher:
    from api.adapters.aws.sagemaker_training import SageMakerTrainingLauncher

    return SageMakerTrainingLauncher(settings=settings)


def _registry(settings: Settings, artifacts: S3ObjectStore) -> MmeAvatarRegistry:
    from api.adapters.aws.avatars import MmeAvatarRegistry

    mme = S3ObjectStore(settings.models_bucket, settings=settings, prefix=settings.mme_prefix)
    return MmeAvatarRegistry(artifacts=artifacts, mme=mme)


def _webhooks(settings: Settings) -> HttpWebhookSender:
    from api.adapters.webhooks import HttpWebhookSender

    return HttpWebhookSender(settings)
