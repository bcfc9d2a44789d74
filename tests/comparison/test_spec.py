"""spec.json and prompt sets: the contract's example parses; mistakes say where they are."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from sagemaker_containers.comparison import prompts, spec

if TYPE_CHECKING:
    from pathlib import Path

# The contract's example (PLAN.md, "spec.json"), prices filled in.
HOURLY = {"instance_type": "ml.g5.2xlarge", "usd_per_hour": 1.515}
CONTRACT = {
    "version": 1, "seed": 42, "steps": 30, "guidance": 7.0, "size": "square",
    "prompts": [{"prompt": "a linen shirt on a model", "negative_prompt": None,
                 "reference_image": "inputs/ref-0.png", "person_image": None}],
    "models": [
        {"name": "sdxl", "type": "sdxl", "variant": "base", "adapters": [], "control": None,
         "price": HOURLY},
        {"name": "sdxl-product", "type": "sdxl", "adapters": [
            {"key": "t1/models/job_x/", "type": "lora", "weight": 0.8, "token": None}],
         "price": HOURLY},
        {"name": "controlnet", "type": "sdxl", "control": {"type": "canny", "strength": 0.8},
         "price": HOURLY},
        {"name": "try-on", "type": "try_on", "style": None, "price": HOURLY},
        {"name": "nova", "type": "bedrock", "model_id": "amazon.nova-canvas-v1:0",
         "price": {"usd_per_image": 0.04}},
        {"name": "gpt-image", "type": "openai", "model": "gpt-image-1",
         "price": {"usd_per_image": 0.042}}],
    "tiny_models": True,
}


def test_the_contract_example_parses() -> None:
    parsed = spec.parse(CONTRACT)
    assert [m.type for m in parsed.models] == ["sdxl", "sdxl", "sdxl", "try_on", "bedrock",
                                              "openai"]
    product = parsed.models[1]
    assert isinstance(product, spec.SdxlModel)
    assert product.adapters[0].weight == 0.8
    assert product.display == "SDXL base + LoRA"
    assert parsed.models[2].display == "SDXL base + ControlNet canny"
    # The contract's cost figure: 1.2 model seconds at $1.515/h.
    assert parsed.models[0].price.cost(1.2) == pytest.approx(0.000505)
    assert parsed.models[4].price.cost(30.0) == 0.04  # hosted: per image, whatever the time


@pytest.mark.parametrize(("change", "message"), [
    ({"models": [{"name": "A B", "type": "sdxl"}]}, "models.0.sdxl.name"),
    ({"models": [{"name": "x", "type": "sdxl"}, {"name": "x", "type": "openai"}]},
     "must be unique: x"),
    ({"models": [{"name": "x", "type": "dalle"}]}, "models.0"),
    ({"models": [{"name": "x", "type": "sdxl", "contrl": {}}]}, "contrl"),
    ({"prompts": []}, "prompts"),
    ({"seed": -1}, "seed"),
    ({"models": [{"name": "x", "type": "sdxl", "adapters": [{"key": "k", "weight": 3}]}]},
     "weight"),
])
def test_mistakes_are_refused_with_where(change: dict[str, object], message: str) -> None:
    with pytest.raises(spec.SpecError, match="invalid comparison spec") as refused:
        spec.parse({**CONTRACT, **change})
    assert message in str(refused.value)


def test_a_style_may_be_a_bare_key() -> None:
    parsed = spec.parse({**CONTRACT, "models": [
        {"name": "t", "type": "try_on", "style": "t1/models/style-1/"}]})
    model = parsed.models[0]
    assert isinstance(model, spec.TryOnModel) and model.style is not None
    assert (model.style.key, model.style.weight) == ("t1/models/style-1/", 1.0)


def test_load_reads_a_file_and_refuses_broken_json(tmp_path: Path) -> None:
    (tmp_path / "spec.json").write_text(json.dumps(CONTRACT))
    assert spec.load(tmp_path / "spec.json").seed == 42
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(spec.SpecError, match="cannot read"):
        spec.load(tmp_path / "bad.json")


def test_resolve_keeps_absolute_paths_and_anchors_relative_ones(tmp_path: Path) -> None:
    assert spec.resolve(tmp_path, "inputs/a.png") == tmp_path / "inputs/a.png"
    assert spec.resolve(tmp_path, "/data/a.png").as_posix() == "/data/a.png"
    assert spec.resolve(tmp_path, None) is None


def test_prompt_sets_csv_jsonl_txt(tmp_path: Path) -> None:
    # Given the same two prompts in each format, images relative to the file
    (tmp_path / "sets").mkdir()
    (tmp_path / "sets" / "prompts.csv").write_text(
        "\ufeffid,prompt,negative_prompt,reference_image,person_image\n"
        "7,a red linen shirt,blurry,ref.png,\n"
        '8,"a dress, long",,,people/p.png\n', encoding="utf-8")
    (tmp_path / "sets" / "prompts.jsonl").write_text(
        '{"prompt": "a red linen shirt", "negative_prompt": "blurry", '
        '"reference_image": "ref.png"}\n\n'
        '{"prompt": "a dress, long", "person_image": "people/p.png"}\n')
    (tmp_path / "sets" / "prompts.txt").write_text("a red linen shirt\n\na dress, long\n")
    base = (tmp_path / "sets").resolve()
    # When each is loaded
    csv_items = prompts.load(tmp_path / "sets" / "prompts.csv")
    jsonl_items = prompts.load(tmp_path / "sets" / "prompts.jsonl")
    txt_items = prompts.load(tmp_path / "sets" / "prompts.txt")
    # Then CSV and JSONL agree, paths are absolute, empty cells are absent, extra columns
    # (the catalogue's id) are dropped
    assert csv_items == jsonl_items
    assert csv_items[0].reference_image == str(base / "ref.png")
    assert csv_items[0].person_image is None and csv_items[1].negative_prompt is None
    assert csv_items[1].person_image == str(base / "people/p.png")
    assert [i.prompt for i in txt_items] == ["a red linen shirt", "a dress, long"]


def test_prompt_sets_refuse_what_they_cannot_read(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("text\nhello\n")
    with pytest.raises(spec.SpecError, match="'prompt' column"):
        prompts.load(tmp_path / "a.csv")
    (tmp_path / "b.jsonl").write_text('{"prompt": "ok"}\n{nope\n')
    with pytest.raises(spec.SpecError, match="line 2"):
        prompts.load(tmp_path / "b.jsonl")
    (tmp_path / "c.jsonl").write_text('{"prompt": ""}\n')
    with pytest.raises(spec.SpecError, match="prompt 1"):
        prompts.load(tmp_path / "c.jsonl")
    (tmp_path / "d.xlsx").write_text("")
    with pytest.raises(spec.SpecError, match=".csv"):
        prompts.load(tmp_path / "d.xlsx")


def test_columns_run_grouped_by_the_model_they_load() -> None:
    from sagemaker_containers.comparison.run import execution_order

    parsed = spec.parse({**CONTRACT, "models": [
        {"name": "tryon-a", "type": "try_on"}, {"name": "base", "type": "sdxl"},
        {"name": "nova", "type": "bedrock"}, {"name": "lora", "type": "sdxl"},
        {"name": "tryon-b", "type": "try_on"}]})
    # Each family once, in the order it first appears; the spec's order inside a family
    assert [m.name for m in execution_order(parsed.models)] == [
        "tryon-a", "tryon-b", "base", "lora", "nova"]
