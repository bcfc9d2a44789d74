"""Settings: one class, env prefix ``VITRINE_``, validated at start.

The CDK stacks set the same variable names on the Lambdas (``cdk/``), so the names
below are the contract between code and infrastructure.
"""

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Secrets no deployment may run on a built-in value of: the local profile generates what is
# unset, the aws profile refuses to start without what it uses.
SECRET_FIELDS = ("url_signing_secret", "webhook_secret")
AWS_SECRET_FIELDS = ("webhook_secret",)  # S3 presigns the aws profile's URLs
MIN_SECRET_CHARS = 32
# The defaults of earlier versions: public, so never accepted as a secret.
_PUBLISHED_SECRETS = frozenset({"local-dev-url-secret", "local-dev-webhook-secret"})
# Try-on settings the inpainting container reads too (same VITRINE_ names): the local
# runtime hands them to the handler, CDK sets them on the endpoint. (The image limits,
# max_image_pixels and max_prompt_chars, the containers read with the same defaults.)
CONTAINER_FIELDS = (
    "tryon_mask_dilate_px",
    "tryon_mask_feather_px",
    "tryon_context",
    "tryon_max_output_side",
    "allow_noncommercial_models",
)


class UnsetSecret(SecretStr):
    """A secret nobody set: it refuses to be read, so it can never sign anything."""

    def __init__(self) -> None:
        super().__init__("")

    def get_secret_value(self) -> str:
        raise RuntimeError("this secret is not set (see README: secrets)")

    def __repr__(self) -> str:
        return "UnsetSecret()"


