"""A private S3 bucket with Vitrine's defaults: encrypted, TLS-only, no public access,
ACLs disabled, access-logged, with an optional expiry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_s3 as s3
from constructs import Construct

if TYPE_CHECKING:
    from collections.abc import Sequence

    from aws_cdk import aws_kms as kms


class SecureBucket(Construct):
    """One bucket. ``encryption_key=None`` means SSE-S3, which S3 server access logging
    requires of its target; ``access_logs=None`` only for that log bucket itself."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        encryption_key: kms.IKey | None,
        access_logs: s3.IBucket | None,
        bucket_name: str | None = None,
        expiration_days: int | None = None,
        versioned: bool = False,
        noncurrent_version_days: int = 30,
        cors_rules: Sequence[s3.CorsRule] = (),
    ) -> None:
        super().__init__(scope, construct_id)
        lifecycle = [
            s3.LifecycleRule(
                id="abort-incomplete-uploads",
                abort_incomplete_multipart_upload_after=Duration.days(1),
            )
        ]
        if expiration_days is not None:
            lifecycle.append(
                s3.LifecycleRule(id="expire", expiration=Duration.days(expiration_days))
            )
        if versioned:
            lifecycle.append(
                s3.LifecycleRule(
                    id="expire-noncurrent",
                    noncurrent_version_expiration=Duration.days(noncurrent_version_days),
                )
            )
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            bucket_name=bucket_name,
            encryption=s3.BucketEncryption.KMS
            if encryption_key
            else s3.BucketEncryption.S3_MANAGED,
            encryption_key=encryption_key,
            # One data key per bucket, not per object: fewer KMS calls, same key policy.
            bucket_key_enabled=encryption_key is not None,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=access_logs,
            server_access_logs_prefix=f"{construct_id.lower()}/" if access_logs else None,
            versioned=versioned,
            lifecycle_rules=lifecycle,
            cors=list(cors_rules) or None,
            removal_policy=RemovalPolicy.RETAIN,
        )
