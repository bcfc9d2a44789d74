"""The avatar archive: the one place that knows its layout (standard library only).

A trained avatar is served on the multi-model endpoint as one Triton model per archive,
stored under the MME prefix at ``target_model(tenant, avatar_id)``::

    <name>/config.pbtxt              the shipped triton_model/config.pbtxt
    <name>/1/model.py                a shim: imports the model class from the image
    <name>/1/adapter/...             the training output (LoRA weights + avatar.json)

Code in the image, weights in the archive: the shim holds no logic, it imports
``sagemaker_containers.avatar.triton_model.model`` from the serving image
(``PYTHONPATH=/opt/vitrine``), so a fix to ``core.py`` reaches every avatar already
trained. ``<name>`` is ``triton_model_name(tenant, avatar_id)``.

Packing is reproducible (entries sorted, owners and times zeroed, gzip without a
timestamp): the same adapter always gives the same bytes and the same S3 ETag.

Users: the training-events Lambda (``api/adapters/aws/mme.py``), ``model_artifacts
pack-avatar``, and the local runtime (``code/inference.py``). The Lambda imports this
module, so it imports nothing beyond the standard library.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "ADAPTER_WEIGHTS",
    "ArchiveError",
    "PackedAvatar",
    "adapter_dir_in",
    "adapter_files_in_dir",
    "metadata",
    "model_files",
    "pack",
    "pack_training_output",
    "read_training_output",
    "target_model",
    "triton_config",
    "triton_model_name",
]

ADAPTER_WEIGHTS = "pytorch_lora_weights.safetensors"
METADATA_FILE = "avatar.json"
CONFIG_FILE = "config.pbtxt"
VERSION = "1"
MODEL_FILE = f"{VERSION}/model.py"
ADAPTER_FOLDER = "adapter"  # inside the version directory
ADAPTER_DIR = f"{VERSION}/{ADAPTER_FOLDER}"
# The model class the shim imports: it lives in the image, never in the archive.
TRITON_MODEL_MODULE = "sagemaker_containers.avatar.triton_model.model"
CONFIG_SOURCE = Path(__file__).resolve().parent / "triton_model" / CONFIG_FILE
SUFFIX = ".tar.gz"
MAX_ARCHIVE_BYTES = 2 * 1024**3  # a LoRA adapter is tens of MB; refuse anything absurd
MAX_MEMBERS = 1000

SHIM = f'''"""One avatar on the multi-model endpoint (written by avatar/archive.py).

The archive carries weights only (adapter/); the model code is the serving image's
(PYTHONPATH=/opt/vitrine), so every avatar runs the image's current code.
"""

from {TRITON_MODEL_MODULE} import TritonPythonModel

__all__ = ["TritonPythonModel"]
'''.encode()


class ArchiveError(ValueError):
    """An archive (or a name) that cannot be an avatar: unsafe, unreadable or empty."""


@dataclass(frozen=True, slots=True)
class PackedAvatar:
    target_model: str  # the key under the MME prefix, and the TargetModel of invocations
    model_name: str  # the Triton model name inside the archive
    data: bytes  # the tar.gz
    metadata: dict[str, Any]  # avatar.json as train.py wrote it ({} when absent)


def _segment(label: str, value: str) -> str:
    if not value or "/" in value or "\\" in value or value in {".", ".."}:
        raise ArchiveError(f"{label} must be one path segment, not {value!r}")
    return value


def target_model(tenant: str, avatar_id: str) -> str:
    """The ``TargetModel`` of an avatar, which is also its key under the MME prefix."""
    return f"{_segment('tenant', tenant)}/{_segment('avatar id', avatar_id)}{SUFFIX}"


def triton_model_name(tenant: str, avatar_id: str) -> str:
    """A Triton model name unique per avatar on the endpoint and free of separators."""
    key = f"{_segment('tenant', tenant)}/{_segment('avatar id', avatar_id)}"
    return "avatar-" + hashlib.sha256(key.encode()).hexdigest()[:24]


def triton_config(source: Path = CONFIG_SOURCE) -> bytes:
    """The shipped ``config.pbtxt`` (no ``name``: Triton takes the directory's)."""
    try:
        return source.read_bytes()
    except OSError as exc:
        raise ArchiveError(f"the avatar Triton config is missing: {source}") from exc


def model_files(config_source: Path = CONFIG_SOURCE) -> dict[str, bytes]:
    """What every avatar's Triton model holds besides its adapter, by relative path."""
    return {CONFIG_FILE: triton_config(config_source), MODEL_FILE: SHIM}


def pack(adapter: Mapping[str, bytes], model_name: str, *,
         config_source: Path = CONFIG_SOURCE) -> bytes:
    """The MME archive (tar.gz bytes) of one avatar from its adapter files."""
    _segment("model name", model_name)
    _require_weights(adapter)
    entries = {f"{model_name}/{name}": data
               for name, data in model_files(config_source).items()}
    for name, data in adapter.items():
        entries[f"{model_name}/{ADAPTER_DIR}/{_safe_relative(name)}"] = data
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0) as zipped, tarfile.open(
        fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT
    ) as packed:
        for name in sorted(entries):
            info = tarfile.TarInfo(name)  # mtime, uid and gid default to 0
            info.size = len(entries[name])
            info.mode = 0o644
            packed.addfile(info, io.BytesIO(entries[name]))
    return out.getvalue()


