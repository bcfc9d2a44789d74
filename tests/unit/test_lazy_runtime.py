"""The lazily built model runtime."""

from __future__ import annotations

from typing import Any

import pytest

from api.adapters.local.lazy import LazyRuntime
from api.domain.errors import DependencyUnavailable


class Echo:
    def invoke(
        self, model: str, payload: dict[str, Any], *, target_model: str | None = None
    ) -> dict[str, Any]:
        return {"model": model, **payload}

    def submit(self, model: str, payload: dict[str, Any], *, job: Any) -> dict[str, Any] | None:
        return None


def test_built_once_on_first_use() -> None:
    built: list[Echo] = []

    def factory() -> Echo:
        built.append(Echo())
        return built[-1]

    runtime = LazyRuntime(factory)
    assert built == []
    assert runtime.invoke("clipseg", {"a": 1}) == {"model": "clipseg", "a": 1}
    assert runtime.submit("inpainting", {}, job=None) is None
    assert len(built) == 1


def test_missing_model_packages_are_a_clear_503() -> None:
    def factory() -> Echo:
        raise ModuleNotFoundError("No module named 'torch'", name="torch")

    with pytest.raises(DependencyUnavailable, match="torch"):
        LazyRuntime(factory).invoke("clipseg", {})
