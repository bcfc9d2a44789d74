"""Least-privilege grants the stacks use: exact actions on exact resources.

The stock ``bucket.grant_read``/``grant_write`` hand out wildcard actions (``s3:GetObject*``,
``s3:List*``, ``kms:ReEncrypt*``); these helpers name every action, scope object access
to key prefixes, and add the matching KMS permissions of the bucket's key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aws_cdk import Aws, Stack
from aws_cdk import aws_iam as iam

if TYPE_CHECKING:
    from collections.abc import Iterable

    from aws_cdk import aws_kms as kms
    from aws_cdk import aws_s3 as s3
    from constructs import IConstruct

_ECR_IMAGE = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr\.(?P<region>[a-z0-9-]+|\{region\})\.amazonaws\.com(?:\.cn)?"
    r"/(?P<repository>[a-z0-9._/-]+)(?::[\w.-]+|@sha256:[0-9a-f]{64})$"
)
# Actions IAM offers on no resource narrower than "*" (AWS service authorization reference).
UNSCOPED_ACTIONS = frozenset(
    {
        "ecr:GetAuthorizationToken",
        "cloudwatch:PutMetricData",
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "rekognition:DetectModerationLabels",
        "comprehend:DetectToxicContent",
        # What SageMaker looks up to place a model in a VPC (no resource-level ARNs).
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeVpcs",
        "ec2:DescribeDhcpOptions",
        "ec2:DescribeSubnets",
        "ec2:DescribeSecurityGroups",
    }
)


@dataclass(frozen=True, slots=True)
class ObjectAccess:
    """What a principal may do with the objects under some key prefixes of one bucket."""

    read: bool = False
    write: bool = False
    delete: bool = False
    list: bool = False
    prefixes: tuple[str, ...] = ("",)
    # Exact object keys, on top of the prefixes (``prefixes=()`` for keys alone).
    keys: tuple[str, ...] = ()


def grant_objects(bucket: s3.IBucket, grantee: iam.IGrantable, access: ObjectAccess) -> list[str]:
    """Grant exactly ``access`` on ``bucket`` (plus its KMS key) to ``grantee``; return the
    object ARNs (patterns) granted."""
    objects = [
        *(bucket.arn_for_objects(f"{prefix}*") for prefix in access.prefixes),
        *(bucket.arn_for_objects(key) for key in access.keys),
    ]
    actions = [
        *(["s3:GetObject"] if access.read else []),
        *(["s3:PutObject", "s3:AbortMultipartUpload"] if access.write else []),
        *(["s3:DeleteObject"] if access.delete else []),
    ]
    if actions:
        iam.Grant.add_to_principal(grantee=grantee, actions=actions, resource_arns=objects)
    if access.list:
        # Lets HeadObject answer 404 (not 403) for a missing key, and lists prefixes.
        statement = iam.PolicyStatement(actions=["s3:ListBucket"], resources=[bucket.bucket_arn])
        if access.prefixes != ("",):
            statement.add_condition(
                "StringLike", {"s3:prefix": [f"{prefix}*" for prefix in access.prefixes]}
            )
        grantee.grant_principal.add_to_principal_policy(statement)
    key = bucket.encryption_key
    if key is not None:
        key_actions = [
            *(["kms:Decrypt"] if access.read or access.write else []),
            *(["kms:GenerateDataKey"] if access.write else []),
        ]
        if key_actions:
            key.grant(grantee, *key_actions)
    return objects if actions else []


def grant_key_for_aws_resources(key: kms.IKey, grantee: iam.IGrantable) -> None:
    """Let ``grantee`` hand ``key`` to an AWS service for a resource it creates for it (a
    training job's encrypted volume and output): grants only for AWS resources."""
    key.grant(grantee, "kms:DescribeKey")
    grantee.grant_principal.add_to_principal_policy(
        iam.PolicyStatement(
            actions=["kms:CreateGrant"],
            resources=[key.key_arn],
            conditions={"Bool": {"kms:GrantIsForAWSResource": "true"}},
        )
    )


def ecr_repository_arn(image_uri: str) -> str:
    """The ECR repository ARN of ``image_uri`` (``{region}`` = the deployment region)."""
    match = _ECR_IMAGE.match(image_uri)
    if match is None:
        raise ValueError(f"not an ECR image URI: {image_uri!r}")
    region = match["region"]
    return (
        f"arn:{Aws.PARTITION}:ecr:{Aws.REGION if region == '{region}' else region}:"
        f"{match['account']}:repository/{match['repository']}"
    )


def resolve_image(scope: IConstruct, image_uri: str) -> str:
    """``image_uri`` with ``{region}`` replaced by the stack's region."""
    return image_uri.replace("{region}", Stack.of(scope).region)


def grant_image_pull(grantee: iam.IGrantable, repository_arns: Iterable[str]) -> list[str]:
    """Pull images from the given ECR repositories (``ecr_repository_arn`` of a URI, or an
    image asset's repository); the registry token itself exists only on ``*``."""
    iam.Grant.add_to_principal(
        grantee=grantee,
        actions=[
            "ecr:BatchGetImage",
            "ecr:GetDownloadUrlForLayer",
            "ecr:BatchCheckLayerAvailability",
        ],
        resource_arns=_unique(repository_arns),
    )
    iam.Grant.add_to_principal(
        grantee=grantee, actions=["ecr:GetAuthorizationToken"], resource_arns=["*"]
    )
    return ["*"]


def _unique(values: Iterable[str]) -> list[str]:
    """Distinct values in first-seen order (tokens do not sort meaningfully)."""
    return list(dict.fromkeys(values))


def grant_log_groups(grantee: iam.IGrantable, *, log_group_prefix: str) -> list[str]:
    """Create and write log groups/streams whose names start with ``log_group_prefix``."""
    groups = f"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:log-group:{log_group_prefix}*"
    iam.Grant.add_to_principal(
        grantee=grantee,
        actions=[
            "logs:CreateLogGroup",
            "logs:CreateLogStream",
            "logs:PutLogEvents",
            "logs:DescribeLogStreams",
        ],
        resource_arns=[groups],
    )
    return [groups]


def grant_metrics(grantee: iam.IGrantable, *, namespaces: Iterable[str]) -> list[str]:
    """``PutMetricData`` has no resource ARN; the namespace condition scopes it instead."""
    grantee.grant_principal.add_to_principal_policy(
        iam.PolicyStatement(
            actions=["cloudwatch:PutMetricData"],
            resources=["*"],
            conditions={"StringLike": {"cloudwatch:namespace": sorted(namespaces)}},
        )
    )
    return ["*"]


# Cross-region inference profile ids start with a geography ("us.anthropic...").
_PROFILE_GEOGRAPHIES = ("us.", "eu.", "apac.", "us-gov.", "ca.", "jp.", "au.", "global.")


def bedrock_model_statements(model_id: str) -> list[iam.PolicyStatement]:
    """What ``bedrock:InvokeModel`` (Converse) must allow for ``model_id``.

    A foundation model id: that model in this region. A cross-region inference profile id
    (``us.…``, ``eu.…``, ``global.…``): the profile in this region, plus the foundation
    model it routes to in whichever region Bedrock picks, but only when called through
    that profile (``bedrock:InferenceProfileArn``).
    """
    if model_id.startswith("arn:"):
        return [iam.PolicyStatement(actions=["bedrock:InvokeModel"], resources=[model_id])]
    if not model_id.startswith(_PROFILE_GEOGRAPHIES):
        return [
            iam.PolicyStatement(
                actions=["bedrock:InvokeModel"],
                resources=[
                    f"arn:{Aws.PARTITION}:bedrock:{Aws.REGION}::foundation-model/{model_id}"
                ],
            )
        ]
    base = model_id.split(".", 1)[1]
    profile = (
        f"arn:{Aws.PARTITION}:bedrock:{Aws.REGION}:{Aws.ACCOUNT_ID}:inference-profile/{model_id}"
    )
    return [
        iam.PolicyStatement(actions=["bedrock:InvokeModel"], resources=[profile]),
        iam.PolicyStatement(
            actions=["bedrock:InvokeModel"],
            resources=[f"arn:{Aws.PARTITION}:bedrock:*::foundation-model/{base}"],
            conditions={"StringEquals": {"bedrock:InferenceProfileArn": profile}},
        ),
    ]
