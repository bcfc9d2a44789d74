"""Register a trained avatar on the multi-model endpoint (Triton, GPU).

A SageMaker training job leaves ``model.tar.gz`` holding the adapter (LoRA weights +
``avatar.json``) at its root. The MME needs one Triton model per archive::

    <name>/config.pbtxt
    <name>/1/model.py  core.py  base_cache.py  common/...  adapter/<training output>

so the archive is repacked with the avatar's Triton code (read from the
``sagemaker_containers`` source shipped beside this package, never imported) and put
under ``{mme_prefix}{tenant}/{avatar}.tar.gz``: the ``TargetModel`` is the part after
the prefix. Adapters are tens of MB, so the repack happens in memory.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import io
import json
import tarfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from api.domain import errors as e

if TYPE_CHECKING:
    from api.adapters.aws.s3 import S3ObjectStore

MAX_ARCHIVE_BYTES = 2 * 1024**3  # a LoRA adapter is tens of MB; refuse anything absurd
TAR_GZ = "application/gzip"
METADATA_FILE = "avatar.json"


def target_model(tenant: str, avatar_id: str) -> str:
    """The ``TargetModel`` (and the key under the MME prefix) of an avatar."""
    return f"{tenant}/{avatar_id}.tar.gz"


def triton_model_name(tenant: str, avatar_id: str) -> str:
    """A Triton model name unique per avatar on the endpoint and free of separators."""
    return "avatar-" + hashlib.sha256(f"{tenant}/{avatar_id}".encode()).hexdigest()[:24]


def triton_code_files(root: Path | None = None) -> dict[str, bytes]:
    """The avatar's Triton code, by path inside a Triton model directory."""
    base = root or _containers_root()
    files = {
        "config.pbtxt": base / "avatar" / "triton_model" / "config.pbtxt",
        "1/model.py": base / "avatar" / "triton_model" / "model.py",
        "1/core.py": base / "avatar" / "core.py",
        "1/base_cache.py": base / "avatar" / "base_cache.py",
    }
    for path in sorted((base / "common").glob("*.py")):
        files[f"1/common/{path.name}"] = path
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        raise e.VitrineError(f"avatar Triton code missing from the deployment: {missing}")
    return {name: path.read_bytes() for name, path in files.items()}


def pack_for_mme(training_output: bytes, model_name: str, code: dict[str, bytes]) -> bytes:
    """The MME archive for one avatar from the training job's ``model.tar.gz`` bytes.

    Reproducible: entries sorted, times and owners zeroed, no gzip timestamp, so the
    same adapter always gives the same bytes (and the same S3 ETag).
    """
    entries = {f"{model_name}/{name}": data for name, data in code.items()}
    adapter = adapter_files(training_output)
    if not adapter:
        raise e.ModelInvocationFailed("the training job produced no adapter files")
    entries.update({f"{model_name}/1/adapter/{name}": data for name, data in adapter.items()})
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0) as zipped, tarfile.open(
        fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT
    ) as packed:
        for name in sorted(entries):
            _add(packed, name, entries[name])
    return out.getvalue()


def adapter_files(training_output: bytes) -> dict[str, bytes]:
    """The regular files of a training output archive, by safe relative path."""
    files: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(training_output), mode="r:*") as source:
        for member in source.getmembers():
            if not member.isfile():
                continue  # directories are implied; links and devices are never packed
            extracted = source.extractfile(member)
            if extracted is not None:
                files[_safe_relative(member.name)] = extracted.read()
    return files


@dataclass(frozen=True, slots=True)
class RegisteredAvatar:
    target_model: str
    # ``avatar.json`` as train.py wrote it (loss curve, adapter size, seconds), if present.
    metadata: dict[str, Any]


def register_avatar(
    *,
    artifacts: S3ObjectStore,
    mme: S3ObjectStore,
    model_artifacts_uri: str,
    tenant: str,
    avatar_id: str,
    code: dict[str, bytes] | None = None,
) -> RegisteredAvatar:
    """Repack the training output under the MME prefix; return its ``TargetModel``."""
    training_output = artifacts.read_uri(model_artifacts_uri)
    if len(training_output) > MAX_ARCHIVE_BYTES:
        raise e.PayloadTooLarge("the training output is larger than an avatar adapter can be")
    try:
        packed = pack_for_mme(
            training_output,
            triton_model_name(tenant, avatar_id),
            code if code is not None else triton_code_files(),
        )
        metadata = _metadata(adapter_files(training_output).get(METADATA_FILE))
    except tarfile.TarError as exc:
        raise e.ModelInvocationFailed("the training output is not a readable archive") from exc
    target = target_model(tenant, avatar_id)
    mme.put(target, packed, content_type=TAR_GZ)
    return RegisteredAvatar(target_model=target, metadata=metadata)


def _metadata(raw: bytes | None) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)  # mtime, uid and gid default to 0
    info.size = len(data)
    info.mode = 0o644
    archive.addfile(info, io.BytesIO(data))


def _safe_relative(name: str) -> str:
    """A member path with no absolute or ``..`` part (a hostile archive stays inside)."""
    parts = [p for p in PurePosixPath(name).parts if p not in ("", ".", "/")]
    if not parts or ".." in parts:
        raise tarfile.TarError(f"unsafe path in archive: {name!r}")
    return "/".join(parts)


def _containers_root() -> Path:
    # find_spec locates the package without running its __init__ (no torch, no numpy).
    spec = importlib.util.find_spec("sagemaker_containers")
    if spec is None or not spec.submodule_search_locations:
        raise e.VitrineError("sagemaker_containers is not shipped with this deployment")
    return Path(next(iter(spec.submodule_search_locations)))
