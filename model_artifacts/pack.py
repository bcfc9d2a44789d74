"""Pack models the way SageMaker reads them.

- ``pack_model``: a model directory into ``model.tar.gz``, the model files (weights and
  configs) at the archive's root and nothing else. The serving code lives in the
  inference image (``sagemaker_containers/docker/inference.Dockerfile``), which the
  SageMaker Model's ``SAGEMAKER_PROGRAM`` points at: no ``code/`` folder, and above all no
  ``code/requirements.txt`` (the toolkit would pip-install it at start, which fails under
  network isolation). A fix to ``core.py`` therefore reaches every model with the image.
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


def handler_module(container: str, containers_dir: Path = CONTAINERS_DIR) -> str:
    """The module the inference image imports for ``container`` (its ``SAGEMAKER_PROGRAM``)."""
    handler = containers_dir / container / CODE / "inference.py"
    if not handler.is_file():
        raise PackError(f"no handler at {handler}")
    return f"sagemaker_containers.{container}.{CODE}.inference"


def pack_model(
    model_dir: Path, container: str, out: Path, *, containers_dir: Path = CONTAINERS_DIR
) -> Path:
    """Write ``out`` (``model.tar.gz``) from ``model_dir``'s files: weights only, no code.

    ``container`` names the image-side handler that will serve the archive; it must exist.
    """
    handler_module(container, containers_dir)
    if not model_dir.is_dir():
        raise PackError(f"{model_dir} is not a directory")
    entries = {path.relative_to(model_dir).as_posix(): path for path in _files(model_dir)}
    clash = sorted(name for name in entries if name.split("/")[0] == CODE)
    if clash:
        raise PackError(f"{model_dir} has a {CODE}/ folder; the serving code lives in the "
                        "image, pack a model dir of weights and configs only")
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
                        help="sagemaker_containers/<name> that serves it (its code is in the "
                        "image, not in the archive)")
    parser.add_argument("--out", type=Path, default=Path("model.tar.gz"))


def run_pack(args: argparse.Namespace) -> int:
    out = pack_model(args.model_dir, args.container, args.out)
    print(f"{out}  {out.stat().st_size / 1e6:.2f} MB  "
          f"(SAGEMAKER_PROGRAM={handler_module(args.container)})")
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
