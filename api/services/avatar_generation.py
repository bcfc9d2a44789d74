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
from api.domain.jobs import Job, JobKind
from api.services import jobs
from api.services.avatars import avatar_prefix, ready_avatar, target_model
from api.services.generation import generation_params
from api.services.outputs import expect, store_moderated_images
from api.services.prompts import clean_prompt

if TYPE_CHECKING:
    from api.bootstrap import Container
    from api.schemas.avatars import AvatarGenerationCreate

MODEL = "avatar"


def generation_prefix(job: Job) -> str:
    """Where a generation's images go: inside its avatar's prefix in results."""
    return f"{avatar_prefix(job.tenant, job.request['avatar_id'])}generations/{job.id}/"


def request_generation(
    container: Container, tenant: str, avatar_id: str, req: AvatarGenerationCreate
) -> Job:
    """Validate against a ready avatar, then create and enqueue the generation job."""
    settings = container.settings
    avatar = ready_avatar(container, tenant, avatar_id)
    prompt = with_subject(
        clean_prompt(container, req.prompt, field="prompt"),
        token=avatar.request["token"],
        subject_class=avatar.request["subject_class"],
    )
    if len(prompt) > settings.max_prompt_chars:
        raise RequestValidationFailed(
            f"prompt is {len(prompt)} characters with the avatar's subject added;"
            f" the limit is {settings.max_prompt_chars}"
        )
    options = generation_params(container, req)
    job = Job.new(
        tenant=tenant,
        kind=JobKind.AVATAR_GENERATION,
        request={
            "avatar_id": avatar.id,
            "prompt": prompt,
            **options.as_request(),
        },
        ttl_days=settings.job_ttl_days,
        callback_url=options.callback_url,
    )
    return jobs.submit(container, job)


def with_subject(prompt: str, *, token: str, subject_class: str) -> str:
    """``prompt`` naming the avatar: '{token} {class}, ' is prepended when it does not.

    Without the token the base model draws *a* person, not this one.
    """
    if re.search(rf"(?<![A-Za-z0-9]){re.escape(token)}(?![A-Za-z0-9])", prompt, re.IGNORECASE):
        return prompt
    return f"{token} {subject_class}, {prompt}"


def run_avatar_generation(container: Container, job: Job) -> Job:
    """Execute a running generation job on the multi-model endpoint."""
    req = job.request
    avatar_id = req["avatar_id"]
    ready_avatar(container, job.tenant, avatar_id)  # deleted since? the job fails (404)
    payload: dict[str, Any] = {
        "prompt": req["prompt"],
        "num_images": req["n"],
        "seed": req["seed"],
        "steps": req["steps"],
        "guidance_scale": req["guidance_scale"],
    }
    if req.get("negative_prompt"):
        payload["negative_prompt"] = req["negative_prompt"]
    output = container.runtime.invoke(
        MODEL, payload, target_model=target_model(job.tenant, avatar_id)
    )
    images = expect(output, "images", list, model=MODEL)
    if not images:
        raise ModelInvocationFailed(f"{MODEL} returned no images")
    prefix = generation_prefix(job)
    kept, withheld = store_moderated_images(container, prefix, images)
    if container.jobs.get(job.tenant, avatar_id) is None:
        # Deleted while generating: its prefix was emptied before these were stored.
        container.results.delete_prefix(prefix)
        raise NotFound(f"avatar model {avatar_id} was deleted")
    seed = output.get("seed")
    result = {
        "avatar_id": avatar_id,
        "images": kept,
        "seed": seed if isinstance(seed, int) else req["seed"],
        "withheld": withheld,
    }
    return jobs.succeed(container, job, result)
