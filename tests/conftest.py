"""Fixtures shared by every test folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def tiny_models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models folder with every tiny model: clipseg, inpainting, blip2, the avatar base
    and the generation SDXL (built once per run).

    Set ``VITRINE_TEST_MODELS_DIR`` to build into (and reuse) a fixed folder instead.
    """
    from model_artifacts.tiny import build_all

    fixed = os.environ.get("VITRINE_TEST_MODELS_DIR")
    out_dir = Path(fixed) if fixed else tmp_path_factory.mktemp("models")
    build_all(out_dir, progress=False)
    return out_dir