def pack_training_output(training_output: bytes, *, tenant: str, avatar_id: str,
                         config_source: Path = CONFIG_SOURCE) -> PackedAvatar:
    """Repack a training job's ``model.tar.gz`` (bytes) as the avatar's MME archive."""
    adapter = read_training_output(training_output)
    name = triton_model_name(tenant, avatar_id)
    return PackedAvatar(
        target_model=target_model(tenant, avatar_id),
        model_name=name,
        data=pack(adapter, name, config_source=config_source),
        metadata=metadata(adapter),
    )


def read_training_output(data: bytes) -> dict[str, bytes]:
    """The adapter files of a training output archive, by safe relative path.

    Only regular files are read (directories are implied; links and devices are never
    packed); a member path that is absolute or climbs out with ``..`` refuses the whole
    archive, as does one without the LoRA weights.
    """
    if len(data) > MAX_ARCHIVE_BYTES:
        raise ArchiveError("the training output is larger than an avatar adapter can be")
    files: dict[str, bytes] = {}
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as source:
            for count, member in enumerate(source, start=1):
                if count > MAX_MEMBERS:
                    raise ArchiveError(f"the training output holds over {MAX_MEMBERS} entries")
                if not member.isfile():
                    continue
                name = _safe_relative(member.name)
                extracted = source.extractfile(member)
                if extracted is not None:
                    files[name] = extracted.read()
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise ArchiveError(f"the training output is not a readable archive: {exc}") from exc
    _require_weights(files)
    return files


def adapter_files_in_dir(directory: Path) -> dict[str, bytes]:
    """The adapter files of ``train.py``'s output directory (hidden files left out)."""
    if not (directory / ADAPTER_WEIGHTS).is_file():
        raise ArchiveError(f"{directory} holds no {ADAPTER_WEIGHTS}")
    files = {}
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(directory)
        if (path.is_file() and not path.is_symlink()
                and not any(part.startswith(".") or part == "__pycache__"
                            for part in relative.parts)):
            files[relative.as_posix()] = path.read_bytes()
    return files


def metadata(adapter: Mapping[str, bytes]) -> dict[str, Any]:
    """``avatar.json`` (loss curve, adapter size, seconds...) as a dict; ``{}`` if unusable."""
    raw = adapter.get(METADATA_FILE)
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def adapter_dir_in(directory: Path) -> Path | None:
    """Where the adapter sits in an extracted archive: a training output (weights at its
    root) or the MME layout (``<name>/1/adapter/``); ``None`` when neither, or ambiguous."""
    if (directory / ADAPTER_WEIGHTS).is_file():
        return directory
    found = sorted(directory.glob(f"*/{ADAPTER_DIR}/{ADAPTER_WEIGHTS}"))
    return found[0].parent if len(found) == 1 else None


def _require_weights(adapter: Mapping[str, bytes]) -> None:
    if ADAPTER_WEIGHTS not in adapter:
        raise ArchiveError(f"the training output holds no adapter files ({ADAPTER_WEIGHTS})")


def _safe_relative(name: str) -> str:
    """A member path with no absolute or ``..`` part (a hostile archive stays inside)."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts:
        raise ArchiveError(f"unsafe path in archive: {name!r}")
    parts = [part for part in path.parts if part not in ("", ".")]
    if not parts:
        raise ArchiveError(f"unsafe path in archive: {name!r}")
    return "/".join(parts)
