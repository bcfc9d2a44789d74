"""The shared avatar base on the serving host's disk, fetched from S3 once per instance.

On the multi-model endpoint the base is baked into the Triton image
(``VITRINE_AVATAR_BASE_DIR=/opt/vitrine/avatar-base``), which keeps network isolation on:
``ensure_base`` then finds it complete and never touches the network. The S3 fetch below
serves an image built without a base, on an endpoint with S3 access (isolation off).

The multi-model endpoint's container gets ``$VITRINE_AVATAR_BASE_DIR`` (a local
directory) and ``$VITRINE_AVATAR_BASE_MODEL_URI`` (``s3://bucket/prefix/``, the diffusers
pipeline's files). A base already in the directory (baked into the image, or fetched
earlier on this instance) is used as is; otherwise every object under the prefix is
downloaded into it. Triton starts each loaded avatar in its own process, so several may
get here at once: an exclusive ``flock`` on a lock file beside the directory lets one
download while the others wait, and the download goes into a scratch directory that is
renamed into place only when complete (with a completion marker written last), so no
process ever sees a half-written base.

Pure Python; boto3 (present in the SageMaker serving images) is imported only when a
download is needed. Imports nothing from ``api/`` or ``core``.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

__all__ = ["BaseModelUnavailable", "ensure_base", "ensure_base_from_environment", "is_complete"]

BASE_DIR_ENV = "VITRINE_AVATAR_BASE_DIR"  # the same variable core.shared_generator reads
BASE_URI_ENV = "VITRINE_AVATAR_BASE_MODEL_URI"
INDEX_FILE = "model_index.json"  # what makes a directory a diffusers pipeline
COMPLETE_MARKER = ".vitrine-base-complete"
_SCRATCH_PREFIX = ".partial-"


class BaseModelUnavailable(RuntimeError):
    """No usable base: neither a complete local directory nor an S3 URI to fetch it from."""


def is_complete(base_dir: Path) -> bool:
    """Whether ``base_dir`` holds a whole pipeline (fetched here, or provided by the image).

    A fetched base only ever appears by an atomic rename of a finished download, so its
    ``model_index.json`` implies all its files; the marker records where it came from.
    """
    return (base_dir / COMPLETE_MARKER).is_file() or (base_dir / INDEX_FILE).is_file()


def ensure_base_from_environment(client: Any = None) -> Path:
    """``ensure_base`` for ``$VITRINE_AVATAR_BASE_DIR`` and ``$VITRINE_AVATAR_BASE_MODEL_URI``."""
    configured = os.environ.get(BASE_DIR_ENV)
    if not configured:
        raise BaseModelUnavailable(f"set {BASE_DIR_ENV} to the local base model directory")
    return ensure_base(Path(configured), os.environ.get(BASE_URI_ENV), client=client)


def ensure_base(base_dir: Path, uri: str | None, *, client: Any = None) -> Path:
    """``base_dir``, holding the whole base pipeline; downloaded from ``uri`` if need be.

    Parameters
    ----------
    base_dir
        The local directory the pipeline is loaded from.
    uri
        ``s3://bucket/prefix/`` holding the pipeline's files; only read when ``base_dir``
        is not complete.
    client
        A boto3 S3 client (default: a new one, from the container's credentials).

    Raises
    ------
    BaseModelUnavailable
        ``base_dir`` is incomplete and ``uri`` is missing, not an S3 URI, empty, holds
        keys that would leave the directory, or holds no ``model_index.json``.
    """
    if is_complete(base_dir):  # the common case: no lock, no network
        return base_dir
    bucket, prefix = _parse_uri(uri, base_dir)
    base_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = base_dir.with_name(base_dir.name + ".lock")
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if is_complete(base_dir):  # another process fetched it while this one waited
            return base_dir
        _remove_leftovers(base_dir)
        scratch = Path(tempfile.mkdtemp(prefix=base_dir.name + _SCRATCH_PREFIX,
                                        dir=base_dir.parent))
        scratch.chmod(0o755)  # mkdtemp's 0700 would follow the rename into place
        try:
            _download(client or _s3_client(), bucket, prefix, scratch)
            marker = {"source": f"s3://{bucket}/{prefix}"}
            (scratch / COMPLETE_MARKER).write_text(json.dumps(marker), encoding="utf-8")
            scratch.rename(base_dir)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)  # a no-op once renamed
    return base_dir


def _parse_uri(uri: str | None, base_dir: Path) -> tuple[str, str]:
    if not uri or not uri.startswith("s3://"):
        raise BaseModelUnavailable(
            f"{base_dir} holds no complete base model and {BASE_URI_ENV} is "
            f"{'not set' if not uri else f'not an s3:// URI: {uri!r}'}"
        )
    bucket, _, prefix = uri[len("s3://"):].partition("/")
    if not bucket:
        raise BaseModelUnavailable(f"{BASE_URI_ENV} names no bucket: {uri!r}")
    # A prefix is a folder: 'base/avatar' must not also match 'base/avatar-old/...'.
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    return bucket, prefix


def _remove_leftovers(base_dir: Path) -> None:
    """Clear what a killed download left (called under the lock, so none is running)."""
    for stale in base_dir.parent.glob(base_dir.name + _SCRATCH_PREFIX + "*"):
        shutil.rmtree(stale, ignore_errors=True)
    if base_dir.is_dir():  # incomplete (is_complete said so): e.g. an empty mount point
        shutil.rmtree(base_dir)
    elif base_dir.exists():
        base_dir.unlink()


def _download(client: Any, bucket: str, prefix: str, into: Path) -> None:
    """Every object under ``prefix`` into ``into``, after checking all their paths."""
    try:
        keys = _keys(client, bucket, prefix)
    except Exception as exc:  # botocore's errors; the caller only needs a clear reason
        raise BaseModelUnavailable(f"cannot list s3://{bucket}/{prefix}: {exc}") from exc
    files: dict[str, str] = {}
    for key in keys:
        name = _relative(key[len(prefix):], bucket, key)
        if name is not None:
            files[key] = name
    if not files:
        raise BaseModelUnavailable(f"s3://{bucket}/{prefix} holds no objects")
    if INDEX_FILE not in files.values():
        raise BaseModelUnavailable(f"s3://{bucket}/{prefix} holds no {INDEX_FILE}")
    root = into.resolve()
    for key, name in sorted(files.items()):
        target = (root / name).resolve()
        if not target.is_relative_to(root):  # belt and braces over _relative
            raise BaseModelUnavailable(f"s3://{bucket}/{key} would leave {into}")
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            client.download_file(bucket, key, str(target))
        except Exception as exc:
            raise BaseModelUnavailable(f"cannot download s3://{bucket}/{key}: {exc}") from exc


def _keys(client: Any, bucket: str, prefix: str) -> list[str]:
    paginator = client.get_paginator("list_objects_v2")
    return [
        item["Key"]
        for page in paginator.paginate(Bucket=bucket, Prefix=prefix)
        for item in page.get("Contents", [])
    ]


def _relative(name: str, bucket: str, key: str) -> str | None:
    """The local path for an object below the prefix; None for folder placeholders."""
    if not name or name.endswith("/"):
        return None
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        raise BaseModelUnavailable(f"refusing s3://{bucket}/{key}: it would leave the base dir")
    return path.as_posix()


def _s3_client() -> Any:
    import boto3  # lazy: only a host without the base needs it

    return boto3.client("s3")
