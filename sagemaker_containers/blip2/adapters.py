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

import hashlib
import os
import re
import tarfile
import threading
import warnings
from collections import OrderedDict
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    from peft import PeftModel
    from transformers import PreTrainedModel

ADAPTER_CONFIG = "adapter_config.json"
ADAPTER_WEIGHTS = "adapter_model.safetensors"
DEFAULT_MAX_ADAPTERS = 8
_KEY = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._/-]{0,511}$")


class AdapterNotFound(LookupError):
    """The key names no adapter (or an invalid one)."""


def adapter_name(key: str) -> str:
    """A peft adapter name for any key (keys hold '/' and '.', which module keys cannot)."""
    return "attr_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def check_key(key: str) -> str:
    if not _KEY.match(key) or ".." in key.split("/"):
        raise AdapterNotFound("'adapter' must be a relative key without '..'")
    return key


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
        self.root = root if root is not None else _env_path("VITRINE_BLIP2_ADAPTERS_DIR")
        self.max_adapters = max_adapters or int(
            os.environ.get("VITRINE_BLIP2_MAX_ADAPTERS", DEFAULT_MAX_ADAPTERS)
        )
        self._attached: OrderedDict[str, tuple[Path, float]] = OrderedDict()
        self._peft: PeftModel | None = None  # made with the first adapter
        self._lock = threading.RLock()

    @property
    def attached(self) -> list[str]:
        """Keys of the attached adapters, least recently used first."""
        return list(self._attached)

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
        stamp = (folder, (folder / ADAPTER_WEIGHTS).stat().st_mtime)
        if self._attached.get(key) != stamp:
            # A new or retrained adapter: a fresh name, so it never stacks on an old one.
            if key in self._attached:
                self._detach(key)
            self._attach(key, folder)
            self._attached[key] = stamp
        self._attached.move_to_end(key)
        assert self._peft is not None, "attached above"
        self._peft.set_adapter(adapter_name(key))
        # The active adapter is loaded before the least recently used goes: peft keeps
        # at least one adapter attached.
        while len(self._attached) > self.max_adapters:
            self._detach(next(iter(self._attached)))

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
        del self._attached[key]

    def find(self, key: str) -> Path:
        """The adapter folder for ``key``: under the root, else fetched from S3 into it."""
        check_key(key)
        if self.root is None:
            raise AdapterNotFound("this endpoint serves no adapters (no adapters folder)")
        root = self.root.resolve()
        folder = (root / key.removesuffix(".tar.gz")).resolve()
        if not folder.is_relative_to(root):
            raise AdapterNotFound("'adapter' must stay inside the adapters folder")
        if not (folder / ADAPTER_WEIGHTS).is_file() and key.endswith(".tar.gz"):
            _fetch(key, folder)
        if not ((folder / ADAPTER_CONFIG).is_file() and (folder / ADAPTER_WEIGHTS).is_file()):
            raise AdapterNotFound(f"no adapter at {key!r}")
        return folder


def _fetch(key: str, into: Path) -> None:
    """Download ``$VITRINE_BLIP2_ADAPTERS_URI/key`` (a training output archive) and unpack
    its adapter files into ``into``."""
    base = os.environ.get("VITRINE_BLIP2_ADAPTERS_URI", "")
    if not base.startswith("s3://"):
        return
    import tempfile

    import boto3

    bucket, _, prefix = base.removeprefix("s3://").partition("/")
    into.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=into.parent) as scratch:
        archive = Path(scratch) / "model.tar.gz"
        boto3.client("s3").download_file(bucket, f"{prefix.strip('/')}/{key}".lstrip("/"),
                                         str(archive))
        unpack_adapter(archive, into)


def unpack_adapter(archive: Path, into: Path) -> None:
    """Copy the adapter's files out of a training archive (only those two names: an
    archive's other members, links or paths are never extracted)."""
    with tarfile.open(archive, "r:gz") as tar:
        for member in tar.getmembers():
            name = Path(member.name).name
            if member.isfile() and name in {ADAPTER_CONFIG, ADAPTER_WEIGHTS, "training.json"}:
                source = tar.extractfile(member)
                if source is not None:
                    (into / name).write_bytes(source.read())


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value) if value else None
