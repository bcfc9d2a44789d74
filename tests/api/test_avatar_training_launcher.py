"""``LocalTrainingLauncher`` on its own: inputs, outputs, refusals and ``stop``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

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


def launcher(
    tmp_path: Path,
    stores: tuple[FilesystemObjectStore, FilesystemObjectStore],
    trainer: Trainer,
    *,
    with_base: bool = True,
) -> LocalTrainingLauncher:
    if with_base:
        (tmp_path / "models" / "avatar").mkdir(parents=True)
        (tmp_path / "models" / "avatar" / "model_index.json").write_text("{}")
    uploads, artifacts = stores
    return LocalTrainingLauncher(
        uploads=uploads, artifacts=artifacts, models_dir=tmp_path / "models",
        mme_prefix="avatars/", trainer=trainer,
    )


def test_launch_trains_on_the_photos_and_stores_both_copies(tmp_path: Path, stores: Any) -> None:
    trainer = Trainer()
    metadata = launcher(tmp_path, stores, trainer).launch(spec())

    assert metadata == {"steps": 1}
    argv = trainer.argvs[0]
    assert argv[:2] == ["--max_train_steps", "1"]
    assert argv[argv.index("--pretrained_model_name_or_path") + 1] == str(
        tmp_path / "models" / "avatar"
    )
    artifacts = stores[1]
    for prefix in (PREFIX, "avatars/t1/avt_1.tar.gz/"):
        assert artifacts.get(prefix + "pytorch_lora_weights.safetensors") == b"lora"
        assert artifacts.content_type(prefix + "avatar.json") == "application/json"


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
    with pytest.raises(ModelInvocationFailed, match="no adapter weights"):
        launcher(tmp_path, stores, Trainer(adapter=False)).launch(spec())
    assert list((tmp_path / "artifacts").rglob("avatar.json")) == []


def test_stop_before_launch_refuses_to_train(tmp_path: Path, stores: Any) -> None:
    trainer = Trainer()
    runner = launcher(tmp_path, stores, trainer)
    runner.stop(spec())
    with pytest.raises(Conflict, match="stopped"):
        runner.launch(spec())
    assert trainer.argvs == []
    # The stop is spent: a later launch of the same id (a retry) runs
    assert runner.launch(spec()) == {"steps": 1}


def test_train_py_argument_errors_become_model_errors() -> None:
    with pytest.raises(ModelInvocationFailed, match="invalid training arguments"):
        train_in_process(["--max_train_steps", "many"])
