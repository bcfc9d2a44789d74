"""Composition root: adapters for the profile, then the use cases over them.

Only ``api/app.py`` and the Lambda entrypoints import this module. Each use case gets the
ports it uses, by name; ``job_kinds`` is the one table of job kinds; the adapters that
run work in this process (local profile) are connected to the core's runner and
outcome handler here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from api.domain.job_data import (
    AttributeBatchRequest,
    AttributeModelTrainingRequest,
    AvatarGenerationRequest,
    AvatarTrainingRequest,
    ComparisonRequest,
    GenerationRequest,
    GenerationState,
    NoState,
    TenantModelTrainingRequest,
    TryOnRequest,
    TryOnState,
)
from api.domain.jobs import JobKind
from api.domain.outcomes import JobFailed, JobStarted, OutputReady, TrainingFinished
from api.presenters import Presenter
from api.services.attribute_batches import AttributeBatchJob, RequestAttributeBatch
from api.services.attribute_models import AttributeModels, AttributeModelTrainingJob
from api.services.attributes import ExtractAttributes
from api.services.avatar_generation import AvatarGenerationJob, RequestAvatarGeneration
from api.services.avatar_photos import PhotoChecker
from api.services.avatars import AvatarModels, AvatarTrainingJob
from api.services.catalog import Services
from api.services.comparison_runs import ComparisonJob
from api.services.comparisons import Comparisons
from api.services.descriptions import WriteDescription
from api.services.generation import GenerationRules
from api.services.generations import GenerationJob, RequestGeneration
from api.services.idempotency import Idempotency
from api.services.images import ImageLoader
from api.services.jobs import JobCore, JobKindEntry
from api.services.models import TenantModels, TenantModelTrainingJob
from api.services.outputs import ResultImages
from api.services.products import DescribeProduct
from api.services.prompts import PromptGate
from api.services.segmentation import Segment
from api.services.taxonomies import Taxonomies
from api.services.try_on import RequestTryOn, TryOnJob
from api.services.uploads import Uploads
from api.services.webhook_secrets import WebhookSecrets

if TYPE_CHECKING:
    from api.ports import Adapters
    from api.settings import Settings


@dataclass(frozen=True, slots=True)
class Root:
    """What the app and the Lambdas run on: settings, adapters, use cases, views."""

    settings: Settings
    adapters: Adapters
    services: Services
    presenter: Presenter

    def close(self) -> None:
        self.adapters.close()


def build_adapters(settings: Settings) -> Adapters:
    """Adapters for ``settings.profile``; imported lazily so each profile loads only its own."""
    if settings.profile == "aws":
        from api.adapters.aws.wiring import build

        return build(settings)
    from api.adapters.local.wiring import build as build_local

    return build_local(settings)


def job_kinds(
    adapters: Adapters, outputs: ResultImages, extract: ExtractAttributes
) -> dict[JobKind, JobKindEntry[Any, Any]]:
    """The job-kind table: each kind once, with its typed data, steps and the outcomes
    it takes from elsewhere. Adding a kind adds one entry here."""
    a = adapters
    try_on = TryOnJob(uploads=a.uploads, runtime=a.runtime, outputs=outputs)
    training = AvatarTrainingJob(jobs=a.jobs, training=a.training, registry=a.avatars)
    generation = AvatarGenerationJob(jobs=a.jobs, runtime=a.runtime, outputs=outputs)
    attribute_training = AttributeModelTrainingJob(training=a.training, artifacts=a.artifacts)
    attribute_batch = AttributeBatchJob(extract=extract)
    tenant_training = TenantModelTrainingJob(training=a.training, artifacts=a.artifacts)
    image_generation = GenerationJob(uploads=a.uploads, runtime=a.runtime, outputs=outputs)
    comparison = ComparisonJob(
        training=a.training, artifacts=a.artifacts, outputs=outputs, moderator=a.moderator
    )
    return {
        JobKind.TRY_ON: JobKindEntry(
            request=TryOnRequest,
            state=TryOnState,
            execute=try_on.execute,
            complete=try_on.complete,
            accepts=frozenset({OutputReady, JobFailed}),
        ),
        JobKind.AVATAR_TRAINING: JobKindEntry(
            request=AvatarTrainingRequest,
            state=NoState,
            execute=training.execute,
            complete=training.complete,
            accepts=frozenset({JobStarted, TrainingFinished, JobFailed}),
        ),
        JobKind.AVATAR_GENERATION: JobKindEntry(
            request=AvatarGenerationRequest, state=NoState, execute=generation.execute
        ),
        JobKind.ATTRIBUTE_MODEL_TRAINING: JobKindEntry(
            request=AttributeModelTrainingRequest,
            state=NoState,
            execute=attribute_training.execute,
            complete=attribute_training.complete,
            accepts=frozenset({JobStarted, TrainingFinished, JobFailed}),
        ),
        JobKind.ATTRIBUTE_BATCH: JobKindEntry(
            request=AttributeBatchRequest, state=NoState, execute=attribute_batch.execute
        ),
        # Tenant models (style, product, concept): the same steps, one kind each.
        JobKind.STYLE_TRAINING: JobKindEntry(
            request=TenantModelTrainingRequest,
            state=NoState,
            execute=tenant_training.execute,
            complete=tenant_training.complete,
            accepts=frozenset({JobStarted, TrainingFinished, JobFailed}),
        ),
        JobKind.PRODUCT_TRAINING: JobKindEntry(
            request=TenantModelTrainingRequest,
            state=NoState,
            execute=tenant_training.execute,
            complete=tenant_training.complete,
            accepts=frozenset({JobStarted, TrainingFinished, JobFailed}),
        ),
        JobKind.CONCEPT_TRAINING: JobKindEntry(
            request=TenantModelTrainingRequest,
            state=NoState,
            execute=tenant_training.execute,
            complete=tenant_training.complete,
            accepts=frozenset({JobStarted, TrainingFinished, JobFailed}),
        ),
        JobKind.GENERATION: JobKindEntry(
            request=GenerationRequest,
            state=GenerationState,
            execute=image_generation.execute,
            complete=image_generation.complete,
            accepts=frozenset({OutputReady, JobFailed}),
        ),
        # A comparison runs as a batch on the trainer (a SageMaker training job on AWS).
        JobKind.COMPARISON: JobKindEntry(
            request=ComparisonRequest,
            state=NoState,
            execute=comparison.execute,
            complete=comparison.complete,
            accepts=frozenset({JobStarted, TrainingFinished, JobFailed}),
        ),
    }


def build_root(settings: Settings, adapters: Adapters | None = None) -> Root:
    """Use cases over ``adapters`` (built from ``settings`` when not given), connected."""
    a = adapters if adapters is not None else build_adapters(settings)
    images = ImageLoader(uploads=a.uploads, settings=settings)
    prompts = PromptGate(moderator=a.moderator, max_chars=settings.max_prompt_chars)
    rules = GenerationRules(prompts=prompts, settings=settings)
    outputs = ResultImages(
        results=a.results, moderator=a.moderator, url_ttl_seconds=settings.url_ttl_seconds
    )
    taxonomies = Taxonomies(store=a.taxonomies)
    attributes = ExtractAttributes(
        runtime=a.runtime, images=images, taxonomies=taxonomies, jobs=a.jobs
    )
    kinds = job_kinds(a, outputs, attributes)
    presenter = Presenter(
        outputs=outputs,
        progress=a.progress,
        states={kind: entry.state for kind, entry in kinds.items()},
    )
    core = JobCore(
        jobs=a.jobs,
        queue=a.queue,
        webhooks=a.webhooks,
        kinds=kinds,
        present=presenter.job_json,
        outbox=a.outbox,
    )
    avatars = AvatarModels(
        jobs=a.jobs,
        uploads=a.uploads,
        artifacts=a.artifacts,
        results=a.results,
        training=a.training,
        registry=a.avatars,
        photos=PhotoChecker(images=images, settings=settings),
        rules=rules,
        core=core,
        settings=settings,
    )
    describe = WriteDescription(copywriter=a.copywriter, prompts=prompts)
    services = Services(
        jobs=core,
        try_ons=RequestTryOn(
            uploads=a.uploads,
            jobs=a.jobs,
            images=images,
            prompts=prompts,
            rules=rules,
            core=core,
            job_ttl_days=settings.job_ttl_days,
            variant_sides=settings.tryon_variant_sides(),
        ),
        avatars=avatars,
        avatar_generations=RequestAvatarGeneration(
            avatars=avatars,
            prompts=prompts,
            rules=rules,
            core=core,
            job_ttl_days=settings.job_ttl_days,
        ),
        segment=Segment(runtime=a.runtime, images=images, prompts=prompts, outputs=outputs),
        attributes=attributes,
        describe=describe,
        products=DescribeProduct(attributes=attributes, describe=describe),
        uploads=Uploads(uploads=a.uploads, settings=settings),
        idempotency=Idempotency(
            store=a.idempotency,
            ttl_hours=settings.idempotency_ttl_hours,
            lease_seconds=settings.idempotency_lease_seconds,
        ),
        webhook_secrets=WebhookSecrets(
            store=a.webhook_secrets, grace_hours=settings.webhook_secret_grace_hours
        ),
        taxonomies=taxonomies,
        attribute_batches=RequestAttributeBatch(
            jobs=a.jobs, taxonomies=taxonomies, rules=rules, core=core, settings=settings
        ),
        models=TenantModels(
            jobs=a.jobs,
            uploads=a.uploads,
            artifacts=a.artifacts,
            training=a.training,
            images=images,
            rules=rules,
            core=core,
            settings=settings,
        ),
        attribute_models=AttributeModels(
            jobs=a.jobs,
            uploads=a.uploads,
            artifacts=a.artifacts,
            training=a.training,
            images=images,
            taxonomies=taxonomies,
            rules=rules,
            core=core,
            settings=settings,
        ),
        generations=RequestGeneration(
            jobs=a.jobs,
            uploads=a.uploads,
            images=images,
            prompts=prompts,
            rules=rules,
            core=core,
            job_ttl_days=settings.job_ttl_days,
        ),
        comparisons=Comparisons(
            jobs=a.jobs,
            uploads=a.uploads,
            results=a.results,
            artifacts=a.artifacts,
            training=a.training,
            images=images,
            prompts=prompts,
            rules=rules,
            core=core,
            settings=settings,
        ),
    )
    handoff_timeout = timedelta(seconds=settings.handoff_timeout_seconds)
    a.housekeeping(lambda: core.time_out_handoffs(handoff_timeout))
    a.connect(core.execute, core.handle)
    if a.outbox is not None:
        a.outbox.start(presenter.job_json)
    return Root(settings=settings, adapters=a, services=services, presenter=presenter)
