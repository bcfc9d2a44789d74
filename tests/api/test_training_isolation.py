"""Local trainings run in a child process, off the job worker: ``DELETE`` of a training
avatar ends that process (its CPU is freed), and a long training never holds another
tenant's job.

The launcher is the real one (``train.py``'s place taken by a slow stand-in script, run
through the same child entry point); the model runtime is the fake.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from api_support import A, B, b64, make_settings, png, wait_for_job
from avatar_api_support import (
    AVATARS,
    avatar_runtime,  # noqa: F401 (fixture: runtime)
    create,
)

from api.adapters.local.fs import FilesystemObjectStore
from api.adapters.local.signing import UrlSigner
from api.adapters.local.training import LocalTrainingLauncher
from api.domain.outcomes import JobFailed, TrainingFinished
from api.ports import TrainingSpec

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from api.settings import Settings

# Stands in for train.py: records its pid, then trains "forever" (or, with --max_train_steps
# 1, writes what train.py writes and exits).
SLOW_TRAINER = """
import json, os, pathlib, sys, time
args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
pathlib.Path({pids!r}).open("a").write(f"{{os.getpid()}}\\n")
if args["--max_train_steps"] != "1":
    time.sleep(120)
out = pathlib.Path(args["--output_dir"])
out.mkdir(parents=True)
(out / "pytorch_lora_weights.safetensors").write_bytes(b"lora")
(out / "avatar.json").write_text(json.dumps({{"steps": 1, "parent": os.getppid()}}))
"""


def slow_trainer(tmp_path: Path) -> tuple[str, Path]:
    pids = tmp_path / "trainer.pids"
    script = tmp_path / "slow_train.py"
    script.write_text(SLOW_TRAINER.format(pids=str(pids)))
    return str(script), pids


def started_pid(pids: Path, count: int = 1, timeout: float = 30) -> int:
    """The pid of the ``count``-th trainer started, once it has started."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = pids.read_text().split() if pids.exists() else []
        if len(lines) >= count:
            return int(lines[count - 1])
        time.sleep(0.02)
    raise AssertionError("the trainer never started")


