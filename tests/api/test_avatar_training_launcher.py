"""``LocalTrainingLauncher`` (and ``LocalAvatarRegistry``) on their own: inputs,
outputs, delivered outcomes, refusals and ``stop``."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

import pytest

from api.adapters.local.avatars import LocalAvatarRegistry
from api.adapters.local.fs import FilesystemObjectStore
from api.adapters.local.signing import UrlSigner
from api.adapters.local.training import LocalTrainingLauncher, train_in_process
from api.domain.errors import (
    Conflict,
    DependencyUnavailable,
    ModelInputRejected,
    ModelInvocationFailed,
    NotFound,
)
from api.domain.jobs import JobKind
from api.domain.outcomes import JobFailed, JobRef, TrainingFinished
from api.ports import TrainingSpec

if TYPE_CHECKING:
    from pathlib import Path

PREFIX = "t1/avatars/avt_1/"


class Trainer:
    """Writes what ``train.py`` writes, unless told to write nothing."""

    def __init__(self, *, adapter: bool = True) -> None:
        self.adapter = adapter
        self.argvs: list[list[str]] = []

    def __call__(self, argv: list[str]) -> dict[str, Any]:
        self.argvs.append(argv)
        out = argv[argv.index("--output_dir") + 1]
        from pathlib import Path

        Path(out).mkdir(parents=True, exist_ok=True)
        if self.adapter:
            (Path(out) / "pytorch_lora_weights.safetensors").write_bytes(b"lora")
        (Path(out) / "avatar.json").write_text(json.dumps({"steps": 1}))
        return {"steps": 1}


def spec(**changes: Any) -> TrainingSpec:
    values: dict[str, Any] = {
        "kind": "avatar",
        "job_id": "avt_1",
        "tenant": "t1",
        "input_prefix": PREFIX,
        "output_prefix": PREFIX,
        "hyperparameters": {"max_train_steps": "1"},
    }
    values.update(changes)
    return TrainingSpec(**values)


@pytest.fixture
def stores(tmp_path: Path) -> tuple[FilesystemObjectStore, FilesystemObjectStore]:
    signer = UrlSigner("s")
    uploads = FilesystemObjectStore("uploads", tmp_path / "uploads", signer, "http://x")
    artifacts = FilesystemObjectStore("artifacts", tmp_path / "artifacts", signer, "http://x")
    uploads.put(PREFIX + "photo-00.jpg", b"jpeg", content_type="image/jpeg")
    return uploads, artifacts


REF = JobRef("t1", "avt_1", kind=JobKind.AVATAR_TRAINING)


class Launcher(LocalTrainingLauncher):
    """The launcher, keeping what it delivers in ``outcomes``."""

    outcomes: list[Any]


def launcher(
    tmp_path: Path,
    stores: tuple[FilesystemObjectStore, FilesystemObjectStore],
    trainer: Trainer,
    *,
    with_base: bool = True,
) -> Launcher:
    if with_base:
        (tmp_path / "models" / "avatar").mkdir(parents=True)
        (tmp_path / "models" / "avatar" / "model_index.json").write_text("{}")
    uploads, artifacts = stores
    outcomes: list[Any] = []
    runner = Launcher(
        uploads=uploads, artifacts=artifacts, models_dir=tmp_path / "models",
        deliver=outcomes.append, trainer=trainer,
    )
    runner.outcomes = outcomes
    return runner


def test_launch_trains_on_the_photos_stores_the_output_and_the_registry_serves_it(
    tmp_path: Path, stores: Any
) -> None:
    trainer = Trainer()
    runner = launcher(tmp_path, stores, trainer)
    runner.launch(spec())

    assert runner.outcomes == [TrainingFinished(REF, artifacts=PREFIX, metadata={"steps": 1})]
    argv = trainer.argvs[0]
    assert argv[:2] == ["--max_train_steps", "1"]
    assert argv[argv.index("--pretrained_model_name_or_path") + 1] == str(
        tmp_path / "models" / "avatar"
    )
    artifacts = stores[1]
    assert artifacts.get(PREFIX + "pytorch_lora_weights.safetensors") == b"lora"
    assert not artifacts.exists("avatars/t1/avt_1.tar.gz/avatar.json")  # the core registers

    # When the core's avatar step registers the output
    registry = LocalAvatarRegistry(artifacts=artifacts, mme_prefix="avatars/")
    registered = registry.register(tenant="t1", avatar_id="avt_1", artifacts=PREFIX)

    assert registered.target_model == "t1/avt_1.tar.gz"
    assert registered.metadata == {"steps": 1}
    for prefix in (PREFIX, "avatars/t1/avt_1.tar.gz/"):
        assert artifacts.get(prefix + "pytorch_lora_weights.safetensors") == b"lora"
        assert artifacts.content_type(prefix + "avatar.json") == "application/json"
    registry.unregister(tenant="t1", avatar_id="avt_1")
    assert not artifacts.exists("avatars/t1/avt_1.tar.gz/avatar.json")


@pytest.mark.parametrize(
    ("changes", "error", "match"),
    [
        ({"kind": "blip2"}, DependencyUnavailable, "blip2 training is not available"),
        ({"input_prefix": "t1/avatars/none/"}, ModelInputRejected, "no training photos"),
        ({"input_prefix": "t1/../../etc/"}, NotFound, "invalid object key"),
        ({"hyperparameters": {"output_dir": "/tmp"}}, ModelInvocationFailed, "set by the launcher"),
    ],
    ids=["other-kind", "no-photos", "traversal", "reserved-hyperparameter"],
)
def test_launch_refuses(
    tmp_path: Path, stores: Any, changes: dict[str, Any], error: type[Exception], match: str
) -> None:
    trainer = Trainer()
    with pytest.raises(error, match=match):
        launcher(tmp_path, stores, trainer).launch(spec(**changes))
    assert not (tmp_path / "artifacts" / "t1").exists()


def test_no_base_model_is_unavailable(tmp_path: Path, stores: Any) -> None:
    with pytest.raises(DependencyUnavailable, match="no avatar base model"):
        launcher(tmp_path, stores, Trainer(), with_base=False).launch(spec())


def test_a_run_without_adapter_weights_fails_and_stores_nothing(
    tmp_path: Path, stores: Any
) -> None:
    runner = launcher(tmp_path, stores, Trainer(adapter=False))
    runner.launch(spec())
    [failed] = runner.outcomes
    assert isinstance(failed, JobFailed) and failed.job == REF
    assert failed.error.type == ModelInvocationFailed.slug
    assert "no adapter weights" in failed.error.detail
    assert list((tmp_path / "artifacts").rglob("avatar.json")) == []
    # Nor can the registry serve a prefix without adapter weights
    with pytest.raises(ModelInvocationFailed, match="no adapter weights"):
        LocalAvatarRegistry(artifacts=stores[1], mme_prefix="avatars/").register(
            tenant="t1", avatar_id="avt_1", artifacts=PREFIX
        )


def test_stop_before_launch_refuses_to_train(tmp_path: Path, stores: Any) -> None:
    trainer = Trainer()
    runner = launcher(tmp_path, stores, trainer)
    runner.stop(spec())
    with pytest.raises(Conflict, match="stopped"):
        runner.launch(spec())
    assert trainer.argvs == [] and runner.outcomes == []
    # The stop is spent: a later launch of the same id (a retry) runs
    runner.launch(spec())
    assert runner.outcomes == [TrainingFinished(REF, artifacts=PREFIX, metadata={"steps": 1})]


def test_train_py_argument_errors_become_model_errors() -> None:
    with pytest.raises(ModelInvocationFailed, match="invalid training arguments"):
        train_in_process(["--max_train_steps", "many"])


def test_scratch_folders_stay_under_the_data_dir_and_are_swept_at_start(
    tmp_path: Path, stores: Any
) -> None:
    """A crash mid-training leaves the subject's photos in the scratch folder: it lives
    under the given directory (the wiring's data dir), not /tmp, and the next start
    removes what is left there."""
    scratch = tmp_path / "data" / "training-scratch"
    crashed = scratch / "vitrine-training-crashed" / "instance"
    crashed.mkdir(parents=True)
    (crashed / "photo-00.jpg").write_bytes(b"a subject's face")
    (scratch / "stray-file").write_bytes(b"x")
    seen: list[str] = []

    class Watching(Trainer):
        def __call__(self, argv: list[str]) -> dict[str, Any]:
            seen.append(argv[argv.index("--instance_data_dir") + 1])
            return super().__call__(argv)

    (tmp_path / "models" / "avatar").mkdir(parents=True)
    (tmp_path / "models" / "avatar" / "model_index.json").write_text("{}")
    uploads, artifacts = stores
    outcomes: list[Any] = []
    runner = LocalTrainingLauncher(
        uploads=uploads, artifacts=artifacts, models_dir=tmp_path / "models",
        deliver=outcomes.append, trainer=Watching(), scratch_dir=scratch,
    )  # fmt: skip

    assert list(scratch.iterdir()) == []  # swept on construction
    assert scratch.stat().st_mode & 0o077 == 0
    runner.launch(spec())
    assert outcomes == [TrainingFinished(REF, artifacts=PREFIX, metadata={"steps": 1})]
    (instance_dir,) = seen
    assert instance_dir.startswith(str(scratch) + "/")
    assert list(scratch.iterdir()) == []  # a finished run removes its own folder


def test_the_local_wiring_puts_training_scratch_under_the_data_dir(tmp_path: Path) -> None:
    from api_support import make_settings

    from api.adapters.local.wiring import build

    settings = make_settings(tmp_path)
    leftover = settings.data_dir / "training-scratch" / "vitrine-training-old"
    leftover.mkdir(parents=True)
    built = build(settings)
    try:
        assert not leftover.exists()
        assert (settings.data_dir / "training-scratch").is_dir()
    finally:
        built.close()


def test_the_steps_train_py_writes_are_reported_as_the_jobs_progress(
    tmp_path: Path, stores: Any
) -> None:
    # Given a trainer that, like train.py, keeps --progress_file up to date
    from pathlib import Path as RealPath

    from api.adapters.local.progress import MemoryProgressBoard
    from api.adapters.local.training import PROGRESS_INTERVAL_S
    from sagemaker_containers.avatar.train import write_progress

    board = MemoryProgressBoard()
    seen: list[tuple[int | None, int | None, str]] = []

    class Stepping(Trainer):
        def __call__(self, argv: list[str]) -> dict[str, Any]:
            steps = RealPath(argv[argv.index("--progress_file") + 1])
            write_progress(steps, 3, 8)
            deadline = time.monotonic() + 10 * PROGRESS_INTERVAL_S
            while board.get("avt_1") is None and time.monotonic() < deadline:
                time.sleep(0.05)
            latest = board.get("avt_1")
            if latest is not None:
                seen.append((latest.done, latest.total, latest.stage))
            return super().__call__(argv)

    (tmp_path / "models" / "avatar").mkdir(parents=True)
    (tmp_path / "models" / "avatar" / "model_index.json").write_text("{}")
    uploads, artifacts = stores
    runner = LocalTrainingLauncher(
        uploads=uploads, artifacts=artifacts, models_dir=tmp_path / "models",
        deliver=lambda _: None, trainer=Stepping(), progress=board,
    )
    # When it trains
    runner.launch(spec())
    # Then the job's progress showed its steps while it ran
    assert seen == [(3, 8, "training")]


def test_a_hyperparameter_may_not_redirect_the_progress_file(
    tmp_path: Path, stores: Any
) -> None:
    runner = launcher(tmp_path, stores, Trainer())
    with pytest.raises(ModelInvocationFailed, match="progress_file"):
        runner.launch(spec(hyperparameters={"progress_file": "/etc/x"}))
