"""Deployment configuration read from CDK context (``cdk.json``, overridable with ``-c``).

``cdk.json`` is the one place that holds the values; this module only names, parses and
validates them, so a missing or malformed key fails synth with a clear message. Values
given with ``cdk deploy -c key=value`` arrive as strings; numbers, lists and objects are
parsed from them (lists comma-separated, objects as JSON). ``{region}`` in an image URI
stands for the deployment region. Every key is documented in ``cdk/README.md``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, cast

from aws_cdk import aws_logs as logs

if TYPE_CHECKING:
    from collections.abc import Mapping

    from constructs import Node

PREFIX = "vitrine:"
MODEL_ROLES = ("segmentation", "attributes", "tryon", "avatar", "generation")
QUOTA_PERIODS = ("DAY", "WEEK", "MONTH")
# CloudWatch Logs accepts only these retention periods (days).
RETENTION_DAYS = {
    1: "ONE_DAY",
    3: "THREE_DAYS",
    5: "FIVE_DAYS",
    7: "ONE_WEEK",
    14: "TWO_WEEKS",
    30: "ONE_MONTH",
    60: "TWO_MONTHS",
    90: "THREE_MONTHS",
    120: "FOUR_MONTHS",
    150: "FIVE_MONTHS",
    180: "SIX_MONTHS",
    365: "ONE_YEAR",
    400: "THIRTEEN_MONTHS",
    545: "EIGHTEEN_MONTHS",
    731: "TWO_YEARS",
    1096: "THREE_YEARS",
    1827: "FIVE_YEARS",
    2192: "SIX_YEARS",
    2557: "SEVEN_YEARS",
    2922: "EIGHT_YEARS",
    3288: "NINE_YEARS",
    3653: "TEN_YEARS",
}
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,31}$")
# Becomes part of S3 bucket names (lower-cased, 63 characters at most in all).
_STACK_PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,19}$")
# Lowercase: it ends S3 bucket names (63 characters at most).
_RESOURCE_SUFFIX = re.compile(r"^[a-z0-9]{0,8}$")
# A model archive key naming its content (``model_artifacts upload --versioned``):
# ``<prefix>/<sha256, 16+ hex>/model.tar.gz``.
_CONTENT_ADDRESSED = re.compile(r"(^|/)[0-9a-f]{16,64}/[^/]+\.tar\.gz$")


def content_addressed(key: str) -> bool:
    """Whether ``key`` names its archive's content (so the archive behind it never changes)."""
    return bool(_CONTENT_ADDRESSED.search(key))
_S3_PREFIX = re.compile(r"^[A-Za-z0-9!_.*'()/-]+/$")


class ConfigError(ValueError):
    """A context value is missing or malformed."""


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """One SageMaker model: image, instance shape, and its artifact key in the models bucket."""

    image_uri: str  # "": built from this repository (cdk/model_images)
    instance_type: str
    instance_count: int
    # ``None`` for the multi-model endpoint: its artifacts live under the MME prefix.
    model_data_key: str | None


@dataclass(frozen=True, slots=True)
class UsagePlanSpec:
    rate_limit: float
    burst_limit: int
    quota_limit: int
    quota_period: str


@dataclass(frozen=True, slots=True)
class DeployConfig:
    stack_prefix: str
    lambda_asset: Literal["build", "code-only"]
    lambda_asset_dir: str
    cors_allow_origins: tuple[str, ...]
    uploads_expiration_days: int
    job_ttl_days: int
    log_retention_days: int
    mme_prefix: str
    async_input_prefix: str
    models: Mapping[str, ModelSpec]
    tryon_max_instances: int
    tryon_backlog_per_instance: float
    generation_max_instances: int
    generation_backlog_per_instance: float
    # The adapter network (cdk/adapter_network): the models bucket's tenant adapter
    # objects the adapter-loading endpoints may GET, and the regional S3 prefix list
    # ("": looked up at deploy).
    adapter_object_patterns: tuple[str, ...]
    s3_prefix_list_id: str
    avatar_base_model_key: str
    avatar_base_model_dir: str  # baked into the Triton image (a named build context)
    attributes_base_model_key: str  # the BLIP-2 checkpoint attribute models fine-tune
    # Tenant models' bases (unpacked checkpoints; the training jobs' base channels).
    style_base_model_key: str  # SD 2 inpainting (style models)
    sdxl_base_model_key: str  # SDXL base 1.0 (product and concept models)
    training_image_uri: str
    training_instance_type: str
    training_max_seconds: int
    bedrock_model_id: str
    bedrock_guardrail_id: str
    bedrock_guardrail_version: str
    # Comparisons (issue 12): the CLIP checkpoint that scores them (unpacked, the run's
    # clip channel) and the Bedrock image models the run may call.
    clip_model_key: str
    clipseg_model_key: str  # unpacked CLIPSeg: a comparison's try-on columns find garments
    comparison_bedrock_model_ids: tuple[str, ...]
    usage_plans: Mapping[str, UsagePlanSpec]
    partner_keys: Mapping[str, str]
    waf_rate_limit: int
    alarm_email: str
    # Appended to the fixed names of retained resources (data buckets, jobs table, WAF log
    # groups): set a new one to redeploy after deleting the stacks, which keeps them.
    resource_suffix: str = ""

    @property
    def log_retention(self) -> logs.RetentionDays:
        return logs.RetentionDays[RETENTION_DAYS[self.log_retention_days]]