def secret_is_set(value: SecretStr) -> bool:
    return not isinstance(value, UnsetSecret)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VITRINE_", extra="ignore")

    profile: Literal["local", "aws"] = "local"

    # --- local profile (the embedded default) ---
    data_dir: Path = Path(".vitrine-data")
    models_dir: Path = Path("models")
    # Comma-separated ``key:tenant`` pairs, sent by clients in ``x-api-key``.
    api_keys: str = ""
    public_base_url: str = "http://127.0.0.1:8000"
    # Comma-separated browser origins (storefronts) allowed to call the API; none: no CORS.
    cors_allow_origins: str = ""
    # Signs local upload/download URLs (the stand-in for S3 presigning). Unset: the local
    # profile generates one into the data dir (api/adapters/local/secrets.py).
    url_signing_secret: SecretStr = Field(default_factory=lambda: UnsetSecret())
    worker_threads: int = Field(default=1, ge=1, le=16)

    # --- webhooks ---
    # Signs webhook deliveries. Unset: generated (local profile); required (aws profile).
    webhook_secret: SecretStr = Field(default_factory=lambda: UnsetSecret())
    webhook_max_attempts: int = Field(default=5, ge=1, le=10)
    webhook_timeout_seconds: float = Field(default=5.0, gt=0)
    webhook_backoff_seconds: float = Field(default=0.5, ge=0)
    # Local profile only: accept loopback receivers (http://127.0.0.1, ::1, localhost) as
    # callback URLs and deliver to them. Never on the aws profile.
    webhook_allow_loopback: bool = False
    # The local outbox: attempts per event, the first included, and the longest wait
    # between two. Waits grow 4x from webhook_backoff_seconds (jittered): with the
    # defaults, 0.5 s, 2 s, 8 s, … then hourly; about 5 hours in all.
    webhook_outbox_attempts: int = Field(default=12, ge=1, le=30)
    webhook_outbox_max_backoff_seconds: float = Field(default=3600.0, gt=0)

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
    # A claim whose request never finished (its process died) frees its key after this
    # long; a retry meanwhile gets 409 with Retry-After. Longer than any request runs
    # (the API Lambda stops at 29 s).
    idempotency_lease_seconds: int = Field(default=60, ge=1, le=900)

    # --- avatars (DreamBooth-LoRA) ---
    avatar_min_photos: int = Field(default=10, ge=1)
    avatar_max_photos: int = Field(default=15, ge=1, le=50)
    # Shorter sides cannot be cropped to a useful training square.
    avatar_min_photo_side: int = Field(default=256, ge=8)
    # Photos are stored downscaled to this short side (training crops to the resolution).
    avatar_photo_max_side: int = Field(default=1024, ge=64)
    avatar_train_steps: int = Field(default=400, ge=1, le=10_000)
    avatar_resolution: int = Field(default=512, ge=8, le=1024, multiple_of=8)
    avatar_lora_rank: int = Field(default=4, ge=1, le=128)
    # The rare token that names the subject in prompts ("a photo of sks person").
    avatar_instance_token: str = Field(default="sks", pattern=r"^[a-z]{2,12}$")
    # An avatar lives until deleted; the job TTL (DynamoDB) still needs a date.
    avatar_ttl_days: int = Field(default=3650, ge=1)

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
    # A cross-region inference profile (geography prefix): Bedrock routes each call to a region
    # of that geography with capacity. README "Operations" says how to pick another model.
    bedrock_model_id: str = "us.anthropic.claude-sonnet-4-6"
    bedrock_guardrail_id: str | None = None
    bedrock_guardrail_version: str = "DRAFT"
    moderation_min_confidence: float = Field(default=80.0, ge=0, le=100)
    training_image_uri: str = ""
    training_role_arn: str = ""
    training_instance_type: str = "ml.g5.2xlarge"
    training_max_seconds: int = Field(default=3 * 3600, gt=0)
    avatar_base_model_uri: str = ""
    # boto3 clients: bounded retries (botocore "standard" or "adaptive") and timeouts.
    aws_retry_mode: Literal["standard", "adaptive"] = "standard"
    aws_max_attempts: int = Field(default=3, ge=1, le=10)  # total, the first try included
    aws_connect_timeout_seconds: float = Field(default=3.0, gt=0)
    aws_read_timeout_seconds: float = Field(default=10.0, gt=0)
    # SageMaker/Bedrock calls wait for the model (real-time endpoints stop at 60 s). Under
    # a deadline (API: 29 s; worker: the Lambda's time left) both are cut to fit
    # (api/adapters/aws/budgets.py).
    model_read_timeout_seconds: float = Field(default=60.0, gt=0)
    model_max_attempts: int = Field(default=3, ge=1, le=5)  # total, the first try included
    # S3 server-side encryption: SSE-KMS with this key when set, else SSE-S3 (AES256).
    kms_key_id: str | None = None
    # The jobs table's GSI for "a tenant's jobs of one kind, newest first".
    jobs_table_kind_index: str = "by_kind"
    # --- attributes (issue 14): fine-tuned attribute models (BLIP-2 LoRA adapters) ---
    attribute_train_steps: int = Field(default=300, ge=1, le=20_000)
    attribute_train_epochs: int = Field(default=3, ge=1, le=50)
    attribute_lora_rank: int = Field(default=8, ge=1, le=128)
    attribute_validation_fraction: float = Field(default=0.2, gt=0, lt=1)
    attribute_model_ttl_days: int = Field(default=3650, ge=1)
    # The BLIP-2 base the training job fine-tunes (its ``base`` channel; s3://...), the
    # same checkpoint the blip2 endpoint serves, so adapters always match their base.
    blip2_base_model_uri: str = ""
    attribute_batch_max_images: int = Field(default=100, ge=1, le=1000)
    # --- crash safety and isolation (local trainings; jobs handed off that never report) ---
    # Local avatar trainings run at once, each in a child process watched by a thread
    # of its own: the job worker never waits on one.
    training_threads: int = Field(default=1, ge=1, le=8)
    # A job handed off to something that reports back (an async endpoint) and silent
    # for this long is failed (``model-timeout``): its notification is taken as lost.
    # Beyond SageMaker's own limits for an async request (queued up to RequestTTLSeconds,
    # 6 h by default, then InvocationTimeoutSeconds, 15 min), after which it reports a
    # failure itself.
    handoff_timeout_seconds: int = Field(default=7 * 3600, gt=0)
    # The jobs table's sparse GSI of running jobs (the hand-off sweep reads it).
    jobs_table_running_index: str = "running"

    # --- try-on (full-resolution compositing, outputs, model licences) ---
    # Read by the inpainting container under the same VITRINE_ names (CDK sets them on the
    # endpoint; locally the in-process runtime shares this process's environment).
    # The mask grows by this many pixels (the new garment's edge rarely follows the old)...
    tryon_mask_dilate_px: int = Field(default=12, ge=0, le=256)
    # ...then fades into the photo over this many more (0: a hard edge).
    tryon_mask_feather_px: int = Field(default=16, ge=0, le=256)
    # Context around the masked region sent to the model, as a share of its long side.
    tryon_context: float = Field(default=0.25, ge=0.0, le=2.0)
    # Outputs keep the input's size up to this long side (larger inputs are scaled to it).
    tryon_max_output_side: int = Field(default=4096, ge=256, le=8192)
    # Long sides of the optional size variants a try-on can ask for.
    tryon_variant_thumbnail_side: int = Field(default=256, ge=16, le=4096)
    tryon_variant_card_side: int = Field(default=768, ge=16, le=4096)
    tryon_variant_detail_side: int = Field(default=1600, ge=16, le=8192)
    # Model folders whose card declares a non-commercial licence are refused unless true
    # (sagemaker_containers/common/licences.py; README "Licences").
    allow_noncommercial_models: bool = False

    # --- webhooks: per-tenant secrets and the AWS outbox (issue 16) ---
    # How long a replaced webhook secret (or the deployment's, after a tenant's first
    # secret) keeps signing deliveries beside the new one.
    webhook_secret_grace_hours: float = Field(default=24.0, gt=0, le=24 * 30)
    # aws: the webhook deliveries queue (the sender Lambda's), the KMS key that encrypts
    # tenants' secrets, and the jobs table's sparse GSI of pending deliveries by due time.
    webhook_queue_url: str = ""
    webhook_secrets_key_id: str = ""
    jobs_table_webhook_index: str = "webhooks_due"
    # aws: a pending delivery this long past its due time lost its SQS message (a send
    # after the transition failed): the sweeper enqueues it again.
    webhook_sweep_after_seconds: int = Field(default=600, ge=60)

    # --- tenant models (issue 11): style, product and concept adapters ---
    model_min_images: int = Field(default=3, ge=1)
    model_max_images: int = Field(default=500, ge=1, le=1000)
    model_min_image_side: int = Field(default=256, ge=8)
    model_max_caption_words: int = Field(default=60, ge=1, le=60)
    model_ttl_days: int = Field(default=3650, ge=1)
    # The fashion-styling blog's recipe, as LoRA (README "Tenant models").
    style_train_steps: int = Field(default=800, ge=1, le=20_000)
    style_resolution: int = Field(default=512, ge=8, le=1024, multiple_of=8)
    style_lora_rank: int = Field(default=4, ge=1, le=128)
    product_train_steps: int = Field(default=1000, ge=1, le=20_000)
    product_resolution: int = Field(default=1024, ge=8, le=1024, multiple_of=8)
    product_lora_rank: int = Field(default=4, ge=1, le=128)
    concept_train_steps: int = Field(default=500, ge=1, le=20_000)
    concept_resolution: int = Field(default=1024, ge=8, le=1024, multiple_of=8)
    # What the models fine-tune: recorded in each model (``base``), and on AWS the
    # training jobs' ``base`` channels (s3://...), the checkpoints the endpoints serve.
    style_base_model_id: str = "stabilityai/stable-diffusion-2-inpainting"
    sdxl_base_model_id: str = "stabilityai/stable-diffusion-xl-base-1.0"
    style_base_model_uri: str = ""
    sdxl_base_model_uri: str = ""

    # --- generation (issue 11): the SDXL async endpoint (aws) ---
    generation_endpoint: str = ""

    # --- model comparisons (issue 12): /v1/comparisons ---
    comparison_max_prompts: int = Field(default=50, ge=1, le=50)
    comparison_max_models: int = Field(default=8, ge=1, le=8)
    comparison_default_steps: int = Field(default=30, ge=1, le=150)
    # The price table a comparison's costs come from: the instance the run's SageMaker
    # models generate on ($/hour x measured model seconds), and hosted models' price per
    # image (by Bedrock model id or OpenAI model). On-demand list prices (us-east-1) as
    # recorded on ``comparison_prices_as_of``: edit them for your region and contract.
    comparison_instance_type: str = "ml.g5.2xlarge"
    comparison_instance_usd_per_hour: dict[str, float] = {
        "ml.g5.2xlarge": 1.515,
        "ml.g5.xlarge": 1.408,
        "ml.g6e.2xlarge": 3.018,
    }
    comparison_hosted_usd_per_image: dict[str, float] = {
        "amazon.nova-canvas-v1:0": 0.04,
        "amazon.titan-image-generator-v2:0": 0.01,
        "gpt-image-1": 0.042,
    }
    comparison_prices_as_of: str = "2026-11-30"
    # aws: the CLIP checkpoint that scores comparisons (the run's ``clip`` channel), and the
    # unpacked CLIPSeg the run's try-on columns find garments with (its ``clipseg`` channel;
    # unset: a try-on cell needs a mask the spec does not carry, so it fails saying why).
    clip_model_uri: str = ""
    clipseg_model_uri: str = ""

    @field_validator("api_keys")
    @classmethod
    def _keys_well_formed(cls, raw: str) -> str:
        parse_api_keys(raw)
        return raw

    @field_validator(*SECRET_FIELDS, mode="before")
    @classmethod
    def _strong_secret(cls, value: Any) -> Any:
        if isinstance(value, UnsetSecret):
            return value
        raw = value.get_secret_value() if isinstance(value, SecretStr) else value
        if isinstance(raw, str) and (raw in _PUBLISHED_SECRETS or len(raw) < MIN_SECRET_CHARS):
            raise ValueError(
                f"a secret needs at least {MIN_SECRET_CHARS} random characters, "
                "and never a published default"
            )
        return value

    @model_validator(mode="after")
    def _aws_secrets(self) -> "Settings":
        if self.profile == "aws":
            missing = [n for n in AWS_SECRET_FIELDS if not secret_is_set(getattr(self, n))]
            if missing:
                names = ", ".join(f"VITRINE_{n.upper()}" for n in missing)
                raise ValueError(f"the aws profile needs {names}")
        return self

    @model_validator(mode="after")
    def _avatar_photo_bounds(self) -> "Settings":
        if self.avatar_min_photos > self.avatar_max_photos:
            raise ValueError("VITRINE_AVATAR_MIN_PHOTOS exceeds VITRINE_AVATAR_MAX_PHOTOS")
        if self.avatar_min_photo_side > self.avatar_photo_max_side:
            raise ValueError("VITRINE_AVATAR_MIN_PHOTO_SIDE exceeds VITRINE_AVATAR_PHOTO_MAX_SIDE")
        return self

    def container_environment(self) -> dict[str, str]:
        """What the model containers read from these settings, as ``VITRINE_`` variables."""
        values = {name: getattr(self, name) for name in CONTAINER_FIELDS}
        return {
            f"VITRINE_{name.upper()}": str(value).lower() if isinstance(value, bool) else str(value)
            for name, value in values.items()
        }

    def tryon_variant_sides(self) -> dict[str, int]:
        return {
            "thumbnail": self.tryon_variant_thumbnail_side,
            "card": self.tryon_variant_card_side,
            "detail": self.tryon_variant_detail_side,
        }

    def api_key_map(self) -> dict[str, str]:
        return parse_api_keys(self.api_keys)

    def callback_loopback_allowed(self) -> bool:
        """Whether webhooks may go to loopback receivers (local profile, when allowed)."""
        return self.profile == "local" and self.webhook_allow_loopback

    def cors_origins(self) -> list[str]:
        return [o.strip() for o in self.cors_allow_origins.split(",") if o.strip()]


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
