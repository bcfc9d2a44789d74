"""A real Triton Inference Server (CPU, Python backend) serving avatar models: helpers.

``nvidia-pytriton`` ships a ``tritonserver`` binary with the Python backend, plus one
backend stub per Python version in a side folder. The fixture assembles a backend
folder in a temp dir (the package stays untouched), starts the server on a free
loopback port with ``--model-control-mode=explicit`` (models load and unload on
request, as on a SageMaker multi-model endpoint), and stops it by its pid.
"""

from __future__ import annotations

import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tarfile
import time
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import httpx
import pytest
from PIL import Image, ImageDraw

START_TIMEOUT_S = 90


@dataclass(frozen=True, slots=True)
class TritonServer:
    url: str
    pid: int
    repository: Path
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def triton_home() -> Path:
    if platform.system() != "Linux" or platform.machine() != "x86_64":
        pytest.skip(f"the pytriton tritonserver build is Linux x86_64 only, not "
                    f"{platform.system()} {platform.machine()}")
    spec = find_spec("pytriton")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("nvidia-pytriton is not installed: pip install -e '.[triton]'")
    return Path(next(iter(spec.submodule_search_locations))) / "tritonserver"


def backends_dir(home: Path, into: Path) -> Path:
    """A backend folder with the Python backend and the stub for this Python."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    stub = home / "python_backend_stubs" / version / "triton_python_backend_stub"
    if not stub.is_file():
        pytest.skip(f"pytriton ships no Python-backend stub for Python {version}")
    python = into / "python"
    shutil.copytree(home / "backends" / "python", python,
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(stub, python / stub.name)
    return into


def server_environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    # The stub embeds Python: it must load this interpreter's libpython (not another
    # 3.x found first on the system) and the CUDA runtime bundled with pytriton.
    libs = [str(home.parents[1] / "nvidia_pytriton.libs")]
    if sysconfig.get_config_var("Py_ENABLE_SHARED"):
        libs.insert(0, str(sysconfig.get_config_var("LIBDIR")))
    env["LD_LIBRARY_PATH"] = os.pathsep.join([*libs, env.get("LD_LIBRARY_PATH", "")])
    # The models' imports (torch, diffusers) come from the Python found first on PATH.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.setdefault("OMP_NUM_THREADS", "1")
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_live(server: TritonServer, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"tritonserver exited with {process.returncode}:\n{server.log_tail()}")
        try:
            if httpx.get(f"{server.url}/v2/health/live", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    pytest.fail(f"tritonserver not live after {START_TIMEOUT_S} s:\n{server.log_tail()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM by pid; the whole session (server + backend stubs) if it lingers."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def write_photos(directory: Path, count: int, seed: int) -> Path:
    directory.mkdir(parents=True)
    for index in range(count):
        shade = (seed * 70 + index * 13) % 256
        image = Image.new("RGB", (40, 40), (shade, 255 - shade, (shade * 3) % 256))
        ImageDraw.Draw(image).ellipse((10, 6, 30, 34), fill=(230, 180, 150))
        image.save(directory / f"{index}.png")
    return directory


def install_avatar(server: TritonServer, archive_path: Path) -> str:
    """Extract an MME archive into the repository, as the endpoint does; return its name.

    The archive must hold weights and config only: the shipped ``config.pbtxt``, the shim
    ``1/model.py`` (which imports the model from the code root on PYTHONPATH) and
    ``1/adapter/``; no other code.
    """
    from sagemaker_containers.avatar import archive

    with tarfile.open(archive_path) as packed:
        members = {member.name: member for member in packed.getmembers()}
        names = {name.split("/")[0] for name in members}
        assert len(names) == 1, f"one Triton model per archive, got {names}"
        name = names.pop()
        inside = {path.removeprefix(f"{name}/") for path in members}
        assert {archive.CONFIG_FILE, archive.MODEL_FILE} <= inside
        assert all(path.startswith(archive.ADAPTER_DIR + "/")
                   for path in inside - {archive.CONFIG_FILE, archive.MODEL_FILE}), inside
        shipped = archive.CONFIG_SOURCE.read_bytes()
        config = packed.extractfile(members[f"{name}/{archive.CONFIG_FILE}"])
        assert config is not None and config.read() == shipped
        packed.extractall(server.repository, filter="data")
    return name
