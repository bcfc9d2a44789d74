"""cdk-nag acknowledgments for the api stack, each with its reason.

Kept apart from the stack so the exceptions to AwsSolutions can be reviewed in one place.
The wildcard resources acknowledged here are also bounded by ``tests/cdk`` (no ``*``
action anywhere; ``Resource: "*"`` only for actions that have no resource ARN).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cdk.nag import acknowledge, acknowledge_wildcard_resources
from cdk.rest_api.account import LOG_GROUPS

if TYPE_CHECKING:
    from collections.abc import Iterable

    from constructs import IConstruct

    from cdk.functions.construct import PythonFunction
    from cdk.rest_api.construct import VitrineRestApi

PUBLIC_REASON = (
    "Public by design: the health check, the OpenAPI document and its Swagger UI page "
    "carry no tenant data, and WAF (rate limit, managed rules) still fronts them."
)
PARTNER_REASON = (
    "Partner routes authenticate with API keys (apiKeyRequired), metered and throttled "
    "per partner by usage plans; partners are servers without Cognito users."
)
PREFLIGHT_REASON = (
    "CORS preflight (OPTIONS) requests never carry credentials; the gateway answers them "
    "itself (mock integration) without reaching the Lambda."
)
FUNCTION_WILDCARDS = (
    "Wildcards are resource-scoped: objects under the configured buckets/prefixes (keys "
    "start with the tenant, known only per request), training-job/* in this account and "
    "region (job names are per job), the Bedrock copy model's foundation model in any "
    "region but only through the configured inference profile (bedrock:InferenceProfileArn "
    "condition: cross-region inference picks the region per call); Resource '*' only "
    "for X-Ray PutTraceSegments/"
    "PutTelemetryRecords, Rekognition DetectModerationLabels and Comprehend "
    "DetectToxicContent, which have no resource ARNs."
)
RUNTIME_REASON = (
    "python3.13 (Amazon Linux 2023, deprecation 2029-06-30) is pinned, not 'latest': the "
    "asset's wheels are built for cp313 (scripts/build_lambda_asset.py, PYTHON_VERSION) and "
    "the handlers are smoke-imported from the asset under 3.13 in tests/cdk; moving runtimes "
    "means rebuilding the asset with the new version and retesting."
)
SECRET_REASON = (
    "The webhook signing secret is shared with partners, who verify signatures with it; "
    "rotating it is a coordinated change, not an unattended schedule."
)
ACCOUNT_ROLE_REASON = (
    "API Gateway's account-level logging role writes execution and access logs to log "
    "groups it names per API and stage: limited to log groups of this account and region."
)


def _acknowledge_api(api: VitrineRestApi, *, partner: bool) -> None:
    for method in api.public_methods:
        for rule in ("AwsSolutions-APIG4", "AwsSolutions-COG4"):
            acknowledge(method, rule, PUBLIC_REASON)
    if partner:
        for method in api.methods:
            for rule in ("AwsSolutions-APIG4", "AwsSolutions-COG4"):
                acknowledge(method, rule, PARTNER_REASON)
    for method in api.api.methods:
        if method.http_method == "OPTIONS":
            for rule in ("AwsSolutions-APIG4", "AwsSolutions-COG4"):
                acknowledge(method, rule, PREFLIGHT_REASON)


def acknowledge_api_stack(
    *,
    frontend: VitrineRestApi,
    partner: VitrineRestApi,
    functions: Iterable[PythonFunction],
    webhook_secret: IConstruct,
    account_role: IConstruct,
) -> None:
    """Acknowledge the api stack's reviewed findings (its parts passed in, so this module
    does not import the stack that calls it)."""
    _acknowledge_api(frontend, partner=False)
    _acknowledge_api(partner, partner=True)
    for function in functions:
        acknowledge(function.function, "AwsSolutions-L1", RUNTIME_REASON)
    acknowledge(webhook_secret, "AwsSolutions-SMG4", SECRET_REASON)
    acknowledge_wildcard_resources(account_role, [LOG_GROUPS], ACCOUNT_ROLE_REASON)
