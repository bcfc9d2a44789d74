"""Avatar generation: prompts in, images of the avatar's subject out (a job).

Multi-model endpoints are real-time only, so generation runs in the worker (SQS →
Lambda on AWS, the in-process pool locally), never in the API request: the job calls
the ``avatar`` model with ``TargetModel = {tenant}/{avatar}.tar.gz``, moderates and
stores each image under the avatar's prefix (so deleting the avatar deletes them too).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from api.domain.errors import ModelInvocationFailed, NotFound, RequestValidationFailed
from api.domain.job_data import AvatarGenerationRequest, AvatarGenerationResult, NoState, stored
from api.domain.jobs import Job, JobKind
from api.services.avatars import avatar_prefix, avatar_request, avatar_result, ready_avatar
from api.services.jobs import Finished
from api.services.outputs import expect

if TYPE_CHECKING:
    from api.domain.commands import AvatarGenerationCommand
    from api.ports import JobStore, ModelRuntime
    from api.services.avatars import AvatarModels
    from api.services.generation import GenerationRules
    from api.services.jobs import JobCore
    from api.services.outputs import ResultImages
    from api.services.prompts import PromptGate

MODEL = "avatar"


def generation_prefix(tenant: str, req: AvatarGenerationRequest, job_id: str) -> str:
    """Where a generation's images go: inside its avatar's prefix in results."""
    return f"{avatar_prefix(tenant, req.avatar_id)}generations/{job_id}/"


def with_subject(prompt: str, *, token: str, subject_class: str) -> str:
    """``prompt`` naming the avatar: '{token} {class}, ' is prepended when it does not.

    Without the token the base model draws *a* person, not this one.
    """
    if re.search(rf"(?<![A-Za-z0-9]){re.escape(token)}(?![A-Za-z0-9])", prompt, re.IGNORECASE):
        return prompt
    return f"{token} {subject_class}, {prompt}"


class RequestAvatarGeneration:
    """``POST /v1/avatar-models/{id}/generations``: validate against a ready avatar, then
    create and enqueue the generation job."""

    def __init__(
        self,
        *,
        avatars: AvatarModels,
        prompts: PromptGate,
        rules: GenerationRules,
        core: JobCore,
        job_ttl_days: int,
    ) -> None:
        self._avatars = avatars
        self._prompts = prompts
        self._rules = rules
        self._core = core
        self._ttl = job_ttl_days

    def __call__(self, tenant: str, avatar_id: str, req: AvatarGenerationCommand) -> Job:
        avatar = self._avatars.ready(tenant, avatar_id)
        trained = avatar_request(avatar)
        prompt = with_subject(
            self._prompts.clean(req.prompt, field="prompt"),
            token=trained.token,
            subject_class=trained.subject_class,
        )
        limit = self._prompts.max_chars
        if len(prompt) > limit:
            raise RequestValidationFailed(
                f"prompt is {len(prompt)} characters with the avatar's subject added;"
                f" the limit is {limit}"
            )
        options = self._rules.check(req.options)
        request = AvatarGenerationRequest(
            avatar_id=avatar.id,
            prompt=prompt,
            **options.job_fields(),
        )
        job = Job.new(
            tenant=tenant,
            kind=JobKind.AVATAR_GENERATION,
            request=request.model_dump(mode="json"),
            ttl_days=self._ttl,
            callback_url=options.callback_url,
        )
        return self._core.submit(job)


class AvatarGenerationJob:
    """The avatar-generation kind's step: the multi-model endpoint is real-time only, so
    ``execute`` generates, moderates and stores in place (the worker, never the API)."""

    def __init__(self, *, jobs: JobStore, runtime: ModelRuntime, outputs: ResultImages) -> None:
        self._jobs = jobs
        self._runtime = runtime
        self._outputs = outputs

    def execute(self, job: Job, req: AvatarGenerationRequest, state: NoState) -> Finished:
        avatar_id = req.avatar_id
        avatar = ready_avatar(self._jobs, job.tenant, avatar_id)  # deleted since? fails (404)
        # The served model is where the registry put it (it owns the naming: archive.py).
        trained = avatar_result(avatar)
        if trained is None:
            raise ModelInvocationFailed(f"avatar model {avatar_id} has no served model")
        payload: dict[str, Any] = {
            "prompt": req.prompt,
            "num_images": req.n,
            "seed": req.seed,
            "steps": req.steps,
            "guidance_scale": req.guidance_scale,
        }
        if req.negative_prompt:
            payload["negative_prompt"] = req.negative_prompt
        output = self._runtime.invoke(MODEL, payload, target_model=trained.target_model)
        images = self._expect_images(output)
        prefix = generation_prefix(job.tenant, req, job.id)
        kept, withheld = self._outputs.store_moderated(prefix, images)
        if self._jobs.get(job.tenant, avatar_id) is None:
            # Deleted while generating: its prefix was emptied before these were stored.
            self._outputs.delete_prefix(prefix)
            raise NotFound(f"avatar model {avatar_id} was deleted")
        seed = output.get("seed")
        result = AvatarGenerationResult(
            avatar_id=avatar_id,
            images=kept,
            seed=seed if isinstance(seed, int) else req.seed,
            withheld=withheld,
        )
        return Finished(stored(result))

    @staticmethod
    def _expect_images(output: dict[str, Any]) -> list[Any]:
        images: list[Any] = expect(output, "images", list, model=MODEL)
        if not images:
            raise ModelInvocationFailed(f"{MODEL} returned no images")
        return images