def gone(pid: int, timeout: float = 10) -> bool:
    """Whether process ``pid`` has ended (and been reaped) within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.02)
    return False


def base_model(models_dir: Path) -> None:
    (models_dir / "avatar").mkdir(parents=True, exist_ok=True)
    (models_dir / "avatar" / "model_index.json").write_text("{}")


# --- the launcher on its own ----------------------------------------------------------
def launcher_with(tmp_path: Path, program: str, outcomes: list[Any]) -> LocalTrainingLauncher:
    base_model(tmp_path / "models")
    signer = UrlSigner("s")
    uploads = FilesystemObjectStore("uploads", tmp_path / "uploads", signer, "http://x")
    artifacts = FilesystemObjectStore("artifacts", tmp_path / "artifacts", signer, "http://x")
    uploads.put("t1/avatars/avt_1/photo-00.jpg", b"jpeg", content_type="image/jpeg")
    return LocalTrainingLauncher(
        uploads=uploads, artifacts=artifacts, models_dir=tmp_path / "models",
        deliver=outcomes.append, program=program, threads=1,
        scratch_dir=tmp_path / "scratch",
    )  # fmt: skip


def spec(steps: str) -> TrainingSpec:
    return TrainingSpec(
        kind="avatar", job_id="avt_1", tenant="t1", input_prefix="t1/avatars/avt_1/",
        output_prefix="t1/avatars/avt_1/", hyperparameters={"max_train_steps": steps},
    )  # fmt: skip


def test_a_child_trains_and_its_output_is_delivered(tmp_path: Path) -> None:
    program, pids = slow_trainer(tmp_path)
    outcomes: list[Any] = []
    launcher = launcher_with(tmp_path, program, outcomes)
    try:
        launcher.launch(spec("1"))
        pid = started_pid(pids)
        assert gone(pid)
        deadline = time.monotonic() + 10
        while not outcomes and time.monotonic() < deadline:
            time.sleep(0.02)
        [done] = outcomes
        assert isinstance(done, TrainingFinished)
        # train.py's metadata, from a process of its own (a child of this one)
        assert done.metadata["steps"] == 1 and done.metadata["parent"] == os.getpid() != pid
        assert list((tmp_path / "scratch").iterdir()) == []
    finally:
        launcher.close()


def test_relative_folders_reach_the_child_as_absolute_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `make serve`'s defaults are relative (models/, .vitrine-data/) and the child runs in
    # its scratch folder: every path it is given must still name the server's folders.
    program, pids = slow_trainer(tmp_path)
    base_model(tmp_path / "models")
    monkeypatch.chdir(tmp_path)
    signer = UrlSigner("s")
    outcomes: list[Any] = []
    launcher = LocalTrainingLauncher(
        uploads=FilesystemObjectStore("uploads", Path("uploads"), signer, "http://x"),
        artifacts=FilesystemObjectStore("artifacts", Path("artifacts"), signer, "http://x"),
        models_dir=Path("models"), deliver=outcomes.append, program=program, threads=1,
        scratch_dir=Path("scratch"),
    )  # fmt: skip
    launcher._uploads.put("t1/avatars/avt_1/photo-00.jpg", b"jpeg", content_type="image/jpeg")
    try:
        launcher.launch(spec("1"))
        assert gone(started_pid(pids))
        deadline = time.monotonic() + 10
        while not outcomes and time.monotonic() < deadline:
            time.sleep(0.02)
        [done] = outcomes
        assert isinstance(done, TrainingFinished), done
        stored = tmp_path / "artifacts" / "t1" / "avatars" / "avt_1"
        assert (stored / "pytorch_lora_weights.safetensors").read_bytes() == b"lora"
    finally:
        launcher.close()


def test_stop_ends_the_child_and_nothing_is_delivered_or_stored(tmp_path: Path) -> None:
    program, pids = slow_trainer(tmp_path)
    outcomes: list[Any] = []
    launcher = launcher_with(tmp_path, program, outcomes)
    try:
        # Given a training running in its child (launch returned at once)
        started = time.monotonic()
        launcher.launch(spec("1000"))
        assert time.monotonic() - started < 5
        pid = started_pid(pids)

        # When it is stopped (its avatar deleted)
        launcher.stop(spec("1000"))

        # Then the process is gone within seconds, and the run stores nothing
        assert gone(pid, timeout=10)
        deadline = time.monotonic() + 10
        while not outcomes and time.monotonic() < deadline:
            time.sleep(0.02)
        assert [type(o) for o in outcomes] == [JobFailed]
        assert not (tmp_path / "artifacts" / "t1").exists()
    finally:
        launcher.close()


def test_close_ends_running_children(tmp_path: Path) -> None:
    program, pids = slow_trainer(tmp_path)
    outcomes: list[Any] = []
    launcher = launcher_with(tmp_path, program, outcomes)
    launcher.launch(spec("1000"))
    pid = started_pid(pids)
    launcher.close()
    assert gone(pid)
    assert outcomes == []  # the job stays running: recovered at the next start


def test_the_child_dies_with_its_parent(tmp_path: Path) -> None:
    """A server killed with -9 cannot stop its trainers: the kernel does
    (``training_child.py``'s parent-death signal)."""
    import subprocess

    program, pids = slow_trainer(tmp_path)
    # A stand-in server: starts the child entry point, then is killed.
    server = subprocess.Popen([
        sys.executable, "-c",
        "import os, subprocess, sys, time;"
        "subprocess.Popen([sys.executable, '-m', 'api.adapters.local.training_child',"
        f" str(os.getpid()), {program!r}, '--max_train_steps', '1000']); time.sleep(120)",
    ])  # fmt: skip
    try:
        pid = started_pid(pids)
        server.kill()
        server.wait()
        assert gone(pid), "the trainer outlived its server"
    finally:
        server.kill()


# --- through the API ------------------------------------------------------------------
@pytest.fixture(name="settings")
def one_worker_settings(tmp_path: Path) -> Settings:
    """One job worker thread: a training that held it would hold every other job."""
    return make_settings(
        tmp_path, worker_threads=1, avatar_min_photo_side=32, avatar_photo_max_side=64
    )


@pytest.fixture(name="training")
def slow_training(tmp_path: Path, settings: Settings) -> Any:
    base_model(settings.models_dir)
    program, _ = slow_trainer(tmp_path)

    def factory(uploads: Any, artifacts: Any, deliver: Any) -> LocalTrainingLauncher:
        return LocalTrainingLauncher(
            uploads=uploads, artifacts=artifacts, models_dir=settings.models_dir,
            deliver=deliver, program=program, threads=settings.training_threads,
            scratch_dir=settings.data_dir / "training-scratch",
        )  # fmt: skip

    return factory


def test_a_long_training_holds_no_other_tenants_job_and_delete_frees_its_cpu(
    client: TestClient, tmp_path: Path
) -> None:
    # Given tenant A's avatar training, running (its trainer never ends on its own)
    created = create(client, headers=A)
    assert created.status_code == 202, created.text
    avatar_id = created.json()["id"]
    pid = started_pid(tmp_path / "trainer.pids")
    assert client.get(f"/v1/jobs/{avatar_id}", headers=A).json()["status"] == "running"

    # When tenant B asks for a try-on (a job on the same single worker thread)
    try_on = client.post(
        "/v1/try-ons",
        json={"image": {"base64": b64(png(64, 64))}, "garment_prompt": "a red shirt",
              "mask_prompt": "shirt", "n": 1, "seed": 1},
        headers=B,
    )  # fmt: skip
    assert try_on.status_code == 202, try_on.text

    # Then it completes while the training still runs
    assert wait_for_job(client, try_on.headers["location"], B)["status"] == "succeeded"
    os.kill(pid, 0)  # still training

    # When A deletes the avatar
    deleted = client.delete(f"{AVATARS}/{avatar_id}", headers=A)

    # Then the trainer's process is gone within seconds (its CPU freed), and so is the avatar
    assert deleted.status_code == 204, deleted.text
    assert gone(pid, timeout=10)
    assert client.get(f"{AVATARS}/{avatar_id}", headers=A).status_code == 404


@pytest.mark.parametrize(
    ("exit_code", "slug", "detail"),
    [(3, "model-input-rejected", "photo set rejected: 2 photos too small"),
     (2, "model-error", "avatar training is misconfigured"),
     (1, "model-error", "avatar training failed")],
)  # fmt: skip
def test_the_childs_exit_status_is_the_jobs_error(
    tmp_path: Path, exit_code: int, slug: str, detail: str
) -> None:
    # train.py's CLI: 3 with its reason in the failure file, 2 for a bad configuration
    script = tmp_path / "failing_train.py"
    script.write_text(
        "import pathlib, sys\n"
        "args = dict(zip(sys.argv[1::2], sys.argv[2::2]))\n"
        "pathlib.Path(args['--failure_file']).write_text("
        "'photo set rejected: 2 photos too small')\n"
        "print('Traceback: /opt/secret/path.py', file=sys.stderr)\n"
        f"sys.exit({exit_code})\n"
    )
    outcomes: list[Any] = []
    launcher = launcher_with(tmp_path, str(script), outcomes)
    try:
        launcher.launch(spec("1"))
        deadline = time.monotonic() + 10
        while not outcomes and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        launcher.close()
    [failed] = outcomes
    assert isinstance(failed, JobFailed)
    assert (failed.error.type, failed.error.detail) == (slug, detail)
