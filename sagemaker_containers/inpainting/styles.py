"""Tenant style adapters on the warm SD 2 inpainting pipeline: loaded by key, kept in an LRU.

A style try-on names its adapter by key (the model's artifacts prefix, resolved by the
API); its ``pytorch_lora_weights.safetensors`` (UNet, and text-encoder LoRA when trained
with it) is found with ``common.adapters.AdapterFiles`` (``$VITRINE_ADAPTERS_DIR``, else
fetched from ``$VITRINE_ADAPTERS_URI``) and loaded with diffusers' ``load_lora_weights``
under a name of its own, never reloading the base. The last ``$VITRINE_MAX_STYLE_ADAPTERS``
(default 8) stay loaded; a request without a style runs with every adapter disabled.
Callers hold the model's lock (the pipeline's adapters are shared state).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sagemaker_containers.common.adapters import (
    DEFAULT_MAX_ADAPTERS,
    AdapterFiles,
    AdapterNotFound,
    Lru,
    adapter_name,
    env_path,
    stamp_of,
)
from sagemaker_containers.common.errors import InvalidInput

if TYPE_CHECKING:
    from collections.abc import Mapping

LORA_WEIGHTS = "pytorch_lora_weights.safetensors"


@dataclass(frozen=True, slots=True)
class Style:
    """A request's style: the adapter's key and how strongly it applies."""

    key: str
    weight: float = 1.0


def style_of(adapters: Any) -> Style | None:
    """The request's ``adapters`` list (the API's wire shape) as at most one LoRA style."""
    if adapters is None or adapters == []:
        return None
    if not isinstance(adapters, list) or len(adapters) != 1 or not isinstance(adapters[0], dict):
        raise InvalidInput("'adapters' takes one style adapter: [{'key': ..., 'type': 'lora'}]")
    entry: Mapping[str, Any] = adapters[0]
    key, kind, weight = entry.get("key"), entry.get("type", "lora"), entry.get("weight", 1.0)
    if not isinstance(key, str) or not key:
        raise InvalidInput("an adapter needs a 'key'")
    if kind != "lora":
        raise InvalidInput("the inpainting model takes LoRA style adapters only")
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 <= weight <= 2:
        raise InvalidInput("an adapter's 'weight' is a number from 0 to 2")
    return Style(key=key, weight=float(weight))


class StyleAdapters:
    """Which style adapters the pipeline holds, and switching between them."""

    def __init__(self, files: AdapterFiles | None = None, max_items: int | None = None) -> None:
        self.files = files or AdapterFiles(
            env_path("VITRINE_ADAPTERS_DIR"), os.environ.get("VITRINE_ADAPTERS_URI")
        )
        limit = max_items or int(os.environ.get("VITRINE_MAX_STYLE_ADAPTERS", DEFAULT_MAX_ADAPTERS))
        self.lru = Lru(limit)

    def apply(self, pipeline: Any, style: Style | None) -> None:
        """Make ``style`` (or none) the pipeline's active adapter."""
        if style is None:
            if len(self.lru):
                pipeline.disable_lora()
            return
        try:
            folder = self.files.find(style.key, [LORA_WEIGHTS])
        except AdapterNotFound as error:
            raise InvalidInput(f"style adapter: {error}") from error
        name = adapter_name(style.key, "style")
        stamp = stamp_of(folder, [LORA_WEIGHTS])
        if not self.lru.is_current(name, stamp):
            if name in self.lru:  # retrained at the same key: replace it
                pipeline.delete_adapters([name])
                self.lru.remove(name)
            pipeline.load_lora_weights(folder, weight_name=LORA_WEIGHTS, adapter_name=name)
            self.lru.add(name, stamp)
            stale = self.lru.overflow(keep=[name])
            if stale:
                pipeline.delete_adapters(stale)
                for old in stale:
                    self.lru.remove(old)
        pipeline.enable_lora()
        pipeline.set_adapters([name], adapter_weights=[style.weight])
