"""Pack models the way SageMaker reads them.

- ``pack_model``: a model directory + its container's handler into ``model.tar.gz``,
  model files at the archive's root and ``code/`` beside them, holding
  ``inference.py``, ``requirements.txt``, the container's ``core.py`` and ``common/``
  (SageMaker ships only ``code/``, so the shared helpers are copied in).
- ``pack_avatar``: one avatar adapter into ``<tenant>/<avatar>.tar.gz`` for the avatar
  multi-model endpoint's S3 prefix, in the Triton model layout (``<name>/config.pbtxt``,
  ``<name>/1/model.py`` (a shim importing the image's code), ``<name>/1/adapter/``).
  The layout comes from ``sagemaker_containers.avatar.archive``, which the
  training-completion Lambda also uses, so an avatar packed here and one registered in
  production are the same archive.

Archives are reproducible: entries sorted, owners and times zeroed, gzip without a
timestamp; the same inputs give the same bytes (and the same S3 ETag).
"""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path
from typing import IO, TYPE_CHECKING

from sagemaker_containers.avatar import archive

if TYPE_CHECKING:
    import argparse

CONTAINERS_DIR = Path(__file__).resolve().parents[1] / "sagemaker_containers"
CODE = "code"


class PackError(ValueError):
    """The inputs cannot be packed (missing handler, clashing paths, no adapter)."""


def code_files(container: str, containers_dir: Path = CONTAINERS_DIR) -> dict[str, Path]:
    """``code/`` of a packed model: archive path → source file."""
    root = containers_dir / container
    handler_dir = root / CODE
    if not (handler_dir / "inference.py").is_file():
        raise PackError(f"no handler at {handler_dir / 'inference.py'}")
    files = {f"{CODE}/{path.relative_to(handler_dir).as_posix()}": path
             for path in _files(handler_dir)}
    if (root / "core.py").is_file():
        files[f"{CODE}/core.py"] = root / "core.py"
    for path in _files(containers_dir / "common"):
        if path.suffix == ".py":
            files[f"{CODE}/common/{path.relative_to(containers_dir / 'common').as_posix()}"] = path
    return files


def pack_model(
    model_dir: Path, container: str, out: Path, *, containers_dir: Path = CONTAINERS_DIR
) -> Path:
    """Write ``out`` (``model.tar.gz``) from ``model_dir`` and ``container``'s code."""
    if not model_dir.is_dir():
        raise PackError(f"{model_dir} is not a directory")
    entries = {path.relative_to(model_dir).as_posix(): path for path in _files(model_dir)}
    clash = sorted(name for name in entries if name.split("/")[0] == CODE)
    if clash:
        raise PackError(f"{model_dir} already has a {CODE}/ folder; pack a clean model dir")
    entries.update(code_files(container, containers_dir))
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as raw:
        _write_tar(raw, entries)
    return out


def adapter_archive(adapter: Path) -> bytes:
    """The adapter as a training job leaves it: a tar.gz with its files at the root."""
    if adapter.is_file():
        return adapter.read_bytes()  # already a training output (model.tar.gz)
    if not (adapter / archive.ADAPTER_WEIGHTS).is_file():
        raise PackError(f"{adapter} holds no {archive.ADAPTER_WEIGHTS}")
    buffer = io.BytesIO()
    _write_tar(buffer, {path.relative_to(adapter).as_posix(): path for path in _files(adapter)})
    return buffer.getvalue()


def pack_avatar(adapter: Path, out_root: Path, *, tenant: str, avatar_id: str) -> Path:
    """Write ``out_root/<tenant>/<avatar>.tar.gz`` (the key under the MME prefix)."""
    try:
        packed = archive.pack_training_output(adapter_archive(adapter), tenant=tenant,
                                              avatar_id=avatar_id)
    except archive.ArchiveError as exc:
        raise PackError(f"{adapter} is not a usable avatar adapter: {exc}") from exc
    out = out_root / packed.target_model
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(packed.data)
    return out


def _files(root: Path) -> list[Path]:
    """Regular files under ``root``, sorted; caches and hidden scratch left out."""
    if not root.is_dir():
        return []
    return sorted(
        path for path in root.rglob("*")
        if path.is_file() and not path.is_symlink()
        and "__pycache__" not in path.parts
        and not any(part.startswith(".") for part in path.relative_to(root).parts)
    )


def _write_tar(raw: IO[bytes], entries: dict[str, Path]) -> None:
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as zipped, tarfile.open(
        fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT
    ) as archive:
        for name in sorted(entries):
            info = tarfile.TarInfo(name)
            info.size = entries[name].stat().st_size
            info.mode = 0o644
            with entries[name].open("rb") as source:  # streamed: weights can be GBs
                archive.addfile(info, source)


def configure_pack(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model_dir", type=Path, help="model files (weights, configs)")
    parser.add_argument("--container", required=True,
                        help="sagemaker_containers/<name> whose code/ to ship")
    parser.add_argument("--out", type=Path, default=Path("model.tar.gz"))


def run_pack(args: argparse.Namespace) -> int:
    out = pack_model(args.model_dir, args.container, args.out)
    print(f"{out}  {out.stat().st_size / 1e6:.2f} MB")
    return 0


def configure_pack_avatar(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("adapter", type=Path,
                        help="train.py's output dir, or the training job's model.tar.gz")
    parser.add_argument("--tenant", required=True)
    parser.add_argument("--avatar-id", required=True)
    parser.add_argument("--out-root", type=Path, default=Path("avatars"),
                        help="local mirror of the MME prefix (default: ./avatars)")


def run_pack_avatar(args: argparse.Namespace) -> int:
    out = pack_avatar(args.adapter, args.out_root, tenant=args.tenant, avatar_id=args.avatar_id)
    print(f"{out}  {out.stat().st_size / 1e6:.3f} MB")
    return 0
