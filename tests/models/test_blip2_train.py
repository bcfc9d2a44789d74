"""BLIP-2 LoRA fine-tuning (``sagemaker_containers/blip2/train.py``) on the tiny BLIP-2."""

from __future__ import annotations

import csv
import json
import re
from typing import TYPE_CHECKING

import pytest
from PIL import Image
from tiny_helpers import load_handler, png_b64

from sagemaker_containers.blip2 import train

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

COLOURS = {"red": (220, 20, 20), "blue": (20, 20, 220), "green": (20, 200, 20),
           "black": (5, 5, 5), "white": (250, 250, 250)}


@pytest.fixture(scope="module")
def tiny_blip2(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from model_artifacts.tiny.blip2 import build

    return build(tmp_path_factory.mktemp("models") / "blip2")


def write_dataset(root: Path) -> Path:
    """Five product images, two attributes each (one CSV row per attribute)."""
    (root / "images").mkdir(parents=True)
    rows = []
    for index, (colour, rgb) in enumerate(COLOURS.items()):
        name = f"images/item-{index}.png"
        Image.new("RGB", (40, 48), rgb).save(root / name)
        rows.append({"image_path": name, "question": "What is the color of this garment?",
                     "answer": colour, "attribute": "color"})
        rows.append({"image_path": name, "question": "What is the pattern of this garment?",
                     "answer": "plain", "attribute": "pattern"})
    csv_path = root / "train.csv"
    with csv_path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return csv_path


def test_few_lora_steps_give_a_merged_servable_checkpoint(
    tiny_blip2: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from safetensors.torch import load_file

    # Given a CSV of (image, question, answer) rows and the tiny BLIP-2
    csv_path = write_dataset(tmp_path / "data")
    out = tmp_path / "out"

    # When fine-tuning for 3 optimiser steps with a validation split
    metrics = train.main(train.parse_args([
        "--model_name_or_path", str(tiny_blip2), "--train_file", str(csv_path),
        "--output_dir", str(out), "--epochs", "2", "--batch_size", "4", "--max_steps", "3",
        "--validation_fraction", "0.2", "--learning_rate", "1e-2", "--rank", "4",
        "--save_dtype", "fp32"]))

    # Then accuracy was printed per attribute before training and after each epoch
    printed = capsys.readouterr().out
    for epoch in (0, 1, 2):
        for attribute in ("color", "pattern", "__overall__"):
            assert re.search(rf"^epoch={epoch} attribute={attribute} accuracy=[01]\.\d{{4}}$",
                             printed, re.MULTILINE), (epoch, attribute)
    assert metrics["steps"] == 3
    assert (metrics["train_examples"], metrics["validation_examples"]) == (8, 2)
    assert [entry["epoch"] for entry in metrics["history"]] == [0, 1, 2]
    assert json.loads((out / "training.json").read_text()) == metrics

    # The LoRA weights are merged: a plain checkpoint, changed where LoRA applied (T5 q/v)
    merged = load_file(out / "model.safetensors")
    base = load_file(tiny_blip2 / "model.safetensors")
    assert not any("lora" in key for key in merged)
    assert set(merged) == set(base)
    changed = {key for key in base if not (merged[key] == base[key]).all()}
    assert changed and all(re.search(r"\.(q|v)\.weight$", key) for key in changed)

    # ...that the BLIP-2 handler serves as is (processor saved beside it)
    handler = load_handler("blip2")
    model = handler.model_fn(str(out))
    body = json.dumps({"image": png_b64(Image.new("RGB", (32, 32), COLOURS["red"])),
                       "questions": {"color": "What is the color of this garment?"},
                       "max_new_tokens": 4})
    answer = json.loads(handler.output_fn(
        handler.predict_fn(handler.input_fn(body, "application/json"), model),
        "application/json"))
    assert set(answer["answers"]) == {"color"}


def test_the_aws_sample_csv_layout_is_read(tmp_path: Path) -> None:
    Image.new("RGB", (8, 8)).save(tmp_path / "123.jpg")
    (tmp_path / "vqa_train.csv").write_text(
        "id,Question,Answer\n123,What is the color?,black\n")
    (example,) = train.read_examples(tmp_path / "vqa_train.csv")
    assert (example.image.name, example.question, example.answer) == (
        "123.jpg", "What is the color?", "black")
    assert example.attribute == "What is the color?"


def test_bad_rows_are_all_reported(tmp_path: Path) -> None:
    Image.new("RGB", (8, 8)).save(tmp_path / "ok.png")
    (tmp_path / "train.csv").write_text(
        "image_path,question,answer\nok.png,Q?,A\nmissing.png,Q?,A\nok.png,,A\n")
    with pytest.raises(train.DatasetError) as error:
        train.read_examples(tmp_path / "train.csv")
    assert "line 3: no image missing.png" in str(error.value)
    assert "line 4: empty" in str(error.value)
    (tmp_path / "wrong.csv").write_text("path,text\nok.png,hi\n")
    with pytest.raises(train.DatasetError, match="needs columns"):
        train.read_examples(tmp_path / "wrong.csv")


def test_validation_split_keeps_each_image_on_one_side(tmp_path: Path) -> None:
    examples = train.read_examples(write_dataset(tmp_path))
    kept, held = train.split_by_image(examples, 0.4, seed=1)
    assert {e.image for e in kept}.isdisjoint({e.image for e in held})
    assert len({e.image for e in held}) == 2 and len(kept) + len(held) == len(examples)
