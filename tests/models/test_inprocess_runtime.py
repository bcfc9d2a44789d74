"""The in-process ModelRuntime: real handlers on tiny models, fakes for failures."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from typing import TYPE_CHECKING

import pytest
from tiny_helpers import decode_png, garment_image, png_b64

from api.adapters.local.inprocess import InProcessRuntime
from api.adapters.local.progress import MemoryProgressBoard
from api.domain.errors import DependencyUnavailable, ModelInputRejected, ModelInvocationFailed
from api.domain.jobs import JobKind, JobProgress
from api.domain.outcomes import JobFailed, JobRef, OutputReady

if TYPE_CHECKING:
    from pathlib import Path

# A handler that follows the contract and misbehaves on request: "boom" in the payload
# crashes predict_fn, "bad" makes input_fn refuse, "list" returns a JSON array.
FAKE_HANDLER = '''
import json
from pathlib import Path

def model_fn(model_dir):
    marker = Path(model_dir) / "loads.txt"
    count = int(marker.read_text()) + 1 if marker.exists() else 1
    marker.write_text(str(count))
    if (Path(model_dir) / "broken").exists():
        raise RuntimeError("weights are corrupt")
    return {"dir": model_dir, "loads": count}

def input_fn(body, content_type):
    data = json.loads(body)
    if data.get("bad"):
        raise ValueError("'bad' is not allowed here")
    return data

def predict_fn(data, model, context=None):
    if data.get("boom"):
        raise RuntimeError("CUDA out of memory (simulated)")
    target = context.get_request_header(0, "X-Amzn-SageMaker-Target-Model") if context else None
    return {"echo": data, "loads": model["loads"], **({"target_model": target} if target else {})}

def output_fn(prediction, accept):
    if prediction["echo"].get("list"):
        return "[1, 2]"
    return json.dumps(prediction)
'''


@pytest.fixture
def fake_setup(tmp_path: Path) -> tuple[Path, Path]:
    containers, models = tmp_path / "containers", tmp_path / "models"
    for name in ("fake", "avatar", "nomodel"):
        code = containers / name / "code"
        code.mkdir(parents=True)
        (code / "inference.py").write_text(textwrap.dedent(FAKE_HANDLER))
    for name in ("fake", "avatar", "nohandler"):
        (models / name).mkdir(parents=True)
    return containers, models


def test_invokes_the_real_clipseg_handler(tiny_models_dir: Path) -> None:
    runtime = InProcessRuntime(tiny_models_dir)
    output = runtime.invoke(
        "clipseg", {"image": png_b64(garment_image(30, 20)), "prompts": ["a", "dress"]}
    )
    assert (output["width"], output["height"]) == (30, 20)
    assert [decode_png(m["mask"]).size for m in output["masks"]] == [(30, 20), (30, 20)]
    # The very module the inference image's SAGEMAKER_PROGRAM names, not a copy of it.
    assert "sagemaker_containers.clipseg.code.inference" in sys.modules
    assert "vitrine_handler_clipseg" not in sys.modules


def test_submit_runs_at_once_and_delivers_the_output(tiny_models_dir: Path) -> None:
    delivered: list[object] = []
    runtime = InProcessRuntime(tiny_models_dir, deliver=delivered.append)
    job = JobRef("t1", "job_1", kind=JobKind.TRY_ON)
    mask = garment_image(30, 20).convert("L")
    submission = runtime.submit_async("inpainting", {
        "image": png_b64(garment_image(30, 20)), "mask": png_b64(mask), "prompt": "a dress",
        "steps": 1, "seed": 3, "width": 64, "height": 64,
    }, job=job)
    assert submission.inference_id == "job_1"
    [ready] = delivered
    assert isinstance(ready, OutputReady) and ready.job == job
    assert (ready.output["seed"], len(ready.output["images"])) == (3, 1)
    # A request the handler refuses is delivered as the job's failure, with its reason
    runtime.submit_async("clipseg", {"image": "!!", "prompts": ["x"]}, job=job)
    failed = delivered[-1]
    assert isinstance(failed, JobFailed) and failed.error.type == "model-input-rejected"


def test_an_async_job_reports_each_denoising_step_to_the_progress_board(
    tiny_models_dir: Path,
) -> None:
    # Given a runtime with a progress board (the local profile's)
    board = MemoryProgressBoard()
    seen: list[tuple[int | None, int | None]] = []
    real_report = board.report

    def report(job_id: str, progress: JobProgress) -> None:
        seen.append((progress.done, progress.total))
        real_report(job_id, progress)

    board.report = report  # type: ignore[method-assign]
    runtime = InProcessRuntime(tiny_models_dir, deliver=lambda _: None, progress=board)
    job = JobRef("t1", "job_p", kind=JobKind.TRY_ON)
    mask = garment_image(30, 20).convert("L")
    # When an inpainting job runs 3 steps
    runtime.submit_async("inpainting", {
        "image": png_b64(garment_image(30, 20)), "mask": png_b64(mask), "prompt": "a dress",
        "steps": 3, "seed": 3, "width": 64, "height": 64,
    }, job=job)
    # Then each step was reported, in order, as steps of the job
    assert seen == [(1, 3), (2, 3), (3, 3)]
    latest = board.get("job_p")
    assert latest is not None and (latest.stage, latest.unit) == ("running", "steps")


def test_bad_input_becomes_model_input_rejected_with_its_message(tiny_models_dir: Path) -> None:
    runtime = InProcessRuntime(tiny_models_dir)
    with pytest.raises(ModelInputRejected, match="at most 8"):
        runtime.invoke("clipseg", {"image": png_b64(garment_image()), "prompts": ["x"] * 9})
    with pytest.raises(ModelInputRejected, match="'image' is not valid base64"):
        runtime.invoke("blip2", {"image": "!!", "questions": {"a": "What?"}})


def test_missing_model_dir_is_dependency_unavailable(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    runtime = InProcessRuntime(tmp_path / "models")
    with pytest.raises(DependencyUnavailable) as caught:
        runtime.invoke("clipseg", {})
    # Clients learn which model, never where it lives; operators read the path in the log.
    assert caught.value.detail == "model 'clipseg' is not installed on this server"
    assert str(tmp_path) in caplog.text
    assert "make models" in caplog.text and "VITRINE_MODELS_DIR" in caplog.text


def test_missing_handler_is_dependency_unavailable(fake_setup: tuple[Path, Path]) -> None:
    containers, models = fake_setup
    with pytest.raises(DependencyUnavailable, match="no handler for model 'nohandler'") as caught:
        InProcessRuntime(models, containers).invoke("nohandler", {})
    assert "/" not in caught.value.detail  # no absolute path for clients


@pytest.mark.parametrize("name", ["../etc", "Clipseg", "", "a/b", "x" * 65])
def test_model_names_cannot_escape_the_models_dir(tmp_path: Path, name: str) -> None:
    with pytest.raises(ModelInputRejected, match="unknown model"):
        InProcessRuntime(tmp_path).invoke(name, {})


def test_handler_crash_is_model_invocation_failed(
    fake_setup: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    containers, models = fake_setup
    runtime = InProcessRuntime(models, containers)
    with pytest.raises(ModelInvocationFailed) as caught:
        runtime.invoke("fake", {"boom": True})
    # No exception class name for clients (it names internals); the log has it all.
    assert caught.value.detail == "model 'fake' failed"
    assert "RuntimeError" in caplog.text
    # The traceback is logged for operators; the message to clients stays generic.
    assert "CUDA out of memory" in caplog.text
    with pytest.raises(ModelInputRejected, match="'bad' is not allowed here"):
        runtime.invoke("fake", {"bad": True})
    with pytest.raises(ModelInvocationFailed, match="no valid response") as caught:
        runtime.invoke("fake", {"list": True})
    assert "list" not in caught.value.detail and "not a JSON object" in caplog.text


def test_failed_load_is_retried_on_the_next_call(fake_setup: tuple[Path, Path]) -> None:
    containers, models = fake_setup
    (models / "fake" / "broken").touch()
    runtime = InProcessRuntime(models, containers)
    with pytest.raises(ModelInvocationFailed) as caught:
        runtime.invoke("fake", {})
    assert caught.value.detail == "model 'fake' failed to load"
    (models / "fake" / "broken").unlink()
    assert runtime.invoke("fake", {"x": 1}) == {"echo": {"x": 1}, "loads": 2}


def test_model_is_loaded_once_under_concurrent_first_calls(fake_setup: tuple[Path, Path]) -> None:
    containers, models = fake_setup
    runtime = InProcessRuntime(models, containers)
    results: list[int] = []
    start = threading.Barrier(8)

    def call() -> None:
        start.wait()
        results.append(runtime.invoke("fake", {})["loads"])

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [1] * 8
    assert (models / "fake" / "loads.txt").read_text() == "1"


def test_target_model_is_passed_to_the_avatar_handler_only(fake_setup: tuple[Path, Path]) -> None:
    containers, models = fake_setup
    runtime = InProcessRuntime(models, containers)
    output = runtime.invoke("avatar", {"prompt": "p"}, target_model="t1/av_1.tar.gz")
    assert output["target_model"] == "t1/av_1.tar.gz"
    assert "target_model" not in runtime.invoke("avatar", {"prompt": "p"})
    with pytest.raises(ModelInputRejected, match="only applies to the 'avatar'"):
        runtime.invoke("fake", {}, target_model="t1/av_1.tar.gz")


def test_handlers_with_the_same_file_name_do_not_collide(fake_setup: tuple[Path, Path]) -> None:
    containers, models = fake_setup
    (containers / "avatar" / "code" / "inference.py").write_text(
        textwrap.dedent(FAKE_HANDLER).replace('"loads": model["loads"]', '"loads": -1')
    )
    runtime = InProcessRuntime(models, containers)
    assert runtime.invoke("fake", {})["loads"] == 1
    assert runtime.invoke("avatar", {})["loads"] == -1


def test_importing_the_runtime_does_not_import_torch() -> None:
    code = ("import sys, api.adapters.local.inprocess; "
            "heavy = [m for m in ('torch', 'transformers', 'diffusers', 'numpy') "
            "if m in sys.modules]; print(heavy); sys.exit(1 if heavy else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
