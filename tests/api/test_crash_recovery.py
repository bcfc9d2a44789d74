"""The crash-test judge: a real server process, killed with SIGKILL mid-work, restarted on
the same data dir.

The server is ``crash_app.py`` under uvicorn: the real app and local adapters (SQLite jobs,
outbox, idempotency; filesystem stores, the training launcher), only the model runtime a
fake the test can hold inside a call and ``train.py`` a stand-in. At the kill, at once:
- a try-on is inside the model (``running``), another waits behind it (``queued``: one
  worker thread);
- a finished try-on's webhook is being retried (its receiver answered 500), another's is
  in flight (its receiver hangs);
- a segmentation holding an ``Idempotency-Key`` claim is inside the model;
- an avatar trains in its child process (which must die with the server).
After the restart every job ends (the training runs again), every job's event reaches its
receiver under exactly one ``webhook-id`` (signatures verified with ``standardwebhooks``),
and the key is usable again (a 409 with a short ``Retry-After`` at most, then the answer).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from api_support import KEY_A, KEY_B, TENANT_A, TENANT_B, WEBHOOK_SECRET, b64, png
from avatar_api_support import photos
from standardwebhooks.webhooks import Webhook
from webhook_receiver import Receiver

from demo.server import free_port

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
A, B = {"x-api-key": KEY_A}, {"x-api-key": KEY_B}
LEASE_SECONDS = 2
TERMINAL = {"succeeded", "failed", "canceled"}


def until(what: str, check: Callable[[], Any], timeout: float = 20) -> Any:
    """Poll ``check`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for: {what}")


class Server:
    """``uvicorn crash_app:create`` on a free port, over ``data``; killed or stopped."""

    def __init__(self, tmp: Path, gates: Path) -> None:
        self.tmp, self.gates = tmp, gates
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> str:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("VITRINE_")}
        env.update({
            "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)]),
            "CRASH_GATES": str(self.gates),
            "VITRINE_PROFILE": "local",
            "VITRINE_DATA_DIR": str(self.tmp / "data"),
            "VITRINE_MODELS_DIR": str(self.tmp / "models"),
            "VITRINE_PUBLIC_BASE_URL": base,
            "VITRINE_API_KEYS": f"{KEY_A}:{TENANT_A},{KEY_B}:{TENANT_B}",
            "VITRINE_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "VITRINE_URL_SIGNING_SECRET": "crash-test-url-signing-secret-0123456789",
            "VITRINE_WEBHOOK_ALLOW_LOOPBACK": "true",
            "VITRINE_WEBHOOK_BACKOFF_SECONDS": "0.2",
            "VITRINE_WEBHOOK_TIMEOUT_SECONDS": "30",
            "VITRINE_WORKER_THREADS": "1",
            "VITRINE_IDEMPOTENCY_LEASE_SECONDS": str(LEASE_SECONDS),
            "VITRINE_AVATAR_MIN_PHOTO_SIDE": "32",
            "VITRINE_AVATAR_PHOTO_MAX_SIDE": "64",
            "CRASH_TRAINER": str(self.tmp / "trainer.py"),
        })  # fmt: skip
        self.starts += 1
        log = (self.tmp / f"server-{self.starts}.log").open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "crash_app:create", "--factory",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip

        def healthy() -> bool:
            assert self.proc is not None and self.proc.poll() is None, self.log()
            try:
                return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
            except httpx.TransportError:
                return False

        until("the server to answer", healthy, timeout=60)
        return base

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def log(self) -> str:
        return "\n".join(p.read_text() for p in sorted(self.tmp.glob("server-*.log")))


# train.py's stand-in: records its pid, waits while the gate is there, writes an adapter.
TRAINER = """
import json, os, pathlib, sys, time
args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
gates = pathlib.Path({gates!r})
with (gates / "trainer.pids").open("a") as pids:
    pids.write(f"{{os.getpid()}}\\n")
while (gates / "hold-train").exists():
    time.sleep(0.02)
out = pathlib.Path(args["--output_dir"])
out.mkdir(parents=True)
(out / "pytorch_lora_weights.safetensors").write_bytes(b"lora")
(out / "avatar.json").write_text(json.dumps({{"steps": 1}}))
"""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    # /healthz answers 200 once the models folder exists; trainings need the avatar base
    (tmp_path / "models" / "avatar").mkdir(parents=True)
    (tmp_path / "models" / "avatar" / "model_index.json").write_text("{}")
    gates = tmp_path / "gates"
    gates.mkdir()
    (tmp_path / "trainer.py").write_text(TRAINER.format(gates=str(gates)))
    running = Server(tmp_path, gates)
    yield running
    running.stop()


@pytest.fixture
def receivers() -> Iterator[tuple[Receiver, Receiver]]:
    """One receiver that first answers 500 (three times), one that first hangs."""
    failing, hanging = Receiver(), Receiver()
    failing.statuses = [500, 500, 500]
    hanging.hang = 60.0
    yield failing, hanging
    for rec in (failing, hanging):
        rec.server.shutdown()
        rec.server.server_close()


def try_on(base: str, headers: dict[str, str], seed: int, callback: str) -> str:
    body = {
        "image": {"base64": b64(png(48, 48))}, "garment_prompt": "a red shirt",
        "mask_prompt": "shirt", "n": 1, "seed": seed, "callback_url": callback,
    }  # fmt: skip
    response = httpx.post(f"{base}/v1/try-ons", json=body, headers=headers, timeout=10)
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


def trainer_pids(gates: Path) -> list[str]:
    pids = gates / "trainer.pids"
    return pids.read_text().split() if pids.exists() else []


def gone(pid: int, timeout: float = 10) -> bool:
    """Whether process ``pid`` has ended within ``timeout`` seconds (it is not this test's
    child: once ended, init reaps it)."""

    def ended() -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False

    try:
        until(f"process {pid} to end", ended, timeout=timeout)
    except AssertionError:
        return False
    return True


def status(base: str, headers: dict[str, str], job_id: str) -> str:
    return str(httpx.get(f"{base}/v1/jobs/{job_id}", headers=headers, timeout=5).json()["status"])


def test_kill_9_mid_job_mid_webhook_retry_and_mid_request_loses_nothing(
    server: Server, receivers: tuple[Receiver, Receiver]
) -> None:
    failing, hanging = receivers
    gates = server.gates
    base = server.start()

    # Given a webhook being retried: a finished try-on whose receiver answered 500
    retried = try_on(base, A, 2, failing.url)
    until("a failed delivery", lambda: len(failing.deliveries) >= 1)
    # ... one in flight: a finished try-on whose receiver has not answered yet
    in_flight = try_on(base, B, 3, hanging.url)
    until("a delivery in flight", lambda: hanging.arrivals >= 1)
    # ... an avatar training in its child process (off the one worker thread)
    (gates / "hold-train").touch()
    avatar = httpx.post(f"{base}/v1/avatar-models", headers=A, timeout=10, json={
        "name": "Ana", "subject_class": "woman", "photos": photos(), "callback_url": failing.url,
    })  # fmt: skip
    assert avatar.status_code == 202, avatar.text
    training = avatar.json()["id"]
    trainer_pid = int(until("the trainer to start", lambda: trainer_pids(gates))[0])
    # ... a try-on inside the model, and one queued behind it (one worker thread)
    (gates / "hold-1").touch()
    running = try_on(base, A, 1, failing.url)
    until("the job inside the model", lambda: (gates / "entered-1").exists())
    queued = try_on(base, B, 4, hanging.url)
    assert status(base, A, running) == "running" and status(base, B, queued) == "queued"
    # ... and a segmentation inside the model, holding its Idempotency-Key's claim
    (gates / "hold-invoke").touch()
    key = {**A, "Idempotency-Key": "crash-key-1"}
    segmentation = {"image": {"base64": b64(png(32, 32))}, "prompts": ["hold"]}

    def held_request() -> None:
        try:
            httpx.post(f"{base}/v1/segmentations", json=segmentation, headers=key, timeout=30)
        except httpx.TransportError:
            pass  # the server dies under it

    client_thread = threading.Thread(target=held_request, daemon=True)
    client_thread.start()
    until("the request inside the model", lambda: (gates / "entered-invoke").exists())

    # When the server is killed (no shutdown code runs) and started again on its data
    server.kill9()
    client_thread.join(timeout=10)
    assert gone(trainer_pid), "the training outlived its server"
    for gate in gates.glob("hold-*"):
        gate.unlink()
    hanging.hang = 0.0
    base = server.start()

    # Then every job ends
    jobs = {running: A, queued: B, retried: A, in_flight: B, training: A}

    def all_terminal() -> dict[str, dict[str, Any]] | None:
        views = {
            job_id: httpx.get(f"{base}/v1/jobs/{job_id}", headers=h, timeout=5).json()
            for job_id, h in jobs.items()
        }
        done = all(v["status"] in TERMINAL for v in views.values())
        return views if done else None

    views = until("every job to end", all_terminal, timeout=30)
    assert len(trainer_pids(gates)) == 2  # the interrupted training ran again
    assert {job_id: v["status"] for job_id, v in views.items()} == dict.fromkeys(
        jobs, "succeeded"
    ), server.log()

    # ... every job's event reaches its receiver under exactly one webhook-id, each
    # delivery signed as Standard Webhooks says
    def accepted() -> dict[str, set[str]] | None:
        ids: dict[str, set[str]] = defaultdict(set)
        for rec in (failing, hanging):
            for headers, body in list(rec.deliveries):
                event = Webhook(WEBHOOK_SECRET).verify(body, headers)
                ids[event["data"]["job"]["id"]].add(headers["webhook-id"])
        return ids if set(ids) == set(jobs) else None

    ids = until("every webhook delivered", accepted, timeout=30)
    assert all(len(found) == 1 for found in ids.values()), ids
    until("every delivery recorded", lambda: all(
        httpx.get(f"{base}/v1/jobs/{j}", headers=h, timeout=5).json().get("webhook", {})
        .get("state") == "delivered" for j, h in jobs.items()))  # fmt: skip
    # (the one in flight may have reached its receiver twice: same id, dropped as a duplicate)
    assert sum(1 for _ in failing.deliveries) >= 4  # three 500s, then delivered

    # ... and the key the killed request held is usable again: a 409 says when to retry,
    # and that is soon; then the request runs
    def retried_request() -> httpx.Response | None:
        response = httpx.post(
            f"{base}/v1/segmentations", json=segmentation, headers=key, timeout=10
        )
        if response.status_code == 409:
            assert response.json()["type"].endswith("/idempotency-in-progress")
            assert 1 <= int(response.headers["Retry-After"]) <= LEASE_SECONDS
            return None
        return response

    answer = until("the key to be released", retried_request, timeout=LEASE_SECONDS + 10)
    assert answer.status_code == 200, answer.text
    assert json.loads(answer.content)["masks"][0]["prompt"] == "hold"
