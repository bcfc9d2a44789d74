"""``train.py`` (avatar and BLIP-2) run as the training image runs it: by the real
SageMaker training toolkit (``sagemaker-training``, the ``train`` console script SageMaker
starts in the PyTorch training DLC), from the very request ``SageMakerTrainingLauncher``
sends to CreateTrainingJob.

The container is emulated in a temp dir: ``SAGEMAKER_BASE_DIR`` roots the toolkit's
``/opt/ml`` there (``input/config/{hyperparameters,inputdataconfig,resourceconfig}.json``,
``input/data/<channel>``, ``model``, ``output``), the request's
``sagemaker_submit_directory`` (``/opt/vitrine/sagemaker_containers`` in the image) points
at this repo's ``sagemaker_containers``, and ``PYTHONPATH`` at the repo root (the image's
``/opt/vitrine``). The toolkit copies the code to ``/opt/ml/code``, runs
``sagemaker_program`` with the other hyperparameters as ``--name value``, and the job's
outcome is what SageMaker would read: the model dir, and ``output/failure``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
from avatar_support import avatar_base_dir, write_photos
from PIL import Image

from api.adapters.aws.sagemaker_training import SageMakerTrainingLauncher
from api.domain.training_recipes import CODE_DIR
from api.ports import TrainingSpec
from api.settings import Settings
from sagemaker_containers.avatar import archive

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]
TOOLKIT = Path(sys.executable).parent / "train"  # sagemaker-training's console script
TIMEOUT_S = 300


@pytest.fixture(scope="module")
def avatar_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return avatar_base_dir(tmp_path_factory)


def launcher() -> SageMakerTrainingLauncher:
    settings = Settings(
        profile="aws", aws_region="eu-west-1", uploads_bucket="uploads", results_bucket="r",
        models_bucket="models", jobs_table="jobs", api_keys="",
        webhook_secret="test-webhook-secret-0123456789abcdef",
        jobs_queue_url="https://sqs.eu-west-1.amazonaws.com/123456789012/jobs",
        training_image_uri="123456789012.dkr.ecr.eu-west-1.amazonaws.com/vitrine:training",
        training_role_arn="arn:aws:iam::123456789012:role/training",
        avatar_base_model_uri="s3://models/base-models/avatar/",
        blip2_base_model_uri="s3://models/base-models/blip2/",
    )
    return SageMakerTrainingLauncher(settings=settings)


def request_for(kind: str, hyperparameters: dict[str, str]) -> dict[str, Any]:
    spec = TrainingSpec(kind=kind, job_id="job_1", tenant="t1", input_prefix="t1/in/",
                        output_prefix="t1/out/", hyperparameters=hyperparameters)
    return launcher().request(spec)


def run_training_job(root: Path, request: dict[str, Any],
                     channels: dict[str, Path]) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Lay out /opt/ml under ``root`` as SageMaker does for ``request``; run the toolkit."""
    if shutil.which(str(TOOLKIT)) is None:
        pytest.fail("the SageMaker training toolkit is missing: pip install -e '.[dev]'")
    ml = root / "opt" / "ml"
    config = ml / "input" / "config"
    config.mkdir(parents=True)
    hyperparameters = dict(request["HyperParameters"])
    # The image's code dir is this repo's sagemaker_containers (PYTHONPATH: the repo root).
    assert hyperparameters["sagemaker_submit_directory"] == CODE_DIR
    hyperparameters["sagemaker_submit_directory"] = str(REPO_ROOT / "sagemaker_containers")
    (config / "hyperparameters.json").write_text(json.dumps(hyperparameters))
    requested = [c["ChannelName"] for c in request["InputDataConfig"]]
    (config / "inputdataconfig.json").write_text(json.dumps({
        name: {"TrainingInputMode": "File", "S3DistributionType": "FullyReplicated",
               "RecordWrapperType": "None"} for name in [*requested, *channels]}))
    # SageMaker names the host algo-1 and makes it resolvable; the toolkit waits until
    # every host resolves, so here the one host is one this machine resolves.
    (config / "resourceconfig.json").write_text(json.dumps({
        "current_host": "localhost", "hosts": ["localhost"], "network_interface_name": "eth0"}))
    for name, source in channels.items():  # what SageMaker downloads from S3
        shutil.copytree(source, ml / "input" / "data" / name)
    (ml / "model").mkdir()
    (ml / "output" / "data").mkdir(parents=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith("SM_")}
    env.update(SAGEMAKER_BASE_DIR=str(ml), PYTHONPATH=str(REPO_ROOT), OMP_NUM_THREADS="1",
               VITRINE_TORCH_THREADS="1", AWS_DEFAULT_REGION="eu-west-1")
    result = subprocess.run([str(TOOLKIT)], cwd=root, env=env, capture_output=True, text=True,
                            timeout=TIMEOUT_S, check=False)
    return result, ml


