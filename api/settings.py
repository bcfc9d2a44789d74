"""Settings: one class, env prefix ``VITRINE_``, validated at start.

The CDK stacks set the same variable names on the Lambdas (``cdk/``), so the names
below are the contract between code and infrastructure.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VITRINE_", extra="ignore")

    profile: Literal["local", "aws"] = "local"

    # --- local profile (the embedded default) ---
    data_dir: Path = Path(".vitrine-data")
    models_dir: Path = Path("models")
    # Comma-separated ``key:tenant`` pairs, sent by clients in ``x-api-key``.
    api_keys: str = ""
    public_base_url: str = "http://127.0.0.1:8000"
    # Signs local upload/download URLs (the stand-in for S3 presigning).
    url_signing_secret: SecretStr = SecretStr("local-dev-url-secret")
    worker_threads: int = Field(default=1, ge=1, le=16)

    # --- webhooks ---
    webhook_secret: SecretStr = SecretStr("local-dev-webhook-secret")
    webhook_max_attempts: int = Field(default=5, ge=1, le=10)
    webhook_timeout_seconds: float = Field(default=5.0, gt=0)
    webhook_backoff_seconds: float = Field(default=0.5, ge=0)

    # --- limits ---
    # API Gateway/Lambda payloads stop at 6 MB; base64 grows 4/3, so ~4.3 MB raw inline.
    max_inline_image_bytes: int = Field(default=4_300_000, gt=0)
    max_upload_bytes: int = Field(default=15_000_000, gt=0)
    max_image_pixels: int = Field(default=4096 * 4096, gt=0)
    max_prompt_chars: int = Field(default=500, gt=0)
    max_images_per_request: int = Field(default=4, ge=1, le=8)
    max_inference_steps: int = Field(default=100, ge=1)
    job_ttl_days: int = Field(default=30, ge=1)
    url_ttl_seconds: int = Field(default=3600, ge=60, le=7 * 24 * 3600)
    idempotency_ttl_hours: int = Field(default=24, ge=1)

    # --- aws profile (names set by the CDK stacks) ---
    aws_region: str | None = None
    uploads_bucket: str = ""
    results_bucket: str = ""
    models_bucket: str = ""
    jobs_table: str = ""
    jobs_queue_url: str = ""
    segmentation_endpoint: str = ""
    attributes_endpoint: str = ""
    tryon_endpoint: str = ""
    avatar_endpoint: str = ""
    mme_prefix: str = "avatars/"
    async_input_prefix: str = "async-inputs/"
    bedrock_model_id: str = "anthropic.claude-3-5-haiku-20241022-v1:0"
    bedrock_guardrail_id: str | None = None
    bedrock_guardrail_version: str = "DRAFT"
    moderation_min_confidence: float = Field(default=80.0, ge=0, le=100)
    training_image_uri: str = ""
    training_role_arn: str = ""
    training_instance_type: str = "ml.g5.2xlarge"
    training_max_seconds: int = Field(default=3 * 3600, gt=0)
    avatar_base_model_uri: str = ""

    @field_validator("api_keys")
    @classmethod
    def _keys_well_formed(cls, raw: str) -> str:
        parse_api_keys(raw)
        return raw

    def api_key_map(self) -> dict[str, str]:
        return parse_api_keys(self.api_keys)


def parse_api_keys(raw: str) -> dict[str, str]:
    """Parse ``key:tenant,key2:tenant2`` into ``{key: tenant}``."""
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        key, sep, tenant = item.partition(":")
        if not sep or not key.strip() or not tenant.strip():
            raise ValueError(f"VITRINE_API_KEYS entry {item!r} is not 'key:tenant'")
        pairs[key.strip()] = tenant.strip()
    return pairs


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
