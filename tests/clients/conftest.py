"""A live local server (uvicorn, tiny models) that the generated clients and the
playground's browser test drive, and the Node tooling they need (``npm ci``)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from demo.sample import fashion_photo
from demo.server import running_api

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[2]
NODE_BIN = ROOT / "node_modules" / ".bin"
API_KEY = "clients-test-key-0123456789"


@pytest.fixture(scope="session")
def node_tools() -> Path:
    """``node_modules/.bin``; ``make test`` runs ``npm ci`` first (a clean clone has none)."""
    if not (NODE_BIN / "esbuild").exists():
        if shutil.which("npm") is None:
            pytest.fail("Node/npm missing: `make test` installs the Node tooling (npm ci)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=ROOT, check=True)
    return NODE_BIN


@pytest.fixture(scope="session")
def live_api(tiny_models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of ``uvicorn api.app:create_app`` on the local profile with tiny models."""
    state = tmp_path_factory.mktemp("live-api")
    env = {k: v for k, v in os.environ.items() if not k.startswith("VITRINE_")}
    env |= {
        "VITRINE_PROFILE": "local",
        "VITRINE_MODELS_DIR": str(tiny_models_dir),
        "VITRINE_DATA_DIR": str(state / "data"),
        "VITRINE_API_KEYS": f"{API_KEY}:clients-tenant",
        "VITRINE_AVATAR_TRAIN_STEPS": "2",
        "VITRINE_AVATAR_RESOLUTION": "64",
    }
    with running_api(env, state / "server.log") as base:
        yield base


@pytest.fixture(scope="session")
def photo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("photo") / "person.jpg"
    path.write_bytes(fashion_photo(128))
    return path