def _tail(result: subprocess.CompletedProcess[str]) -> str:
    return (result.stdout + result.stderr)[-3000:]


def _tar_of(directory: Path) -> bytes:
    """The model dir as SageMaker uploads it: model.tar.gz with its files at the root."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as packed:
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                packed.add(path, arcname=path.relative_to(directory).as_posix())
    return buffer.getvalue()


def test_avatar_training_job_runs_under_the_toolkit(avatar_base: Path, tmp_path: Path) -> None:
    # Given the request the launcher sends, with a tiny configuration
    request = request_for("avatar", {
        "resolution": "32", "max_train_steps": "2", "learning_rate": "0.05",
        "adapter_dtype": "fp32", "gradient_checkpointing": "true", "seed": "3"})
    assert request["HyperParameters"]["sagemaker_program"] == "avatar/train.py"
    photos = write_photos(tmp_path / "photos", 10)

    # When the toolkit runs the job with the photos and the base as channels
    result, ml = run_training_job(tmp_path / "job", request,
                                  {"instance": photos, "base": avatar_base})

    # Then it succeeded, and the model dir is an adapter the MME archive accepts
    assert result.returncode == 0, _tail(result)
    assert (ml / "output" / "success").is_file()
    assert not (ml / "output" / "failure").exists()
    assert (ml / "code" / "avatar" / "train.py").is_file()  # the toolkit's copy of the code
    packed = archive.pack_training_output(_tar_of(ml / "model"), tenant="t1", avatar_id="a1")
    assert packed.metadata["steps"] == 2 and packed.metadata["resolution"] == 32
    # hyperparameters reached train.py as arguments (seed, and the boolean flag)
    assert packed.metadata["seed"] == 3


def test_a_rejected_photo_set_is_the_jobs_failure_reason(
    avatar_base: Path, tmp_path: Path
) -> None:
    # Given too few photos for the default minimum (10)
    request = request_for("avatar", {"resolution": "32", "max_train_steps": "2"})
    photos = write_photos(tmp_path / "photos", 3)

    result, ml = run_training_job(tmp_path / "job", request,
                                  {"instance": photos, "base": avatar_base})

    # Then the job fails, and FailureReason is train.py's own message, not a traceback
    assert result.returncode != 0, _tail(result)
    reason = (ml / "output" / "failure").read_text()
    assert "photo" in reason.lower() and "Traceback" not in reason, reason
    assert len(reason) <= 1024
    assert not (ml / "model" / archive.ADAPTER_WEIGHTS).exists()


def test_blip2_training_job_runs_under_the_toolkit(tmp_path: Path) -> None:
    from model_artifacts.tiny.blip2 import build

    base = build(tmp_path / "models" / "blip2")
    data = tmp_path / "train"
    (data / "images").mkdir(parents=True)
    rows = []
    for index, colour in enumerate(((200, 20, 20), (20, 20, 200), (20, 200, 20),
                                    (5, 5, 5))):
        name = f"images/item-{index}.png"
        Image.new("RGB", (40, 48), colour).save(data / name)
        rows.append({"image_path": name, "question": "What is the color of this garment?",
                     "answer": ("red", "blue", "green", "black")[index], "attribute": "color"})
    with (data / "train.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    request = request_for("blip2", {
        "epochs": "1", "batch_size": "2", "max_steps": "2", "validation_fraction": "0.25",
        "rank": "2", "save_dtype": "fp32"})
    assert request["HyperParameters"]["sagemaker_program"] == "blip2/train.py"
    # The data channel, and the base (VITRINE_BLIP2_BASE_MODEL_URI) as "base"
    assert [c["ChannelName"] for c in request["InputDataConfig"]] == ["train", "base"]

    result, ml = run_training_job(tmp_path / "job", request, {"train": data, "base": base})

    assert result.returncode == 0, _tail(result)
    assert (ml / "output" / "success").is_file()
    # A LoRA adapter in peft's layout (merged weights are the --export merged option)
    saved = {path.name for path in (ml / "model").iterdir()}
    assert {"adapter_config.json", "adapter_model.safetensors", "training.json"} <= saved
