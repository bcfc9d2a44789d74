"""Fixtures: a real Triton server on a free loopback port and the tiny avatar base."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from triton_support import (
    TritonServer,
    backends_dir,
    free_port,
    server_environment,
    stop,
    triton_home,
    wait_live,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def avatar_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from model_artifacts.tiny.stable_diffusion import build

    return build(tmp_path_factory.mktemp("models") / "avatar")


@pytest.fixture(scope="module")
def triton_server(tmp_path_factory: pytest.TempPathFactory,
                  avatar_base: Path) -> Iterator[TritonServer]:
    home = triton_home()
    work = tmp_path_factory.mktemp("triton")
    backends = backends_dir(home, work / "backends")
    repository = work / "repository"
    repository.mkdir()
    env = server_environment(home)
    env["VITRINE_AVATAR_BASE_DIR"] = str(avatar_base)  # baked into the image on AWS
    # As the image does (PYTHONPATH=/opt/vitrine): the archives' model.py shim imports
    # sagemaker_containers.avatar.triton_model.model from the code root, here the repo.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    port = free_port()
    server = TritonServer(url=f"http://127.0.0.1:{port}", pid=0, repository=repository,
                          log=work / "tritonserver.log")
    with server.log.open("wb") as log:
        process = subprocess.Popen(
            [str(home / "bin" / "tritonserver"), f"--model-repository={repository}",
             f"--backend-directory={backends}", "--model-control-mode=explicit",
             "--http-address=127.0.0.1", f"--http-port={port}", "--allow-grpc=false",
             "--allow-metrics=false", "--exit-timeout-secs=10"],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    server = TritonServer(url=server.url, pid=process.pid, repository=repository, log=server.log)
    try:
        wait_live(server, process)
        yield server
    finally:
        stop(process)
