"""Storage: the data key, the S3 buckets (uploads, results, models, access logs) and the
jobs table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aws_cdk import Aws, RemovalPolicy, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3

from cdk.buckets.construct import SecureBucket
from cdk.jobs_table.construct import JobsTable
from cdk.nag import acknowledge

if TYPE_CHECKING:
    from constructs import Construct

    from cdk.config import DeployConfig

ACCESS_LOG_DAYS = 365
DATA_BUCKETS = ("uploads", "results", "models")


def data_bucket_name(stack_prefix: str, purpose: str, suffix: str = "") -> str:
    """``vitrine-models-<account>-<region>[-<suffix>]``: known before deployment, so
    operators can upload model artifacts to it and IAM policies name it without
    cross-stack exports. These are retained on stack deletion: a redeploy after one needs
    another ``vitrine:resourceSuffix`` (or the retained ones removed)."""
    return f"{stack_prefix.lower()}-{purpose}-{Aws.ACCOUNT_ID}-{Aws.REGION}" + _dash(suffix)


def jobs_table_name(stack_prefix: str, suffix: str = "") -> str:
    return f"{stack_prefix}-jobs" + _dash(suffix)


def _dash(suffix: str) -> str:
    return f"-{suffix}" if suffix else ""


@dataclass(frozen=True, slots=True)
class SharedData:
    """The data buckets and jobs table as another stack sees them: by name, with the key."""

    uploads: s3.IBucket
    results: s3.IBucket
    models: s3.IBucket
    jobs_table: dynamodb.ITable


class StorageStack(Stack):
    def __init__(
        self, scope: Construct, construct_id: str, *, config: DeployConfig, **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self._prefix = config.stack_prefix
        self._suffix = config.resource_suffix
        # One customer-managed key for the data at rest (buckets, table, topics, Lambda
        # environments): access to data then also needs an explicit KMS grant.
        self.data_key = kms.Key(
            self,
            "DataKey",
            description="Vitrine data at rest (S3, DynamoDB, SNS, Lambda environment)",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN,
        )

        access_logs = SecureBucket(
            self,
            "AccessLogs",
            encryption_key=None,
            access_logs=None,
            expiration_days=ACCESS_LOG_DAYS,
            # The audit trail: versioned, so a deleted or overwritten log object stays
            # recoverable for a while (noncurrent versions expire after 30 days).
            versioned=True,
        )
        acknowledge(
            access_logs,
            "AwsSolutions-S1",
            "This is the server access log bucket; logging it into itself would loop.",
        )
        self.access_logs_bucket = access_logs.bucket

        browser_origins = list(config.cors_allow_origins)
        # Browsers PUT to presigned upload URLs and may fetch result URLs.
        upload_cors = [
            s3.CorsRule(
                allowed_methods=[s3.HttpMethods.PUT],
                allowed_origins=browser_origins,
                # The headers the presigned PUT is signed with (api/adapters/aws/s3.py).
                allowed_headers=[
                    "content-type",
                    "content-length",
                    "x-amz-server-side-encryption",
                    "x-amz-server-side-encryption-aws-kms-key-id",
                ],
                max_age=3000,
            )
        ]
        result_cors = [
            s3.CorsRule(
                allowed_methods=[s3.HttpMethods.GET, s3.HttpMethods.HEAD],
                allowed_origins=browser_origins,
                max_age=3000,
            )
        ]
        self.uploads_bucket = SecureBucket(
            self,
            "Uploads",
            encryption_key=self.data_key,
            access_logs=access_logs.bucket,
            bucket_name=data_bucket_name(config.stack_prefix, "uploads", config.resource_suffix),
            expiration_days=config.uploads_expiration_days,
            cors_rules=upload_cors if browser_origins else (),
        ).bucket
        self.results_bucket = SecureBucket(
            self,
            "Results",
            encryption_key=self.data_key,
            access_logs=access_logs.bucket,
            bucket_name=data_bucket_name(config.stack_prefix, "results", config.resource_suffix),
            expiration_days=config.job_ttl_days,
            cors_rules=result_cors if browser_origins else (),
        ).bucket
        # Model artifacts (packed models, avatar adapters under the MME prefix) are the
        # expensive things to lose: versioned, never expired.
        self.models_bucket = SecureBucket(
            self,
            "Models",
            encryption_key=self.data_key,
            access_logs=access_logs.bucket,
            bucket_name=data_bucket_name(config.stack_prefix, "models", config.resource_suffix),
            versioned=True,
        ).bucket

        self.jobs_table = JobsTable(
            self,
            "Jobs",
            table_name=jobs_table_name(config.stack_prefix, config.resource_suffix),
            encryption_key=self.data_key,
        ).table

    def import_data(self, scope: Construct) -> SharedData:
        """The buckets and table for use in ``scope``'s stack. Referenced by name, their ARNs
        are plain strings in that stack's policies (reviewable, and acknowledgeable by
        cdk-nag) rather than imports of this stack's outputs."""
        imported = {
            purpose: s3.Bucket.from_bucket_attributes(
                scope,
                f"{purpose.title()}Bucket",
                bucket_name=data_bucket_name(self._prefix, purpose, self._suffix),
                encryption_key=self.data_key,
            )
            for purpose in DATA_BUCKETS
        }
        table = dynamodb.Table.from_table_attributes(
            scope,
            "JobsTable",
            table_name=jobs_table_name(self._prefix, self._suffix),
            encryption_key=self.data_key,
        )
        return SharedData(**imported, jobs_table=table)
