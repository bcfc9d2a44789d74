"""What each Lambda may touch: one row per function, applied by the api stack.

All of them run the same ``api`` code and settings; their duties differ (read from
``api/services`` and ``lambdas/``):
- ``api``: the request path — presigned uploads, try-on inputs, sync segmentation and
  attributes, descriptions (Bedrock), moderation, results; deleting an avatar stops its
  training and removes its adapter from the models bucket; jobs go to the queue;
- ``worker``: queued jobs — try-on (auto-mask on the segmentation endpoint, request to
  the async endpoint via ``async_input_prefix``), avatar training (CreateTrainingJob,
  passing the training role) and generation (the multi-model endpoint), webhooks;
- ``training_events``: training finished — copy the adapter under the MME prefix; a
  comparison's report: moderate its images, store them in results, delete the run's output;
- ``async_results``: try-on finished — read the output, moderate, store, finish the job;
- ``dead_jobs``: job messages the worker gave up on (the jobs DLQ) — fail their jobs;
- ``handoff_timeouts``: on a schedule — fail jobs handed off to the async endpoint whose
  notification never came (``model-timeout``), their webhooks queued;
- ``webhook_sender``: the webhooks queue — one delivery attempt per message, signed with
  the tenant's secrets (decrypted with the webhook secrets key; result URLs presigned);
- ``webhook_sweeper``: every 5 minutes — re-queue deliveries whose message was lost.

Every function that can end a job sends to the webhooks queue; only the API encrypts
tenants' webhook secrets and only the sender decrypts them.

Time budgets (``api/adapters/aws/budgets.py``, README "Operations"): the API's model calls
fit API Gateway's 29 s (one attempt, 23 s read, 3 s connect: 26 s, 3 s to answer); the
worker runs one job per invocation for up to 5 minutes, its model calls cut to the time
left.
"""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import Duration

from cdk.grants import ObjectAccess

RW = ObjectAccess(read=True, write=True, delete=True, list=True)
READ = ObjectAccess(read=True, list=True)


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    handler: str
    description: str
    memory_mb: int
    timeout: Duration
    uploads: tuple[ObjectAccess, ...] = ()
    results: tuple[ObjectAccess, ...] = ()
    models: tuple[ObjectAccess, ...] = ()
    # Real-time endpoints by model role (segmentation, attributes, avatar).
    invoke: tuple[str, ...] = ()
    invoke_async: bool = False
    bedrock: bool = False
    moderation: bool = False
    training_actions: tuple[str, ...] = ()
    # Invoked asynchronously (EventBridge, SNS): failed events go to a dead-letter queue.
    event_driven: bool = False
    # Settings (``api/settings.py`` field → value) for this function only.
    settings: tuple[tuple[str, str], ...] = ()
    # KMS actions on the webhook secrets key (``kms:Encrypt``: create; ``kms:Decrypt``: sign).
    webhook_secrets: tuple[str, ...] = ()
    # Reads the sparse index of pending webhook deliveries (the sweep).
    webhook_index: bool = False
    # Reads the sparse index of running jobs (the hand-off sweep).
    running_index: bool = False


def function_specs(async_input_prefix: str) -> dict[str, FunctionSpec]:
    async_inputs = (async_input_prefix,)
    return {
        "api": FunctionSpec(
            handler="lambdas.api_handler.handler",
            description="Vitrine REST API (FastAPI via Mangum)",
            memory_mb=1024,
            # API Gateway stops waiting at 29 s: model calls must give up before it does
            # (attempts x (connect + read) + backoff = 1 x (3 + 23) = 26 s; the handler's
            # deadline cuts them further when the request started late).
            timeout=Duration.seconds(29),
            settings=(("model_read_timeout_seconds", "23"), ("model_max_attempts", "1")),
            uploads=(RW,),
            results=(RW,),
            models=(ObjectAccess(read=True, delete=True, list=True),),
            invoke=("segmentation", "attributes"),
            bedrock=True,
            moderation=True,
            training_actions=("sagemaker:StopTrainingJob",),
            webhook_secrets=("kms:Encrypt",),
        ),
        "worker": FunctionSpec(
            handler="lambdas.worker.handler",
            description=(
                "Vitrine job worker (SQS): try-ons, generations, avatars, attribute models "
                "and batches"
            ),
            memory_mb=1024,
            # One job per invocation (batch size 1): a job's worst case (model calls of
            # 3 x (3 + 60) + 3 = 192 s each, cut to the time left) never starves another.
            timeout=Duration.minutes(5),
            uploads=(READ, ObjectAccess(write=True, delete=True, prefixes=async_inputs)),
            results=(RW,),
            models=(READ,),
            # Attribute batches ask the attributes endpoint once per image.
            invoke=("segmentation", "attributes", "avatar"),
            invoke_async=True,
            bedrock=True,
            moderation=True,
            training_actions=(
                "sagemaker:CreateTrainingJob",
                "sagemaker:StopTrainingJob",
                "sagemaker:AddTags",
            ),
        ),
        "training_events": FunctionSpec(
            handler="lambdas.training_events.handler",
            description="Vitrine SageMaker training job state changes (EventBridge)",
            # A comparison's report: its images out of the output archive (held in memory,
            # with the archive: at most 50 x 8 SDXL PNGs of ~1.5 MB, ~1.2 GB), each through
            # Rekognition, into results.
            memory_mb=2048,
            timeout=Duration.minutes(5),
            models=(ObjectAccess(read=True, write=True, delete=True, list=True),),
            results=(ObjectAccess(write=True),),
            moderation=True,
            event_driven=True,
        ),
        "async_results": FunctionSpec(
            handler="lambdas.async_results.handler",
            description="Vitrine async inference notifications (SNS): store, moderate, finish",
            memory_mb=1024,
            timeout=Duration.minutes(1),
            uploads=(ObjectAccess(read=True, delete=True, list=True, prefixes=async_inputs),),
            results=(RW,),
            moderation=True,
            event_driven=True,
        ),
        "dead_jobs": FunctionSpec(
            handler="lambdas.dead_jobs.handler",
            description="Vitrine dead-lettered job messages (SQS DLQ): fail their jobs",
            memory_mb=512,
            timeout=Duration.minutes(1),
        ),
        "webhook_sender": FunctionSpec(
            handler="lambdas.webhook_sender.handler",
            description="Vitrine webhook deliveries (SQS): one signed attempt per message",
            memory_mb=512,
            # Ten messages a batch, each one attempt of at most the webhook timeout (5 s)
            # plus its DNS lookup and the DynamoDB/KMS calls around it.
            timeout=Duration.minutes(2),
            results=(ObjectAccess(read=True),),
            webhook_secrets=("kms:Decrypt",),
        ),
        "webhook_sweeper": FunctionSpec(
            handler="lambdas.webhook_sender.sweep",
            description="Vitrine webhook sweep (schedule): re-queue deliveries whose message "
            "was lost",
            memory_mb=256,
            timeout=Duration.minutes(1),
            webhook_index=True,
            event_driven=True,
        ),
        "handoff_timeouts": FunctionSpec(
            handler="lambdas.handoff_timeouts.handler",
            description="Vitrine hand-off timeouts (schedule): fail jobs never heard back",
            memory_mb=512,
            # 100 jobs a run, each two reads, a conditional write and a queued webhook.
            timeout=Duration.minutes(2),
            running_index=True,
            # A failed run needs no replay: the next scheduled one takes the same jobs.
        ),
    }