class _Context:
    """Typed access to ``vitrine:*`` context values; every read records the key."""

    def __init__(self, node: Node) -> None:
        self._node = node
        self.read: set[str] = set()

    def raw(self, key: str) -> object:
        full = PREFIX + key
        self.read.add(full)
        value = self._node.try_get_context(full)
        if value is None:
            raise ConfigError(f"context value {full!r} is missing (see cdk.json, cdk/README.md)")
        return value

    def text(self, key: str, *, allow_empty: bool = False) -> str:
        value = self.raw(key)
        if not isinstance(value, str) or (not value and not allow_empty):
            raise ConfigError(f"context value {PREFIX + key!r} must be a non-empty string")
        return value

    def integer(self, key: str, *, minimum: int = 0) -> int:
        value = self.raw(key)
        try:
            number = int(cast("str", value))
        except (TypeError, ValueError):
            raise ConfigError(f"context value {PREFIX + key!r} must be an integer") from None
        if isinstance(value, bool) or number < minimum:
            raise ConfigError(f"context value {PREFIX + key!r} must be an integer >= {minimum}")
        return number

    def number(self, key: str) -> float:
        value = self.raw(key)
        try:
            number = float(cast("str", value))
        except (TypeError, ValueError):
            raise ConfigError(f"context value {PREFIX + key!r} must be a number") from None
        if number <= 0:
            raise ConfigError(f"context value {PREFIX + key!r} must be positive")
        return number

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.raw(key)
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise ConfigError(f"context value {PREFIX + key!r} must be a list of strings")
        return tuple(item.strip() for item in items if item.strip())

    def mapping(self, key: str) -> dict[str, object]:
        value = self.raw(key)
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except json.JSONDecodeError:
                raise ConfigError(f"context value {PREFIX + key!r} is not valid JSON") from None
        if not isinstance(value, dict):
            raise ConfigError(f"context value {PREFIX + key!r} must be an object")
        return value

    def prefix(self, key: str) -> str:
        value = self.text(key)
        if not _S3_PREFIX.match(value) or value.startswith("/"):
            raise ConfigError(
                f"context value {PREFIX + key!r} must be an S3 key prefix ending in /"
            )
        return value


