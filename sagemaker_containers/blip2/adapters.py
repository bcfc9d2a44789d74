"""Fine-tuned attribute adapters on the one warm BLIP-2 base: a bounded LRU by key.

``train.py`` saves a LoRA adapter (peft's layout). A request names one by key (the API
resolves a tenant's ``model_id`` to it); the handler finds it under its adapters root,
attaches it to the base as a named peft adapter (``PeftModel``, which injects the LoRA
layers into the base's modules in place) and makes it the active one for that request.
A request without a key runs the base with the adapter layers disabled. The active
adapter is model state, so activation and inference happen under one lock (the local
runtime calls from several threads).

Where adapters are found: ``$VITRINE_BLIP2_ADAPTERS_DIR`` (a folder: the local artifacts
store), and, when a key is not there and ``$VITRINE_BLIP2_ADAPTERS_URI`` is set
(``s3://bucket/prefix``), the training job's ``model.tar.gz`` at that key, downloaded and
unpacked once into the folder.
"""

from __future__ import annotations

import os
import threading
import warnings
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sagemaker_containers.common import adapters as common
from sagemaker_containers.common.adapters import AdapterNotFound, check_key, env_path

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from peft import PeftModel
    from transformers import PreTrainedModel

__all__ = ["AdapterNotFound", "AdapterSet", "adapter_name", "check_key"]

ADAPTER_CONFIG = "adapter_config.json"
ADAPTER_WEIGHTS = "adapter_model.safetensors"
DEFAULT_MAX_ADAPTERS = common.DEFAULT_MAX_ADAPTERS


def adapter_name(key: str) -> str:
    """A peft adapter name for any key (keys hold '/' and '.', which module keys cannot)."""
    return common.adapter_name(key, "attr")


class AdapterSet:
    """The adapters attached to ``network``, least recently used first.

    Parameters
    ----------
    network:
        The loaded BLIP-2 base; never reloaded here.
    root:
        The folder keys resolve in (default ``$VITRINE_BLIP2_ADAPTERS_DIR``).
    max_adapters:
        How many stay attached (default ``$VITRINE_BLIP2_MAX_ADAPTERS`` or 8).
    """

    def __init__(
        self,
        network: PreTrainedModel,
        *,
        root: Path | None = None,
        max_adapters: int | None = None,
    ) -> None:
        self.network = network
        self.files = common.AdapterFiles(
            root if root is not None else env_path("VITRINE_BLIP2_ADAPTERS_DIR"),
            os.environ.get("VITRINE_BLIP2_ADAPTERS_URI"),
        )
        self.max_adapters = max_adapters or int(
            os.environ.get("VITRINE_BLIP2_MAX_ADAPTERS", DEFAULT_MAX_ADAPTERS)
        )
        self._attached = common.Lru(self.max_adapters)
        self._peft: PeftModel | None = None  # made with the first adapter
        self._lock = threading.RLock()

    @property
    def attached(self) -> list[str]:
        """Keys of the attached adapters, least recently used first."""
        return self._attached.keys

    @contextmanager
    def using(self, key: str | None) -> Iterator[None]:
        """Run the body with ``key``'s adapter active (the base alone for ``None``)."""
        with self._lock:
            if key is None:
                if self._peft is None:
                    yield
                else:
                    with self._peft.disable_adapter():
                        yield
                return
            self._activate(key)
            yield

    def _activate(self, key: str) -> None:
        folder = self.find(key)
        stamp = common.stamp_of(folder, (ADAPTER_WEIGHTS,))
        if not self._attached.is_current(key, stamp):
            # A new or retrained adapter: a fresh name, so it never stacks on an old one.
            if key in self._attached:
                self._detach(key)
            self._attach(key, folder)
            self._attached.add(key, stamp)
        assert self._peft is not None, "attached above"
        self._peft.set_adapter(adapter_name(key))
        # The active adapter is loaded before the least recently used goes: peft keeps
        # at least one adapter attached.
        for old in self._attached.overflow(keep=(key,)):
            self._detach(old)

    def _attach(self, key: str, folder: Path) -> None:
        from peft import PeftModel

        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*peft_config.*")
            if self._peft is None:
                self._peft = PeftModel.from_pretrained(
                    self.network, str(folder), adapter_name=adapter_name(key)
                )
            else:
                self._peft.load_adapter(str(folder), adapter_name=adapter_name(key))
        self._peft.eval()

    def _detach(self, key: str) -> None:
        assert self._peft is not None, "only attached adapters are detached"
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*was active which is now deleted")
            self._peft.delete_adapter(adapter_name(key))
        self._attached.remove(key)

    def find(self, key: str) -> Path:
        """The adapter folder for ``key``: under the root, else fetched from S3 into it."""
        return self.files.find(key, (ADAPTER_CONFIG, ADAPTER_WEIGHTS), ("training.json",))
