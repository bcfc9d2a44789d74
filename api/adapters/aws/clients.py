"""Cached boto3 clients with bounded retries and timeouts.

One client per (service, policy), built on first use and kept for the life of the Lambda
execution environment: cold starts pay for a client only when a request needs it.
Clients are thread-safe once built; building is guarded by a lock.

Model calls (SageMaker runtime, Bedrock) run under a deadline when one is set
(``deadline``: the API handler sets API Gateway's 29 s, the worker the Lambda's remaining
time): their client's attempts and read timeout are cut to fit what is left
(``budgets.fit``), so a slow model ends as a problem (504/503) or a failed job, never as a
gateway timeout or a killed Lambda.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, cast

from api.adapters.aws import budgets
from api.domain import errors as e

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mypy_boto3_bedrock_runtime import BedrockRuntimeClient
    from mypy_boto3_comprehend import ComprehendClient
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_kms import KMSClient
    from mypy_boto3_rekognition import RekognitionClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_sagemaker import SageMakerClient
    from mypy_boto3_sagemaker_runtime import SageMakerRuntimeClient
    from mypy_boto3_sqs import SQSClient

    from api.settings import Settings


@dataclass(frozen=True, slots=True)
class ClientPolicy:
    """How a client retries and waits. Hashable: it is part of the cache key."""

    region: str | None
    retry_mode: Literal["standard", "adaptive"] = "standard"
    max_attempts: int = 3
    connect_timeout: float = 3.0
    read_timeout: float = 10.0

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        read_timeout: float | None = None,
        max_attempts: int | None = None,
    ) -> ClientPolicy:
        return cls(
            region=settings.aws_region,
            retry_mode=settings.aws_retry_mode,
            max_attempts=max_attempts or settings.aws_max_attempts,
            connect_timeout=settings.aws_connect_timeout_seconds,
            read_timeout=read_timeout or settings.aws_read_timeout_seconds,
        )


# When model calls must have ended (``time.monotonic()``), in this request or job.
_deadline: ContextVar[float | None] = ContextVar("vitrine_aws_deadline", default=None)


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Model calls made in this block end within ``seconds`` from now, retries included."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def remaining_seconds() -> float | None:
    """Seconds left before the current deadline; ``None`` when none is set."""
    at = _deadline.get()
    return None if at is None else at - time.monotonic()


def model_policy(settings: Settings) -> ClientPolicy:
    """The model calls' policy (``model_read_timeout_seconds``, ``model_max_attempts``),
    cut to the current deadline. No time left: ``DependencyTimeout`` before any call."""
    policy = ClientPolicy.from_settings(
        settings,
        read_timeout=settings.model_read_timeout_seconds,
        max_attempts=settings.model_max_attempts,
    )
    left = remaining_seconds()
    if left is None:
        return policy
    fitted = budgets.fit(policy, left)
    if fitted is None:
        raise e.DependencyTimeout("No time was left to call the model")
    return fitted


_lock = threading.Lock()
_cache: dict[tuple[str, ClientPolicy], Any] = {}
# One session for every client: it loads the service models once (clients share them).
_session: Any = None


def client(service: str, policy: ClientPolicy) -> Any:
    """The cached client for ``service`` under ``policy`` (built on first use)."""
    key = (service, policy)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    with _lock:
        if key not in _cache:
            _cache[key] = _build(service, policy)
        return _cache[key]


def reset() -> None:
    """Forget every cached client (tests switch credentials and mocks between cases)."""
    global _session
    with _lock:
        _cache.clear()
        _session = None


def _build(service: str, policy: ClientPolicy) -> Any:
    # Imported here so that importing this module costs nothing until a client is needed.
    import boto3
    from botocore.config import Config

    global _session
    if _session is None:  # called under _lock
        _session = boto3.session.Session()

    extra: dict[str, Any] = {}
    if service == "s3":
        # SigV4 presigned URLs on the regional virtual-hosted endpoint.
        extra = {"signature_version": "s3v4", "s3": {"addressing_style": "virtual"}}
    config = Config(
        region_name=policy.region,
        # total_max_attempts counts the first try (botocore's max_attempts counts retries).
        retries={"mode": policy.retry_mode, "total_max_attempts": policy.max_attempts},
        connect_timeout=policy.connect_timeout,
        read_timeout=policy.read_timeout,
        **extra,
    )
    return _session.client(service, config=config)


def s3(settings: Settings) -> S3Client:
    return cast("S3Client", client("s3", ClientPolicy.from_settings(settings)))


def dynamodb(settings: Settings) -> DynamoDBClient:
    return cast("DynamoDBClient", client("dynamodb", ClientPolicy.from_settings(settings)))


def sqs(settings: Settings) -> SQSClient:
    return cast("SQSClient", client("sqs", ClientPolicy.from_settings(settings)))


def kms(settings: Settings) -> KMSClient:
    return cast("KMSClient", client("kms", ClientPolicy.from_settings(settings)))


def sagemaker(settings: Settings) -> SageMakerClient:
    return cast("SageMakerClient", client("sagemaker", ClientPolicy.from_settings(settings)))


def sagemaker_runtime(settings: Settings) -> SageMakerRuntimeClient:
    # Real-time endpoints answer within 60 s; the read timeout must outlast the model,
    # within the current deadline. Call it per request: the deadline changes.
    return cast("SageMakerRuntimeClient", client("sagemaker-runtime", model_policy(settings)))


def bedrock_runtime(settings: Settings) -> BedrockRuntimeClient:
    return cast("BedrockRuntimeClient", client("bedrock-runtime", model_policy(settings)))


def rekognition(settings: Settings) -> RekognitionClient:
    return cast("RekognitionClient", client("rekognition", ClientPolicy.from_settings(settings)))


def comprehend(settings: Settings) -> ComprehendClient:
    return cast("ComprehendClient", client("comprehend", ClientPolicy.from_settings(settings)))