def _usage_plan(name: str, raw: object) -> UsagePlanSpec:
    if not isinstance(raw, dict):
        raise ConfigError(f"usage plan {name!r} must be an object")
    try:
        spec = UsagePlanSpec(
            rate_limit=float(raw["rateLimit"]),
            burst_limit=int(raw["burstLimit"]),
            quota_limit=int(raw["quotaLimit"]),
            quota_period=str(raw["quotaPeriod"]).upper(),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ConfigError(
            f"usage plan {name!r} needs rateLimit, burstLimit, quotaLimit, quotaPeriod: {error}"
        ) from None
    if spec.quota_period not in QUOTA_PERIODS or min(spec.rate_limit, spec.burst_limit) <= 0:
        raise ConfigError(f"usage plan {name!r}: positive limits, quotaPeriod in {QUOTA_PERIODS}")
    return spec


def _model(ctx: _Context, role: str) -> ModelSpec:
    return ModelSpec(
        # "" (the default): build the image from this repository at deploy.
        image_uri=ctx.text(f"{role}:imageUri", allow_empty=True),
        instance_type=ctx.text(f"{role}:instanceType"),
        instance_count=ctx.integer(f"{role}:instanceCount", minimum=1),
        model_data_key=None if role == "avatar" else ctx.text(f"{role}:modelDataKey"),
    )


def load_config(node: Node) -> DeployConfig:
    """Parse and validate every ``vitrine:*`` context value; raise ``ConfigError``."""
    return _load(_Context(node))


def known_keys(node: Node) -> set[str]:
    """The full names of the context keys the configuration reads (docs and drift tests)."""
    ctx = _Context(node)
    _load(ctx)
    return ctx.read


def _load(ctx: _Context) -> DeployConfig:
    asset = ctx.text("lambdaAsset")
    if asset not in ("build", "code-only"):
        raise ConfigError(f"context value 'vitrine:lambdaAsset' must be build|code-only: {asset!r}")
    plans = {name: _usage_plan(name, raw) for name, raw in ctx.mapping("usagePlans").items()}
    partners = {name: str(plan) for name, plan in ctx.mapping("partnerKeys").items()}
    for name in (*plans, *partners):
        if not _NAME.match(name):
            raise ConfigError(f"usage plan / partner name {name!r} must match {_NAME.pattern}")
    for partner, plan in partners.items():
        if plan not in plans:
            raise ConfigError(f"partner {partner!r} names unknown usage plan {plan!r}")
    config = DeployConfig(
        stack_prefix=ctx.text("stackPrefix"),
        lambda_asset=cast("Literal['build', 'code-only']", asset),
        lambda_asset_dir=ctx.text("lambdaAssetDir"),
        cors_allow_origins=ctx.strings("corsAllowOrigins"),
        uploads_expiration_days=ctx.integer("uploadsExpirationDays", minimum=1),
        job_ttl_days=ctx.integer("jobTtlDays", minimum=1),
        log_retention_days=ctx.integer("logRetentionDays", minimum=1),
        mme_prefix=ctx.prefix("mmePrefix"),
        async_input_prefix=ctx.prefix("asyncInputPrefix"),
        models={role: _model(ctx, role) for role in MODEL_ROLES},
        tryon_max_instances=ctx.integer("tryon:maxInstances", minimum=1),
        tryon_backlog_per_instance=ctx.number("tryon:backlogPerInstance"),
        generation_max_instances=ctx.integer("generation:maxInstances", minimum=1),
        generation_backlog_per_instance=ctx.number("generation:backlogPerInstance"),
        adapter_object_patterns=ctx.strings("adapters:objectPatterns"),
        s3_prefix_list_id=ctx.text("adapters:s3PrefixListId", allow_empty=True),
        avatar_base_model_key=ctx.prefix("avatar:baseModelKey"),
        avatar_base_model_dir=ctx.text("avatar:baseModelDir"),
        attributes_base_model_key=ctx.prefix("attributes:baseModelKey"),
        style_base_model_key=ctx.prefix("tenantModels:styleBaseModelKey"),
        sdxl_base_model_key=ctx.prefix("tenantModels:sdxlBaseModelKey"),
        training_image_uri=ctx.text("training:imageUri", allow_empty=True),
        training_instance_type=ctx.text("training:instanceType"),
        training_max_seconds=ctx.integer("training:maxSeconds", minimum=60),
        bedrock_model_id=ctx.text("bedrock:modelId"),
        bedrock_guardrail_id=ctx.text("bedrock:guardrailId", allow_empty=True),
        bedrock_guardrail_version=ctx.text("bedrock:guardrailVersion"),
        clip_model_key=ctx.prefix("comparison:clipModelKey"),
        clipseg_model_key=ctx.prefix("comparison:clipsegModelKey"),
        comparison_bedrock_model_ids=ctx.strings("comparison:bedrockImageModelIds"),
        usage_plans=plans,
        partner_keys=partners,
        waf_rate_limit=ctx.integer("wafRateLimit", minimum=10),
        alarm_email=ctx.text("alarmEmail", allow_empty=True),
        resource_suffix=ctx.text("resourceSuffix", allow_empty=True),
    )
    if not _RESOURCE_SUFFIX.match(config.resource_suffix):
        raise ConfigError(
            f"context value 'vitrine:resourceSuffix' must match {_RESOURCE_SUFFIX.pattern}"
        )
    if not _STACK_PREFIX.match(config.stack_prefix):
        raise ConfigError(f"context value 'vitrine:stackPrefix' must match {_STACK_PREFIX.pattern}")
    if config.log_retention_days not in RETENTION_DAYS:
        raise ConfigError(
            f"context value 'vitrine:logRetentionDays' must be one of {sorted(RETENTION_DAYS)}"
        )
    if not config.usage_plans:
        raise ConfigError("context value 'vitrine:usagePlans' must define at least one plan")
    return config
