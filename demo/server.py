"""Run the API under uvicorn in a child process, on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_api(env: dict[str, str], log_path: Path, timeout_s: float = 60) -> Iterator[str]:
    """Start ``uvicorn api.app:create_app --factory``; yield its base URL; stop it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    child_env = {**os.environ, **env, "VITRINE_PUBLIC_BASE_URL": base}
    cmd = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory",
           "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    with log_path.open("w") as log:
        proc = subprocess.Popen(cmd, env=child_env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(base, proc, timeout_s, log_path)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_healthy(base: str, proc: subprocess.Popen[bytes], timeout_s: float, log: Path) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"API exited with {proc.returncode}; see {log}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"API did not become healthy in {timeout_s}s; see {log}")
