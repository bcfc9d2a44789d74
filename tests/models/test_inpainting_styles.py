"""Style adapters on the warm inpainting pipeline: by key, an LRU, never reloading the base."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import pytest
from test_inpainting_handler import request
from test_tenant_training import common_args, write_set
from tiny_helpers import load_handler, run

from sagemaker_containers.common.adapters import AdapterFiles
from sagemaker_containers.common.errors import InvalidInput
from sagemaker_containers.inpainting.styles import StyleAdapters
from sagemaker_containers.style import train as style_train

if TYPE_CHECKING:
    from pathlib import Path
    from types import ModuleType

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def adapters_root(tiny_models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two trained style adapters under an artifacts-like root: keys ``t/models/a``, ``.../b``
    (``b`` trained with ``--train_text_encoder``: LoRA on the UNet and the text encoder)."""
    root = tmp_path_factory.mktemp("artifacts")
    for name, extra in (("a", ["--seed", "1"]), ("b", ["--seed", "2", "--train_text_encoder"])):
        data = write_set(tmp_path_factory.mktemp(f"set-{name}") / "set", 2)
        style_train.main(style_train.parse_args(common_args(
            tiny_models_dir / "inpainting", data, root / "t" / "models" / name, *extra)))
    return root


@pytest.fixture
def own(tiny_models_dir: Path) -> tuple[ModuleType, Any]:
    """A model of its own: these tests load adapters into its pipeline."""
    handler = load_handler("inpainting")
    return handler, handler.model_fn(str(tiny_models_dir / "inpainting"))


def test_styles_switch_by_key_in_an_lru_on_one_pipeline(
    own: tuple[ModuleType, Any], adapters_root: Path
) -> None:
    handler, loaded = own
    model = dataclasses.replace(
        loaded, styles=StyleAdapters(AdapterFiles(adapters_root), max_items=1))
    pipeline = model.pipeline

    def styled(key: str | None) -> list[str]:
        adapters = [{"key": key, "type": "lora", "weight": 1.0}] if key else None
        return list(run(handler, model, request(adapters=adapters))["images"])

    plain = styled(None)
    with_a = styled("t/models/a")
    assert with_a != plain
    assert styled(None) == plain  # disabled again: the base's own output
    with_b = styled("t/models/b")  # with a text-encoder LoRA: loads on the same pipeline
    assert with_b not in (plain, with_a)
    assert pipeline.get_list_adapters()["text_encoder"] == model.styles.lru.keys
    assert styled(None) == plain  # the text encoder's LoRA is disabled too
    # One slot: b evicted a from the pipeline; a comes back from its files, the same
    assert model.styles.lru.keys == [n for n in pipeline.get_list_adapters()["unet"]]
    assert len(model.styles.lru) == 1
    assert styled("t/models/a") == with_a
    assert "text_encoder" not in pipeline.get_list_adapters()  # b's went with it
    assert pipeline.unet is loaded.pipeline.unet  # never a second base


@pytest.mark.parametrize(
    ("adapters", "message"),
    [
        ([{"key": "t/models/none", "type": "lora"}], "no adapter"),
        ([{"key": "t/models/a", "type": "textual_inversion"}], "LoRA"),
        ([{"key": "../escape", "type": "lora"}], "adapter key"),
        ([{"key": "t/models/a"}, {"key": "t/models/b"}], "one style"),
        ([{"key": "t/models/a", "weight": 5}], "weight"),
    ],
)
def test_bad_style_references_are_invalid_input(
    inpainting: tuple[ModuleType, Any], adapters_root: Path, adapters: Any, message: str
) -> None:
    # Refused before any adapter loads: the shared model stays as it was.
    handler, shared = inpainting
    model = dataclasses.replace(shared, styles=StyleAdapters(AdapterFiles(adapters_root)))
    with pytest.raises(InvalidInput, match=message):
        run(handler, model, request(adapters=adapters))
