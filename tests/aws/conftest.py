"""Fixtures for the AWS adapters under moto: fake credentials, one region, no real AWS."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
import pytest
import requests
from moto import mock_aws

from api.adapters.aws import clients
from api.settings import Settings
from tests.aws import request_shapes

if TYPE_CHECKING:
    from collections.abc import Iterator

REGION = "eu-west-1"
ACCOUNT = "123456789012"
MOTO_API = "http://motoapi.amazonaws.com/moto-api/static/sagemaker"
WEBHOOK_SECRETS_KEY = "alias/vitrine-webhook-secrets-test"


def aws_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "profile": "aws",
        "aws_region": REGION,
        "uploads_bucket": "vitrine-uploads-test",
        "results_bucket": "vitrine-results-test",
        "models_bucket": "vitrine-models-test",
        "jobs_table": "vitrine-jobs-test",
        "jobs_queue_url": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/vitrine-jobs-test",
        "webhook_queue_url": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/vitrine-webhooks-test",
        "webhook_secrets_key_id": WEBHOOK_SECRETS_KEY,
        "segmentation_endpoint": "vitrine-clipseg",
        "attributes_endpoint": "vitrine-blip2",
        "tryon_endpoint": "vitrine-tryon-async",
        "generation_endpoint": "vitrine-generation-async",
        "avatar_endpoint": "vitrine-avatars-mme",
        "training_image_uri": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/vitrine-avatar:latest",
        "training_role_arn": f"arn:aws:iam::{ACCOUNT}:role/vitrine-training",
        "training_instance_type": "ml.g4dn.xlarge",
        "avatar_base_model_uri": "s3://vitrine-models-test/base/sd-2-base/",
        "api_keys": "",
        "webhook_secret": "test-webhook-secret-0123456789abcdef",
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="session", autouse=True)
def validated_requests() -> Iterator[None]:
    """Every AWS call in these tests is checked against botocore's service model."""
    request_shapes.install()
    yield
    request_shapes.uninstall()


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fake credentials and a region; cached clients are dropped around every test."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "VitrineTest")
    clients.reset()
    yield
    clients.reset()


@pytest.fixture
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore retries without sleeping (the retry count is what the tests check)."""
    monkeypatch.setattr(
        "botocore.retries.standard.ExponentialBackoff.delay_amount", lambda self, ctx: 0
    )


@pytest.fixture
def settings() -> Settings:
    return aws_settings()


@pytest.fixture
def aws(settings: Settings) -> Iterator[Settings]:
    """moto with the deployment's resources created: buckets, jobs table (+GSI, TTL), queue."""
    with mock_aws():
        create_resources(settings)
        yield settings


def create_resources(settings: Settings) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    for bucket in (settings.uploads_bucket, settings.results_bucket, settings.models_bucket):
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    create_jobs_table(boto3.client("dynamodb", region_name=REGION), settings)
    sqs = boto3.client("sqs", region_name=REGION)
    for url in (settings.jobs_queue_url, settings.webhook_queue_url):
        sqs.create_queue(QueueName=url.rsplit("/", 1)[1])
    kms = boto3.client("kms", region_name=REGION)
    key = kms.create_key(Description="webhook secrets")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName=WEBHOOK_SECRETS_KEY, TargetKeyId=key)


def create_jobs_table(dynamodb: Any, settings: Settings) -> None:
    """The table as the storage stack defines it: pk/sk, GSIs ``by_kind``, ``webhooks_due``
    (sparse, keys only) and ``running`` (sparse), TTL."""
    dynamodb.create_table(
        TableName=settings.jobs_table,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            *(
                {"AttributeName": name, "AttributeType": "S"}
                for name in ("pk", "sk", "gsi1pk", "gsi1sk", "wh_pk", "gsi2pk", "gsi2sk")
            ),
            {"AttributeName": "wh_due", "AttributeType": "N"},
        ],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": settings.jobs_table_kind_index,
                "KeySchema": [
                    {"AttributeName": "gsi1pk", "KeyType": "HASH"},
                    {"AttributeName": "gsi1sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            },
            {
                "IndexName": settings.jobs_table_webhook_index,
                "KeySchema": [
                    {"AttributeName": "wh_pk", "KeyType": "HASH"},
                    {"AttributeName": "wh_due", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            },
            {
                "IndexName": settings.jobs_table_running_index,
                "KeySchema": [
                    {"AttributeName": "gsi2pk", "KeyType": "HASH"},
                    {"AttributeName": "gsi2sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            },
        ],
    )
    dynamodb.update_time_to_live(
        TableName=settings.jobs_table,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"},
    )


def queue_endpoint_results(*bodies: bytes | str, content_type: str = "application/json") -> None:
    """Queue what moto's sagemaker-runtime ``invoke_endpoint`` answers next, in order."""
    results = [
        {
            "Body": body.decode("latin-1") if isinstance(body, bytes) else body,
            "ContentType": content_type,
            "InvokedProductionVariant": "AllTraffic",
            "CustomAttributes": "",
        }
        for body in bodies
    ]
    response = requests.post(
        f"{MOTO_API}/endpoint-results",
        json={"account_id": ACCOUNT, "region": REGION, "results": results},
        timeout=5,
    )
    response.raise_for_status()
