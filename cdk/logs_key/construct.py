"""The customer-managed key that encrypts the api stack's log groups (Lambda logs, API
Gateway access logs, WAF logs).

CloudWatch Logs encrypts and decrypts with it itself (writers and readers need no KMS
grant), so its key policy lets the regional Logs service use it, but only for log groups
of this account and region (the ``aws:logs:arn`` encryption context). Logs hold request
metadata (caller IPs, user ids, paths), not bodies or tokens; a key of their own keeps the
data key's policy out of it and lets operators revoke log access apart from data access.
"""

from __future__ import annotations

from aws_cdk import Aws, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

LOGS_KEY_ACTIONS = (
    "kms:Encrypt*",
    "kms:Decrypt*",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:Describe*",
)


class LogsKey(Construct):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.key = kms.Key(
            self,
            "Key",
            description="Vitrine log groups (Lambda, API Gateway access logs, WAF)",
            enable_key_rotation=True,
            # Retained like the log groups it encrypts: deleting it would make them unreadable.
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchLogsOfThisAccount",
                principals=[iam.ServicePrincipal(f"logs.{Aws.REGION}.amazonaws.com")],
                actions=list(LOGS_KEY_ACTIONS),
                resources=["*"],
                conditions={
                    "ArnLike": {
                        "kms:EncryptionContext:aws:logs:arn": (
                            f"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:log-group:*"
                        )
                    }
                },
            )
        )
