"""Comparison fixtures: a spec folder with input photos, and tiny adapters."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture(scope="session", autouse=True)
def _one_torch_thread() -> None:
    """As tests/models: tiny models gain nothing from intra-op threads on a busy machine."""
    import torch

    torch.set_num_threads(1)


@pytest.fixture(scope="session")
def spec_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A spec's folder (the train channel): a reference photo, a person photo, a mask."""
    from PIL import Image

    folder = tmp_path_factory.mktemp("spec")
    Image.effect_noise((64, 64), 80).convert("RGB").save(folder / "ref.png")
    Image.effect_noise((64, 80), 70).convert("RGB").save(folder / "person.png")
    mask = Image.new("L", (64, 80), 0)
    mask.paste(255, (16, 20, 48, 60))  # the torso: white = repaint
    mask.save(folder / "mask.png")
    return folder


@pytest.fixture(scope="session")
def adapters_dir(tiny_models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tenant's artifacts: one product LoRA for the tiny SDXL, as training writes it."""
    from model_artifacts.tiny import generation

    root = tmp_path_factory.mktemp("adapters")
    generation.write_lora(tiny_models_dir / "generation", root / "t1/models/lora-a", seed=1)
    return root
