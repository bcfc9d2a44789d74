"""Handlers with their tiny models loaded once per run, shared by the model tests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from tiny_helpers import load_handler


@pytest.fixture(scope="session", autouse=True)
def _one_torch_thread() -> None:
    """Tiny models gain nothing from intra-op threads, and on a busy 2-core machine
    OpenMP workers waiting on each other made a CLIPSeg call 5-10x slower."""
    import torch

    torch.set_num_threads(1)

if TYPE_CHECKING:
    from pathlib import Path
    from types import ModuleType


@pytest.fixture(scope="session")
def clipseg(tiny_models_dir: Path) -> tuple[ModuleType, Any]:
    handler = load_handler("clipseg")
    return handler, handler.model_fn(str(tiny_models_dir / "clipseg"))


@pytest.fixture(scope="session")
def inpainting(tiny_models_dir: Path) -> tuple[ModuleType, Any]:
    handler = load_handler("inpainting")
    return handler, handler.model_fn(str(tiny_models_dir / "inpainting"))


@pytest.fixture(scope="session")
def blip2(tiny_models_dir: Path) -> tuple[ModuleType, Any]:
    handler = load_handler("blip2")
    return handler, handler.model_fn(str(tiny_models_dir / "blip2"))
