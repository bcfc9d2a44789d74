"""Local ``TrainingLauncher``: DreamBooth-LoRA avatar training in this process.

The stand-in for a SageMaker training job *and* the training-events handler that
registers its output: the photos under the spec's input prefix are copied to a scratch
directory, ``sagemaker_containers/avatar/train.py`` runs on them (``main(parse_args(...))``,
the same script the training image runs) with the base at ``models_dir/avatar`` (the
base the in-process runtime serves, so adapter and base always match), and its output
(``pytorch_lora_weights.safetensors`` + ``avatar.json``) is stored twice in artifacts:

- under the spec's output prefix, as a training job's output is;
- as the served model ``{mme_prefix}{tenant}/{job id}.tar.gz``: the multi-model
  endpoint's ``TargetModel`` naming, with the avatar named by its training job as the
  AWS training-events handler names it. Locally that key is a directory holding the
  adapter (the avatar handler reads one in place of an archive), so nothing is
  extracted or cached elsewhere and deleting the key deletes the model.

Training blocks the worker thread that runs it (seconds on the tiny base; on a CPU
minutes to hours on a real one). ``stop`` cannot interrupt ``train.py``; it makes the
run discard its output instead, so a deleted avatar's artifacts never reappear.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from api.adapters.local.fs import validate_key
from api.domain.errors import (
    Conflict,
    DependencyUnavailable,
    ModelInputRejected,
    ModelInvocationFailed,
    VitrineError,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from api.adapters.local.fs import FilesystemObjectStore
    from api.ports import ObjectStore, TrainingSpec

    Trainer = Callable[[list[str]], dict[str, Any]]

log = logging.getLogger(__name__)

AVATAR = "avatar"
BASE_MARKER = "model_index.json"
# Paths are the launcher's to set; a hyperparameter may not redirect them.
_RESERVED = frozenset(
    {"pretrained_model_name_or_path", "instance_data_dir", "class_data_dir", "output_dir",
     "failure_file"}
)  # fmt: skip
_CONTENT_TYPES = {".json": "application/json", ".safetensors": "application/octet-stream"}


class LocalTrainingLauncher:
    """A ``TrainingLauncher`` that trains avatars in process and returns their metadata.

    Parameters
    ----------
    uploads:
        The uploads store, whose files under a spec's input prefix are the photos.
    artifacts:
        Where the adapter goes (the output prefix and the served model's key).
    models_dir:
        Holds the Stable Diffusion base at ``models_dir/avatar``.
    mme_prefix:
        The multi-model endpoint's prefix in artifacts (``VITRINE_MME_PREFIX``).
    trainer:
        Runs training on ``train.py``-style arguments and returns the metadata; the
        default imports ``train.py`` (torch, diffusers) on first use. Tests inject one.
    """

    def __init__(
        self,
        *,
        uploads: FilesystemObjectStore,
        artifacts: ObjectStore,
        models_dir: Path,
        mme_prefix: str,
        trainer: Trainer | None = None,
    ) -> None:
        self._uploads = uploads
        self._artifacts = artifacts
        self._base_dir = Path(models_dir) / AVATAR
        self._mme_prefix = mme_prefix
        self._trainer = trainer or train_in_process
        self._lock = threading.Lock()
        self._stopped: set[str] = set()

    def launch(self, spec: TrainingSpec) -> dict[str, Any] | None:
        """Train now and store the adapter; return ``avatar.json``'s metadata.

        Raises
        ------
        DependencyUnavailable
            Not an avatar spec, or no base model at ``models_dir/avatar``.
        ModelInputRejected
            No photos under the input prefix, or ``train.py`` rejected the set.
        ModelInvocationFailed
            Training failed or produced no adapter.
        Conflict
            The training was stopped (its avatar deleted) before it could be stored.
        """
        if spec.kind != AVATAR:
            raise DependencyUnavailable(f"{spec.kind} training is not available locally")
        if not (self._base_dir / BASE_MARKER).is_file():
            raise DependencyUnavailable(
                f"no avatar base model at {self._base_dir}: run `make models` (tiny) or put a "
                "Stable Diffusion diffusers directory there"
            )
        try:
            with self._lock:
                self._raise_if_stopped(spec)
            with tempfile.TemporaryDirectory(prefix="vitrine-training-") as scratch:
                photos, output = Path(scratch) / "instance", Path(scratch) / "output"
                self._copy_photos(spec.input_prefix, photos)
                metadata = self._train(spec, photos, output, Path(scratch) / "class")
                self._store(spec, output)
        finally:
            with self._lock:
                self._stopped.discard(spec.job_id)
        return metadata

    def stop(self, spec: TrainingSpec) -> None:
        """Make a queued or running training discard its output; a no-op once it ended.

        The mark is spent by the next ``launch`` of that job, which it ends.
        """
        with self._lock:
            self._stopped.add(spec.job_id)

    # --- steps ---
    def _raise_if_stopped(self, spec: TrainingSpec) -> None:
        if spec.job_id in self._stopped:
            raise Conflict(f"training {spec.job_id} was stopped")

    def _copy_photos(self, prefix: str, into: Path) -> None:
        validate_key(prefix, prefix=True)
        source = (self._uploads.root / prefix).resolve()
        into.mkdir(parents=True)
        if source.is_dir() and source.is_relative_to(self._uploads.root):
            for path in sorted(source.iterdir()):
                if path.is_file() and not path.name.startswith("."):  # skip store sidecars
                    shutil.copyfile(path, into / path.name)
        if not any(into.iterdir()):
            raise ModelInputRejected(f"no training photos under {prefix}")

    def _train(
        self, spec: TrainingSpec, photos: Path, output: Path, class_dir: Path
    ) -> dict[str, Any]:
        argv: list[str] = []
        for name, value in spec.hyperparameters.items():
            if name in _RESERVED:
                raise ModelInvocationFailed(f"hyperparameter {name!r} is set by the launcher")
            argv += [f"--{name}", value]
        argv += [
            "--pretrained_model_name_or_path", str(self._base_dir),
            "--instance_data_dir", str(photos),
            "--class_data_dir", str(class_dir),
            "--output_dir", str(output),
        ]  # fmt: skip
        log.info("training %s %s on %s", spec.kind, spec.job_id, self._base_dir)
        try:
            return self._trainer(argv)
        except VitrineError:
            raise
        except Exception as exc:
            log.exception("training %s failed", spec.job_id)
            raise ModelInvocationFailed(f"avatar training failed: {type(exc).__name__}") from exc

    def _store(self, spec: TrainingSpec, output: Path) -> None:
        files = sorted(p for p in output.iterdir() if p.is_file()) if output.is_dir() else []
        if not any(p.suffix == ".safetensors" for p in files):
            raise ModelInvocationFailed("avatar training produced no adapter weights")
        served = f"{self._mme_prefix}{spec.tenant}/{spec.job_id}.tar.gz/"
        # Under the lock: a stop either lands before (nothing is stored) or after (the
        # caller deletes what was stored); never in the middle.
        with self._lock:
            self._raise_if_stopped(spec)
            for path in files:
                data = path.read_bytes()
                content_type = _CONTENT_TYPES.get(path.suffix, "application/octet-stream")
                for prefix in (spec.output_prefix, served):
                    self._artifacts.put(prefix + path.name, data, content_type=content_type)


def train_in_process(argv: list[str]) -> dict[str, Any]:
    """Run ``sagemaker_containers/avatar/train.py`` here; its failures as domain errors."""
    try:
        from sagemaker_containers.avatar import train
        from sagemaker_containers.avatar.photos import PhotoSetRejected
    except ImportError as exc:
        raise DependencyUnavailable(
            f"avatar training cannot load ({exc.name or exc}); install the models extra"
        ) from exc
    try:
        args = train.parse_args(argv)
    except SystemExit as exc:  # argparse reports bad arguments by exiting
        raise ModelInvocationFailed(f"invalid training arguments (exit {exc.code})") from exc
    try:
        return train.main(args)
    except PhotoSetRejected as exc:
        raise ModelInputRejected(str(exc)[:1000]) from exc
    except train.TrainingConfigError as exc:
        raise ModelInvocationFailed(f"avatar training is misconfigured: {exc}") from exc
