"""Resolving a tenant's model id to the adapter a request applies (generations, try-ons).

A tenant model is its training job (``api/services/models.py``, avatars): the id is
looked up tenant-scoped, so another tenant's id, an unknown one or any other job's is
404 ``not-found``; a model still training (or failed) is 409; a model of a kind the use
does not take is 422. Standard library and domain only: the API Lambda's request path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from api.domain.errors import Conflict, NotFound, RequestValidationFailed
from api.domain.jobs import JobKind, JobStatus

if TYPE_CHECKING:
    from collections.abc import Collection

    from api.ports import JobStore

# A model's kind by its training job's kind.
MODEL_KINDS: dict[JobKind, str] = {
    JobKind.AVATAR_TRAINING: "avatar",
    JobKind.STYLE_TRAINING: "style",
    JobKind.PRODUCT_TRAINING: "product",
    JobKind.CONCEPT_TRAINING: "concept",
}
_ADAPTER_TYPES = {"concept": "textual_inversion"}


@dataclass(frozen=True, slots=True)
class ResolvedAdapter:
    """What a container needs to apply a model: its files' key (the artifacts prefix,
    no trailing slash), how to load them, and the token prompts name it by."""

    model_id: str
    kind: str
    key: str
    type: str  # "lora" | "textual_inversion"
    token: str | None
    base: str | None

    def wire(self, weight: float) -> dict[str, object]:
        """The container request's adapter entry."""
        entry: dict[str, object] = {"key": self.key, "type": self.type, "weight": weight}
        if self.token:
            entry["token"] = self.token
        return entry


def resolve_adapter(
    jobs: JobStore, tenant: str, model_id: str, allowed_kinds: Collection[str]
) -> ResolvedAdapter:
    """The tenant's ready model ``model_id`` of one of ``allowed_kinds``, as an adapter."""
    job = jobs.get(tenant, model_id)
    kind = MODEL_KINDS.get(job.kind) if job is not None else None
    if job is None or kind is None:
        raise NotFound(f"no model {model_id}")
    if kind not in allowed_kinds:
        wanted = ", ".join(sorted(allowed_kinds))
        raise RequestValidationFailed(f"model {model_id} is a {kind} model; this takes {wanted}")
    result = job.result or {}
    if job.status is not JobStatus.SUCCEEDED or not result:
        raise Conflict(f"model {model_id} is {job.status.value}; it can be used once it is ready")
    # Avatars written before the tenant-model contract have no ``artifacts``: their prefix.
    key = str(result.get("artifacts") or f"{tenant}/avatars/{model_id}/").rstrip("/")
    token = result.get("token") or (job.request or {}).get("token")
    return ResolvedAdapter(
        model_id=model_id,
        kind=kind,
        key=key,
        type=_ADAPTER_TYPES.get(kind, "lora"),
        token=str(token) if token else None,
        base=str(result["base"]) if result.get("base") else None,
    )
