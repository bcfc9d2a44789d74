"""Local ``TrainingLauncher``: avatar (DreamBooth-LoRA) and attribute-model (BLIP-2 LoRA)
training in a child process; ``TRAINERS`` says, per run kind, which base, script and
script arguments (the avatar's run is described below; BLIP-2's is the same pattern,
``sagemaker_containers/blip2/train.py`` on ``models_dir/blip2`` with the input prefix's
``train.csv`` and images; a comparison's is ``sagemaker_containers/comparison/run.py`` on
the whole models folder, with the spec and its photos as input, the tenant's own folder of
the artifacts store as ``--adapters_dir``, progress in images and a report folder as output).

The stand-in for a SageMaker training job and its EventBridge event: the photos under
the spec's input prefix are copied to a scratch directory (under the data dir, swept of
crashed runs' folders at start),
``sagemaker_containers/avatar/train.py`` runs on them (its CLI, the same script the
training image runs) with the base at ``models_dir/avatar`` (the base
the in-process runtime serves, so adapter and base always match), its output
(``pytorch_lora_weights.safetensors`` + ``avatar.json``) is stored in artifacts under the
spec's output prefix, as a training job's output is, and a ``TrainingFinished`` (or
``JobFailed``) outcome goes to the injected sink. Registering the adapter for serving
is the core's avatar completion step (``LocalAvatarRegistry``), as on AWS.

Isolation: ``train.py`` runs in a child process (``training_child.py``: it dies with
this process, so a crashed server leaves no trainer burning CPU), watched from the
launcher's own threads (``threads``), so the job worker hands the training over and
goes on with other tenants' jobs. ``stop`` (the avatar's ``DELETE``) terminates the
child, then kills it after a grace period, and the run stores nothing.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
BLIP2 = "blip2"
BASE_MARKER = "model_index.json"
# Paths are the launcher's to set; a hyperparameter may not redirect them.
_RESERVED = frozenset(
    {"pretrained_model_name_or_path", "instance_data_dir", "class_data_dir", "output_dir",
     "failure_file", "progress_file", "model_name_or_path", "train_file", "validation_file",
     "images_dir", "spec", "models_dir", "adapters_dir"}
)  # fmt: skip
# How often a running training's steps are read (the job view's freshness).
PROGRESS_INTERVAL_S = 1.0
_CONTENT_TYPES = {".json": "application/json", ".safetensors": "application/octet-stream",
                  ".png": "image/png", ".html": "text/html"}
# The train.py scripts' exit statuses (avatar/photos.py, avatar/train.py, blip2/train.py);
# defined there beside torch imports, so restated here.
EXIT_INPUT_REJECTED, EXIT_BAD_CONFIG = 3, 2
CHILD_MODULE = "api.adapters.local.training_child"
STOP_GRACE_SECONDS = 3.0
_ROOT = Path(__file__).resolve().parents[3]


class LocalTrainingLauncher:
    """A ``TrainingLauncher`` that trains locally in child processes and delivers the outcome.

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
        Runs training in this process on ``train.py``-style arguments and returns the
        metadata (tests inject fakes; ``train_in_process`` is the script itself). ``None``:
        ``train.py`` runs in a child process that ``stop`` ends.
    program:
        What the child runs: a module name or a ``.py`` file, given the arguments
        (default: the run kind's ``train.py`` module; tests pass a slow stand-in).
    threads:
        How many trainings run at once, each watched by a thread of the launcher's own;
        ``launch`` returns at once. ``0``: ``launch`` trains in the caller's thread
        (tests of the launcher on its own).
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
        program: str | None = None,
        threads: int = 0,
        scratch_dir: Path | None = None,
        progress: ProgressBoard | None = None,
    ) -> None:
        # Absolute: the child runs in its scratch folder, and `make serve`'s defaults
        # (models/, .vitrine-data/) are relative to the server's working directory.
        self._scratch_dir = _swept(scratch_dir.resolve()) if scratch_dir is not None else None
        self._uploads = uploads
        self._artifacts = artifacts
        self._models_dir = Path(models_dir).resolve()
        self._deliver = deliver
        self._progress = progress
        self._trainer = trainer
        self._program = program
        self._pool = (
            ThreadPoolExecutor(threads, thread_name_prefix="vitrine-training") if threads else None
        )
        self._lock = threading.Lock()
        self._stopped: set[str] = set()
        self._children: dict[str, subprocess.Popen[bytes]] = {}
        self._closing = False

    def launch(self, spec: TrainingSpec) -> None:
        """Train (on the launcher's threads; with ``threads=0`` before returning), store
        the output, then deliver ``TrainingFinished`` (its ``metadata`` is the run's
        metadata file: ``avatar.json``, ``training.json``) or, when training fails,
        ``JobFailed``.

        Raises (the run cannot start)
        -----------------------------
        DependencyUnavailable
            A kind not trained locally, or no base model at ``models_dir/<kind>``.
        ModelInputRejected
            No files under the input prefix.
        ModelInvocationFailed
            A hyperparameter tries to set a path the launcher sets.
        Conflict
            The training was stopped (its model deleted) before it started.

        Delivered as ``JobFailed``: ``train.py`` rejected the input or failed, it
        produced no adapter, or the training was stopped before its output was stored.
        """
        run = TRAINERS.get(spec.kind)
        if run is None:
            raise DependencyUnavailable(f"{spec.kind} training is not available locally")
        base_dir = self._models_dir / run.base_dir
        if not (base_dir / run.marker).is_file():
            raise DependencyUnavailable(
                f"no {spec.kind} base model at {base_dir}: run `make models` (tiny) or put "
                f"a {run.base} checkpoint there"
            )
        hyperparameters = self._hyperparameters(spec)
        sources = self._inputs(spec.input_prefix)
        with self._lock:
            if spec.job_id in self._stopped:
                self._stopped.discard(spec.job_id)  # the mark is spent
                raise Conflict(f"training {spec.job_id} was stopped")
        if self._pool is None:
            self._run(spec, run, sources, hyperparameters)
        else:
            self._pool.submit(self._run, spec, run, sources, hyperparameters)

    def _run(
        self, spec: TrainingSpec, run: _Run, sources: list[Path], hyperparameters: list[str]
    ) -> None:
        """Train, store, deliver (on the launcher's thread, or the caller's)."""
        ref = JobRef(spec.tenant, spec.job_id, kind=run.job_kind)
        try:
            with tempfile.TemporaryDirectory(
                prefix="vitrine-training-", dir=self._scratch_dir
            ) as scratch:
                inputs, output = Path(scratch) / "instance", Path(scratch) / "output"
                try:
                    inputs.mkdir()
                    for source in sources:
                        shutil.copyfile(source, inputs / source.name)
                    base = self._models_dir / run.base_dir
                    argv = hyperparameters + run.paths(base, inputs, output, Path(scratch))
                    steps = Path(scratch) / "progress.json"
                    # Only scripts that write a progress file are watched (BLIP-2's runs
                    # are short and report none).
                    board = self._progress if run.reports_progress else None
                    report = ["--progress_file", str(steps)] if run.reports_progress else []
                    if run.tenant_adapters:  # the run sees the tenant's own adapters only
                        argv += ["--adapters_dir", str(self._tenant_adapters(spec.tenant))]
                    with _watching(steps, spec.job_id, board, run.stage, run.unit):
                        metadata = self._train(spec, run, [*argv, *report], Path(scratch))
                    self._store(spec, run, output)
                except VitrineError as err:
                    outcome: TrainingFinished | JobFailed = JobFailed(ref, JobError.of(err))
                else:
                    outcome = TrainingFinished(ref, artifacts=spec.output_prefix, metadata=metadata)
        except Exception:  # the last guard of a thread of its own: the job must still end
            log.exception("training %s crashed", spec.job_id)
            failed = ModelInvocationFailed(f"{run.label} training failed")
            outcome = JobFailed(ref, JobError.of(failed))
        finally:
            with self._lock:
                self._stopped.discard(spec.job_id)
                closing = self._closing
        if closing:  # shut down mid-run: the job stays running, recovered at the next start
            log.info("training %s interrupted by shutdown", spec.job_id)
            return
        self._deliver(outcome)

    def stop(self, spec: TrainingSpec) -> None:
        """Stop a queued or running training: its child process is terminated (killed
        after ``STOP_GRACE_SECONDS``) and it stores nothing; a no-op once it ended.

        A training not started yet is refused when it would start (the mark is spent
        by that ``launch``, which it ends).
        """
        with self._lock:
            self._stopped.add(spec.job_id)
            child = self._children.get(spec.job_id)
        if child is not None:
            _end(child, spec.job_id)

    def close(self) -> None:
        """End every child (process shutdown); their jobs are recovered at the next start."""
        with self._lock:
            self._closing = True
            children = list(self._children.items())
        for job_id, child in children:
            _end(child, job_id)
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    # --- steps ---
    def _raise_if_stopped(self, spec: TrainingSpec) -> None:
        if spec.job_id in self._stopped:
            raise Conflict(f"training {spec.job_id} was stopped")

    def _tenant_adapters(self, tenant: str) -> Path:
        """The tenant's folder of the artifacts store (made if it has none yet)."""
        root = getattr(self._artifacts, "root", None)
        if not isinstance(root, Path):
            raise DependencyUnavailable("this run needs the local artifacts store")
        validate_key(f"{tenant}/", prefix=True)
        folder = root.resolve() / tenant
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def _inputs(self, prefix: str) -> list[Path]:
        """The files under ``prefix`` in the uploads store (not its sidecars)."""
        validate_key(prefix, prefix=True)
        source = (self._uploads.root / prefix).resolve()
        found: list[Path] = []
        if source.is_dir() and source.is_relative_to(self._uploads.root):
            found = [
                path for path in sorted(source.iterdir())
                if path.is_file() and not path.name.startswith(".")  # skip store sidecars
            ]  # fmt: skip
        if not found:
            raise ModelInputRejected(f"no training data under {prefix}")
        return found

    def _hyperparameters(self, spec: TrainingSpec) -> list[str]:
        argv: list[str] = []
        for name, value in spec.hyperparameters.items():
            if name in _RESERVED:
                raise ModelInvocationFailed(f"hyperparameter {name!r} is set by the launcher")
            argv += [f"--{name}", value]
        return argv

    def _train(
        self, spec: TrainingSpec, run: _Run, argv: list[str], scratch: Path
    ) -> dict[str, Any]:
        log.info("training %s %s", spec.kind, spec.job_id)
        if self._trainer is None:
            return self._train_in_child(spec, run, argv, scratch)
        try:
            return self._trainer(argv)
        except VitrineError:
            raise
        except Exception as exc:
            log.exception("training %s failed", spec.job_id)
            raise ModelInvocationFailed(f"{run.label} training failed") from exc

    def _train_in_child(
        self, spec: TrainingSpec, run: _Run, argv: list[str], scratch: Path
    ) -> dict[str, Any]:
        """``train.py``'s CLI in a child process; its exit status as a domain error."""
        failure, log_path = scratch / "failure", scratch / "train.log"
        program = self._program or run.program
        command = [sys.executable, "-m", CHILD_MODULE, str(os.getpid()), program,
                   *argv, "--failure_file", str(failure)]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (str(_ROOT), os.environ.get("PYTHONPATH", "")) if p)}  # fmt: skip
        with self._lock:
            self._raise_if_stopped(spec)
            with log_path.open("wb") as out:
                child = subprocess.Popen(
                    command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                    env=env, cwd=scratch,
                )  # fmt: skip
            self._children[spec.job_id] = child
        try:
            status = child.wait()
        finally:
            with self._lock:
                self._children.pop(spec.job_id, None)
        with self._lock:
            self._raise_if_stopped(spec)
        if status == EXIT_INPUT_REJECTED and failure.is_file():
            raise ModelInputRejected(failure.read_text("utf-8", "replace")[:1000])
        if status != 0:
            # The log may name paths and hold a traceback: for the operator only.
            tail = log_path.read_bytes()[-4000:].decode("utf-8", "replace")
            log.error("training %s exited with %s:\n%s", spec.job_id, status, tail)
            if status == EXIT_BAD_CONFIG:
                raise ModelInvocationFailed(f"{run.label} training is misconfigured")
            raise ModelInvocationFailed(f"{run.label} training failed")
        try:
            metadata = json.loads((scratch / "output" / run.metadata).read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise ModelInvocationFailed(f"{run.label} training produced no metadata") from exc
        return metadata if isinstance(metadata, dict) else {}

    def _store(self, spec: TrainingSpec, run: _Run, output: Path) -> None:
        found = output.rglob("*") if run.tree else output.iterdir() if output.is_dir() else []
        files = sorted(p for p in found if p.is_file() and not p.is_symlink())
        if not any(p.name == run.product or p.suffix == run.product for p in files):
            raise ModelInvocationFailed(f"{run.label} training produced no {run.product_label}")
        # Under the lock: a stop either lands before (nothing is stored) or after (the
        # caller deletes what was stored); never in the middle.
        with self._lock:
            self._raise_if_stopped(spec)
            for path in files:
                data = path.read_bytes()
                content_type = _CONTENT_TYPES.get(path.suffix, "application/octet-stream")
                name = path.relative_to(output).as_posix()
                self._artifacts.put(spec.output_prefix + name, data, content_type=content_type)


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


def _avatar_paths(base: Path, photos: Path, output: Path, scratch: Path) -> list[str]:
    return [
        "--pretrained_model_name_or_path", str(base),
        "--instance_data_dir", str(photos),
        "--class_data_dir", str(scratch / "class"),
        "--output_dir", str(output),
    ]  # fmt: skip


def _captioned_paths(base: Path, inputs: Path, output: Path, scratch: Path) -> list[str]:
    # The input prefix holds the images and metadata.jsonl (train.py's ImageFolder set).
    return [
        "--pretrained_model_name_or_path", str(base),
        "--instance_data_dir", str(inputs),
        "--output_dir", str(output),
    ]  # fmt: skip


def _style_paths(base: Path, inputs: Path, output: Path, scratch: Path) -> list[str]:
    return [*_captioned_paths(base, inputs, output, scratch),
            "--class_data_dir", str(scratch / "class")]  # fmt: skip


def _comparison_paths(models: Path, inputs: Path, output: Path, scratch: Path) -> list[str]:
    # The input prefix holds spec.json and the rows' photos it names; the "base" is the
    # models folder itself (each model type's checkpoint in its subfolder).
    return [
        "--spec", str(inputs / "spec.json"),
        "--models_dir", str(models),
        "--output_dir", str(output),
    ]  # fmt: skip


def _blip2_paths(base: Path, inputs: Path, output: Path, scratch: Path) -> list[str]:
    # The input prefix holds train.csv and the images it names.
    return [
        "--model_name_or_path", str(base),
        "--train_file", str(inputs / "train.csv"),
        "--output_dir", str(output),
    ]  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Run:
    """What a run kind trains: its base (the folder under ``models_dir`` and the file
    that marks one), its script (a module the child runs), the script's paths, and the
    file its figures are in."""

    label: str
    base: str
    marker: str
    job_kind: JobKind
    program: str
    paths: Callable[[Path, Path, Path, Path], list[str]]
    metadata: str
    reports_progress: bool
    base_dir: str
    # What its progress counts, and the file (or suffix) without which the run produced
    # nothing; ``tree``: its output has folders (stored as they are).
    stage: str = "training"
    unit: str = "steps"
    product: str = ".safetensors"
    product_label: str = "adapter weights"
    tree: bool = False
    # Given ``--adapters_dir``: the tenant's own folder of the artifacts store.
    tenant_adapters: bool = False


# Tenant models' bases: the try-on inpainting base (style), the SDXL text-to-image base
# the generations serve (product, concept); adapters always match what serves them.
INPAINTING_BASE, SDXL_BASE = "inpainting", "generation"


TRAINERS: dict[str, _Run] = {
    AVATAR: _Run("avatar", "Stable Diffusion diffusers", BASE_MARKER, JobKind.AVATAR_TRAINING,
                 "sagemaker_containers.avatar.train", _avatar_paths, "avatar.json", True, AVATAR),
    BLIP2: _Run("attribute model", "BLIP-2 (Flan-T5)", "config.json",
                JobKind.ATTRIBUTE_MODEL_TRAINING, "sagemaker_containers.blip2.train",
                _blip2_paths, "training.json", False, BLIP2),
    "style": _Run("style model", "Stable Diffusion 2 inpainting", BASE_MARKER,
                  JobKind.STYLE_TRAINING, "sagemaker_containers.style.train", _style_paths,
                  "model.json", True, INPAINTING_BASE),
    "product": _Run("product model", "SDXL text-to-image", BASE_MARKER, JobKind.PRODUCT_TRAINING,
                    "sagemaker_containers.product.train", _captioned_paths, "model.json", True,
                    SDXL_BASE),
    "concept": _Run("concept model", "SDXL text-to-image", BASE_MARKER, JobKind.CONCEPT_TRAINING,
                    "sagemaker_containers.concept.train", _captioned_paths, "model.json", True,
                    SDXL_BASE),
    # A comparison (issue 12): the prompt set through each model, scored; a batch run.
    "comparison": _Run("comparison", "SDXL text-to-image", f"{SDXL_BASE}/{BASE_MARKER}",
                       JobKind.COMPARISON, "sagemaker_containers.comparison.run",
                       _comparison_paths, "report.json", True, "", stage="generating",
                       unit="images", product="report.json",
                       product_label="report", tree=True, tenant_adapters=True),
}  # fmt: skip


def _end(child: subprocess.Popen[bytes], job_id: str) -> None:
    """Terminate ``child``; kill it if it is still there after the grace period."""
    if child.poll() is not None:
        return
    log.info("stopping training %s (pid %d)", job_id, child.pid)
    child.terminate()
    try:
        child.wait(STOP_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        log.warning("training %s ignored SIGTERM; killing it", job_id)
        child.kill()
        child.wait()


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
def _watching(
    path: Path, job_id: str, board: ProgressBoard | None, stage: str, unit: str
) -> Iterator[None]:
    """While the body runs, report the units (steps, images) the script writes to
    ``path`` each second."""
    if board is None:
        yield
        return
    done = threading.Event()

    def watch() -> None:
        while not done.wait(PROGRESS_INTERVAL_S):
            try:
                steps = json.loads(path.read_text(encoding="utf-8"))
                progress = JobProgress(
                    stage, done=int(steps["done"]), total=int(steps["total"]), unit=unit
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
