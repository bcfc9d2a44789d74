"""The lazily built model runtime."""

from __future__ import annotations

from typing import Any

import pytest

from api.adapters.local.lazy import LazyRuntime
from api.domain.errors import DependencyUnavailable
from api.domain.job_data import AsyncSubmission
from api.domain.outcomes import JobRef


class Echo:
    def invoke(
        self, model: str, payload: dict[str, Any], *, target_model: str | None = None
    ) -> dict[str, Any]:
        return {"model": model, **payload}

    def submit_async(self, model: str, payload: dict[str, Any], *, job: JobRef) -> AsyncSubmission:
        return AsyncSubmission(inference_id=f"{model}:{job.job_id}")


def test_built_once_on_first_use() -> None:
    built: list[Echo] = []

    def factory() -> Echo:
        built.append(Echo())
        return built[-1]

    runtime = LazyRuntime(factory)
    assert built == []
    assert runtime.invoke("clipseg", {"a": 1}) == {"model": "clipseg", "a": 1}
    assert runtime.submit_async("inpainting", {}, job=JobRef("t", "j")) == AsyncSubmission(
        inference_id="inpainting:j"
    )
    assert len(built) == 1


def test_missing_model_packages_are_a_clear_503() -> None:
    def factory() -> Echo:
        raise ModuleNotFoundError("No module named 'torch'", name="torch")

    with pytest.raises(DependencyUnavailable, match="torch"):
        LazyRuntime(factory).invoke("clipseg", {})
