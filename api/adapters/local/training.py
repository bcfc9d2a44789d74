"""Local ``TrainingLauncher``: avatar (DreamBooth-LoRA) and attribute-model (BLIP-2
LoRA) training in this process; ``TRAINERS`` says, per run kind, which base, script
arguments and script (the avatar's is described below; BLIP-2's is the same pattern,
``sagemaker_containers/blip2/train.py`` on ``models_dir/blip2``, with the input prefix's
``train.csv`` and images).

The stand-in for a SageMaker training job and its EventBridge event: the photos under
the spec's input prefix are copied to a scratch directory (under the data dir, swept of
crashed runs' folders at start),
``sagemaker_containers/avatar/train.py`` runs on them (``main(parse_args(...))``, the
same script the training image runs) with the base at ``models_dir/avatar`` (the base
the in-process runtime serves, so adapter and base always match), its output
(``pytorch_lora_weights.safetensors`` + ``avatar.json``) is stored in artifacts under the
spec's output prefix, as a training job's output is, and a ``TrainingFinished`` (or
``JobFailed``) outcome goes to the injected sink. Registering the adapter for serving
is the core's avatar completion step (``LocalAvatarRegistry``), as on AWS.

Training blocks the worker thread that runs it (seconds on the tiny base; on a CPU
minutes to hours on a real one). ``stop`` cannot interrupt ``train.py``; it makes the
run discard its output instead, so a deleted avatar's artifacts never reappear.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
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
from api.domain.jobs import JobError, JobKind, JobProgress
from api.domain.outcomes import JobFailed, JobRef, TrainingFinished

Trainer = Callable[[list[str]], dict[str, Any]]

if TYPE_CHECKING:
    from collections.abc import Iterator

    from api.adapters.local.fs import FilesystemObjectStore
    from api.ports import ObjectStore, OutcomeSink, ProgressBoard, TrainingSpec

log = logging.getLogger(__name__)

AVATAR = "avatar"
BASE_MARKER = "model_index.json"
BLIP2 = "blip2"
# Paths are the launcher's to set; a hyperparameter may not redirect them.
_RESERVED = frozenset(
    {"pretrained_model_name_or_path", "instance_data_dir", "class_data_dir", "output_dir",
     "failure_file", "progress_file", "model_name_or_path", "train_file", "validation_file",
     "images_dir"}
)  # fmt: skip
# How often a running training's steps are read (the job view's freshness).
PROGRESS_INTERVAL_S = 1.0
_CONTENT_TYPES = {".json": "application/json", ".safetensors": "application/octet-stream"}


class LocalTrainingLauncher:
    """A ``TrainingLauncher`` that trains avatars in process and delivers the outcome.

    Parameters
    ----------
    uploads:
        The uploads store, whose files under a spec's input prefix are the photos.
    artifacts:
        Where the training output goes (the spec's output prefix).
    models_dir:
        Holds the Stable Diffusion base at ``models_dir/avatar``.
    deliver:
        Receives the run's outcome (the core's ``handle``, through the local relay).
    trainer:
        Runs training on ``train.py``-style arguments and returns the metadata; the
        default imports ``train.py`` (torch, diffusers) on first use. Tests inject one.
    progress:
        Receives the run's training steps, read from the ``--progress_file`` that
        ``train.py`` keeps up to date (every second at most).
    scratch_dir:
        Where each run's scratch folder (a copy of the subject's photos, the output) is
        made; the wiring passes one under the data dir. What a crashed run left there
        is removed when the launcher is built (process start). ``None``: the system's
        temporary directory, never swept.
    """

    def __init__(
        self,
        *,
        uploads: FilesystemObjectStore,
        artifacts: ObjectStore,
        models_dir: Path,
        deliver: OutcomeSink,
        trainer: Trainer | None = None,
        scratch_dir: Path | None = None,
        progress: ProgressBoard | None = None,
    ) -> None:
        self._scratch_dir = _swept(scratch_dir) if scratch_dir is not None else None
        self._uploads = uploads
        self._artifacts = artifacts
        self._base_dir = Path(models_dir) / AVATAR
        self._deliver = deliver
        self._progress = progress
        self._trainer = trainer
        self._lock = threading.Lock()
        self._stopped: set[str] = set()

    def launch(self, spec: TrainingSpec) -> None:
        """Train now, store the output, then deliver ``TrainingFinished`` (its ``metadata``
        is ``avatar.json``'s) or, when training fails, ``JobFailed``.

        Raises (the run cannot start)
        -----------------------------
        DependencyUnavailable
            Not an avatar spec, or no base model at ``models_dir/avatar``.
        ModelInputRejected
            No photos under the input prefix.
        ModelInvocationFailed
            A hyperparameter tries to set a path the launcher sets.
        Conflict
            The training was stopped (its avatar deleted) before it started.

        Delivered as ``JobFailed``: ``train.py`` rejected the photo set or failed, it
        produced no adapter, or the training was stopped before its output was stored.
        """
        if spec.kind not in TRAINERS:
            raise DependencyUnavailable(f"{spec.kind} training is not available locally")
        run = TRAINERS[spec.kind]
        base_dir = self._base_dir.parent / spec.kind
        if not (base_dir / run.marker).is_file():
            raise DependencyUnavailable(
                f"no {spec.kind} base model at {base_dir}: run `make models` (tiny) or put "
                f"a {run.base} checkpoint there"
            )
        ref = JobRef(spec.tenant, spec.job_id, kind=run.job_kind)
        try:
            with self._lock:
                self._raise_if_stopped(spec)
            with tempfile.TemporaryDirectory(
                prefix="vitrine-training-", dir=self._scratch_dir
            ) as scratch:
                photos, output = Path(scratch) / "instance", Path(scratch) / "output"
                self._copy_photos(spec.input_prefix, photos)
                argv = self._argv(spec, photos, output, Path(scratch) / "class")
                steps = Path(scratch) / "progress.json"
                try:
                    # Only the avatar script reports its steps (BLIP-2 runs are short).
                    watched = spec.kind == AVATAR
                    report = ["--progress_file", str(steps)] if watched else []
                    with _watching(steps, spec.job_id, self._progress if watched else None):
                        metadata = self._train(spec, [*argv, *report])
                    self._store(spec, output)
                except VitrineError as err:
                    outcome: TrainingFinished | JobFailed = JobFailed(ref, JobError.of(err))
                else:
                    outcome = TrainingFinished(ref, artifacts=spec.output_prefix, metadata=metadata)
        finally:
            with self._lock:
                self._stopped.discard(spec.job_id)
        self._deliver(outcome)

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
            raise ModelInputRejected(f"no training data under {prefix}")

    def _argv(self, spec: TrainingSpec, photos: Path, output: Path, class_dir: Path) -> list[str]:
        argv: list[str] = []
        for name, value in spec.hyperparameters.items():
            if name in _RESERVED:
                raise ModelInvocationFailed(f"hyperparameter {name!r} is set by the launcher")
            argv += [f"--{name}", value]
        if spec.kind == BLIP2:  # the input prefix holds train.csv and its images
            return argv + [
                "--model_name_or_path", str(self._base_dir.parent / BLIP2),
                "--train_file", str(photos / "train.csv"),
                "--output_dir", str(output),
            ]  # fmt: skip
        return argv + [
            "--pretrained_model_name_or_path", str(self._base_dir),
            "--instance_data_dir", str(photos),
            "--class_data_dir", str(class_dir),
            "--output_dir", str(output),
        ]  # fmt: skip

    def _train(self, spec: TrainingSpec, argv: list[str]) -> dict[str, Any]:
        log.info("training %s %s", spec.kind, spec.job_id)
        trainer = self._trainer or TRAINERS[spec.kind].trainer
        try:
            return trainer(argv)
        except VitrineError:
            raise
        except Exception as exc:
            log.exception("training %s failed", spec.job_id)
            raise ModelInvocationFailed(f"{spec.kind} training failed") from exc

    def _store(self, spec: TrainingSpec, output: Path) -> None:
        files = sorted(p for p in output.iterdir() if p.is_file()) if output.is_dir() else []
        if not any(p.suffix == ".safetensors" for p in files):
            raise ModelInvocationFailed(f"{spec.kind} training produced no adapter weights")
        # Under the lock: a stop either lands before (nothing is stored) or after (the
        # caller deletes what was stored); never in the middle.
        with self._lock:
            self._raise_if_stopped(spec)
            for path in files:
                data = path.read_bytes()
                content_type = _CONTENT_TYPES.get(path.suffix, "application/octet-stream")
                self._artifacts.put(spec.output_prefix + path.name, data, content_type=content_type)


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
        log.error("avatar training is misconfigured: %s", exc)  # may name paths: log only
        raise ModelInvocationFailed("avatar training is misconfigured") from exc


def train_blip2_in_process(argv: list[str]) -> dict[str, Any]:
    """Run ``sagemaker_containers/blip2/train.py`` here; its failures as domain errors."""
    try:
        from sagemaker_containers.blip2 import train
    except ImportError as exc:
        raise DependencyUnavailable(
            f"attribute training cannot load ({exc.name or exc}); install the models extra"
        ) from exc
    try:
        args = train.parse_args(argv)
    except SystemExit as exc:  # argparse reports bad arguments by exiting
        raise ModelInvocationFailed(f"invalid training arguments (exit {exc.code})") from exc
    try:
        return train.main(args)
    except train.DatasetError as exc:
        raise ModelInputRejected(str(exc)[:1000]) from exc


@dataclass(frozen=True, slots=True)
class _Run:
    """What a run kind trains: its base (and the file that marks one), its script."""

    base: str
    marker: str
    job_kind: JobKind
    trainer: Trainer


TRAINERS: dict[str, _Run] = {
    AVATAR: _Run("Stable Diffusion diffusers", BASE_MARKER, JobKind.AVATAR_TRAINING,
                 train_in_process),
    BLIP2: _Run("BLIP-2 (Flan-T5)", "config.json", JobKind.ATTRIBUTE_MODEL_TRAINING,
                train_blip2_in_process),
}  # fmt: skip


def _swept(scratch_dir: Path) -> Path:
    """``scratch_dir`` (private to this user), emptied of what earlier runs left: a run
    that ends removes its own folder, so anything there is a crashed run's photos."""
    scratch_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    scratch_dir.chmod(0o700)
    for leftover in scratch_dir.iterdir():
        log.warning("removing a crashed training's scratch folder %s", leftover.name)
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
    return scratch_dir


@contextmanager
def _watching(path: Path, job_id: str, board: ProgressBoard | None) -> Iterator[None]:
    """While the body runs, report the steps ``train.py`` writes to ``path`` each second."""
    if board is None:
        yield
        return
    done = threading.Event()

    def watch() -> None:
        while not done.wait(PROGRESS_INTERVAL_S):
            try:
                steps = json.loads(path.read_text(encoding="utf-8"))
                progress = JobProgress(
                    "training", done=int(steps["done"]), total=int(steps["total"]), unit="steps"
                )
            except (OSError, ValueError, KeyError, TypeError):
                continue  # not written yet
            board.report(job_id, progress)

    watcher = threading.Thread(target=watch, name=f"progress-{job_id}", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
