"""Every checkov finding Vitrine accepts, with its reason: the one place to review them.

``tests/cdk/test_checkov.py`` runs checkov over the synthesized templates and fails on any
failed check not acknowledged here; its ``REVIEWED_CHECKS`` lists the check ids allowed.
Findings that had a fix were fixed instead (log groups under a KMS key of their own:
``cdk/logs_key``; the access-log bucket versioned).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cdk.checkov_skips import acknowledge_check
from cdk.stacks.api_acknowledgments import PUBLIC_REASON

if TYPE_CHECKING:
    from cdk.stacks.api import ApiStack
    from cdk.stacks.models import ModelsStack
    from cdk.stacks.storage import StorageStack

ACCESS_LOG_REASON = (
    "This is the server access log bucket: logging it into itself would loop (cdk-nag "
    "AwsSolutions-S1 is acknowledged for the same reason)."
)
UNVERSIONED_REASON = (
    "Uploads and results hold tenants' photos and generated images: with versioning, a "
    "delete (a tenant's erasure, the expiry rule) would only hide them behind a delete "
    "marker and keep every overwritten object. They are short-lived by design (lifecycle "
    "expiry) and re-creatable by the client; the bucket costly to lose (models) is versioned."
)
SSE_SQS_REASON = (
    "Encrypted at rest with SQS-managed keys (SSE-SQS, SqsManagedSseEnabled, asserted in "
    "tests/cdk); CKV_AWS_27 only recognizes a KMS key (KmsMasterKeyId). Messages carry job "
    "references and AWS event envelopes, never images or prompts; a KMS key would add KMS "
    "calls per message and key-policy grants for EventBridge and SNS, which cannot deliver "
    "to queues under the AWS-managed alias/aws/sqs key."
)
CONCURRENCY_REASON = (
    "No reserved concurrency: a reservation is carved out of the account's shared pool "
    "(deploys fail where unreserved concurrency would drop below 100, as on new accounts) "
    "and turns bursts into throttles. Load is bounded upstream instead: WAF rate limits, "
    "stage throttling and usage plans for the API; the jobs queue (one job per invocation, "
    "redrive to a DLQ) for the worker; low-rate SageMaker events for the event functions."
)
NO_VPC_REASON = (
    "The functions reach only AWS service endpoints (S3, DynamoDB, SQS, SageMaker Runtime, "
    "Bedrock, Rekognition, Comprehend, X-Ray) and partners' public webhook URLs; nothing "
    "they use lives in a VPC. A VPC would add NAT gateways or a dozen interface endpoints "
    "for no isolation gain: access is governed by IAM, KMS key policies and TLS."
)
NO_FUNCTION_DLQ_REASON = (
    "Invoked synchronously (API Gateway) or by an SQS event source mapping (worker, dead "
    "jobs): a function dead-letter queue only receives failed asynchronous invocations and "
    "would never be used. Failed job messages redrive to the jobs DLQ, which the dead-jobs "
    "function drains; the asynchronously invoked functions have one (EventFailures)."
)
NO_CACHE_REASON = (
    "No stage cache: responses are per caller and change with job state (job status, "
    "presigned URLs that expire); a cache keyed on the request would serve one tenant's "
    "answer to another or a stale job state. WAF and throttling bound the load instead."
)


def acknowledge_storage(storage: StorageStack) -> None:
    acknowledge_check(storage.access_logs_bucket, "CKV_AWS_18", ACCESS_LOG_REASON)
    for bucket in (storage.uploads_bucket, storage.results_bucket):
        acknowledge_check(bucket, "CKV_AWS_21", UNVERSIONED_REASON)


def acknowledge_models(models: ModelsStack) -> None:
    from cdk.stacks.models import ADAPTER_NETWORK_REASON

    for model in models.adapter_models:
        acknowledge_check(model, "CKV_AWS_370", ADAPTER_NETWORK_REASON)


def acknowledge_api(api: ApiStack) -> None:
    queues = (api.jobs.queue, api.jobs.dead_letter_queue, api.event_failures,
              api.webhooks.queue, api.webhooks.dead_letter_queue)  # fmt: skip
    for queue in queues:
        acknowledge_check(queue, "CKV_AWS_27", SSE_SQS_REASON)
    for function in api.functions.values():
        acknowledge_check(function.function, "CKV_AWS_115", CONCURRENCY_REASON)
        acknowledge_check(function.function, "CKV_AWS_117", NO_VPC_REASON)
        if function.function.dead_letter_queue is None:
            acknowledge_check(function.function, "CKV_AWS_116", NO_FUNCTION_DLQ_REASON)
    for rest_api in (api.frontend, api.partner):
        acknowledge_check(rest_api.stage, "CKV_AWS_120", NO_CACHE_REASON)
        for method in rest_api.public_methods:
            acknowledge_check(method, "CKV_AWS_59", PUBLIC_REASON)
