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


@pytest.fixture(scope="session")
def generation_adapters(tiny_models_dir: Path, tmp_path_factory: pytest.TempPathFactory
                        ) -> Path:
    """An adapters root with two tiny product LoRAs and a concept, as trainings write them
    (``<tenant>/<model>/…``)."""
    from model_artifacts.tiny import generation

    root = tmp_path_factory.mktemp("adapters")
    generation.write_lora(tiny_models_dir / "generation", root / "t1/lora-a", seed=1)
    generation.write_lora(tiny_models_dir / "generation", root / "t1/lora-b", seed=2)
    generation.write_concept(root / "t1/concept-c", seed=3)
    return root


@pytest.fixture(scope="session")
def generation(tiny_models_dir: Path, generation_adapters: Path) -> tuple[ModuleType, Any]:
    from sagemaker_containers.generation import core

    handler = load_handler("generation")
    return handler, core.load(tiny_models_dir / "generation", adapters_root=generation_adapters)
