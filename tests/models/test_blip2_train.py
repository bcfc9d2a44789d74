"""BLIP-2 LoRA fine-tuning (``sagemaker_containers/blip2/train.py``) on the tiny BLIP-2."""

from __future__ import annotations

import csv
import json
import re
from typing import TYPE_CHECKING, Any

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


ARGS = ["--epochs", "2", "--batch_size", "4", "--max_steps", "3", "--validation_fraction",
        "0.2", "--learning_rate", "1e-2", "--rank", "4"]
QUESTION = "What is the color of this garment?"
COLOUR_VALUES = list(COLOURS)


@pytest.fixture(scope="module")
def trained(tiny_blip2: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """Three LoRA steps on the tiny BLIP-2: the adapter folder (its key: ``tenant/m1``)
    and the metrics."""
    root = tmp_path_factory.mktemp("trained")
    csv_path = write_dataset(root / "data")
    out = root / "adapters" / "tenant" / "m1"
    metrics = train.main(train.parse_args([
        "--model_name_or_path", str(tiny_blip2), "--train_file", str(csv_path),
        "--output_dir", str(out), *ARGS]))
    return out, metrics


def test_few_lora_steps_give_an_adapter_and_held_out_accuracy(
    trained: tuple[Path, dict], capsys: pytest.CaptureFixture[str]
) -> None:
    from safetensors.torch import load_file

    out, metrics = trained
    assert metrics["steps"] == 3 and metrics["export"] == "adapter"
    # Split by image: one of the five images (two rows) is held out.
    assert (metrics["train_examples"], metrics["validation_examples"]) == (8, 2)
    assert metrics["validation_images"] == 1
    assert [entry["epoch"] for entry in metrics["history"]] == [0, 1, 2]
    assert set(metrics["accuracy"]) == {"color", "pattern", "__overall__"}
    assert metrics["accuracy"] == metrics["history"][-1]["accuracy"]
    assert json.loads((out / "training.json").read_text()) == metrics

    # peft's layout: the config naming the base, and LoRA weights only (T5 q/v)
    assert {p.name for p in out.iterdir()} == {
        "adapter_config.json", "adapter_model.safetensors", "training.json", "README.md"}
    config = json.loads((out / "adapter_config.json").read_text())
    assert (config["peft_type"], config["r"], set(config["target_modules"])) == (
        "LORA", 4, {"q", "v"})
    weights = load_file(out / "adapter_model.safetensors")
    assert weights and all(re.search(r"\.(q|v)\.lora_[AB]\.weight$", key) for key in weights)


def test_accuracy_lines_are_printed_per_epoch(tiny_blip2: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    csv_path = write_dataset(tmp_path / "data")
    train.main(train.parse_args([
        "--model_name_or_path", str(tiny_blip2), "--train_file", str(csv_path),
        "--output_dir", str(tmp_path / "out"), *ARGS, "--epochs", "1", "--max_steps", "1"]))
    printed = capsys.readouterr().out
    for epoch in (0, 1):
        for attribute in ("color", "pattern", "__overall__"):
            assert re.search(rf"^epoch={epoch} attribute={attribute} accuracy=[01]\.\d{{4}}$",
                             printed, re.MULTILINE), (epoch, attribute)


def ask(handler: Any, model: Any, **extra: Any) -> dict[str, Any]:
    body = json.dumps({"image": png_b64(Image.new("RGB", (32, 32), COLOURS["red"])),
                       "questions": {"color": QUESTION}, "choices": {"color": COLOUR_VALUES},
                       "max_new_tokens": 4, **extra})
    return json.loads(handler.output_fn(
        handler.predict_fn(handler.input_fn(body, "application/json"), model),
        "application/json"))


def test_the_handler_serves_the_adapter_on_its_warm_base(
    tiny_blip2: Path, trained: tuple[Path, dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    from peft import PeftModel
    from transformers import Blip2ForConditionalGeneration

    out, _ = trained
    monkeypatch.setenv("VITRINE_BLIP2_ADAPTERS_DIR", str(out.parents[1]))
    handler = load_handler("blip2")
    model = handler.model_fn(str(tiny_blip2))
    base = ask(handler, model)["scores"]["color"]
    tuned = ask(handler, model, adapter="tenant/m1")["scores"]["color"]
    assert model.adapters.attached == ["tenant/m1"]
    # The base is still served as it was, adapter loaded or not.
    assert ask(handler, model)["scores"]["color"] == pytest.approx(base, abs=1e-6)

    # Judge: the same adapter merged into a fresh base by peft, run as a plain model.
    merged = PeftModel.from_pretrained(
        Blip2ForConditionalGeneration.from_pretrained(tiny_blip2), out).merge_and_unload()
    judge = handler.model_fn(str(tiny_blip2))
    object.__setattr__(judge, "network", merged.eval())
    expected = ask(handler, judge)["scores"]["color"]
    assert tuned == pytest.approx(expected, abs=1e-4)
    assert tuned != pytest.approx(base, abs=1e-4)  # the adapter changed the answers' scores


def test_adapters_are_an_lru_and_unknown_keys_are_invalid_input(
    tiny_blip2: Path, trained: tuple[Path, dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    out, _ = trained
    shutil.copytree(out, out.parent / "m2", dirs_exist_ok=True)
    monkeypatch.setenv("VITRINE_BLIP2_ADAPTERS_DIR", str(out.parents[1]))
    monkeypatch.setenv("VITRINE_BLIP2_MAX_ADAPTERS", "1")
    handler = load_handler("blip2")
    model = handler.model_fn(str(tiny_blip2))
    first = ask(handler, model, adapter="tenant/m1")["scores"]["color"]
    ask(handler, model, adapter="tenant/m2")
    assert model.adapters.attached == ["tenant/m2"]  # m1 evicted
    assert ask(handler, model, adapter="tenant/m1")["scores"]["color"] == pytest.approx(first)
    for key, message in (("tenant/none", "no adapter"), ("../x", "without '..'"),
                         ("/abs", "relative key")):
        with pytest.raises(ValueError, match=message):
            ask(handler, model, adapter=key)


def test_merged_export_is_a_plain_servable_checkpoint(tiny_blip2: Path, tmp_path: Path) -> None:
    from safetensors.torch import load_file

    csv_path = write_dataset(tmp_path / "data")
    out = tmp_path / "out"
    metrics = train.main(train.parse_args([
        "--model_name_or_path", str(tiny_blip2), "--train_file", str(csv_path),
        "--output_dir", str(out), *ARGS, "--epochs", "1", "--max_steps", "2",
        "--export", "merged", "--save_dtype", "fp32"]))
    assert metrics["export"] == "merged"
    merged = load_file(out / "model.safetensors")
    base = load_file(tiny_blip2 / "model.safetensors")
    assert not any("lora" in key for key in merged)
    assert set(merged) == set(base)
    changed = {key for key in base if not (merged[key] == base[key]).all()}
    assert changed and all(re.search(r"\.(q|v)\.weight$", key) for key in changed)
    handler = load_handler("blip2")
    assert ask(handler, handler.model_fn(str(out)))["answers"]["color"] in COLOUR_VALUES


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


def test_an_archived_adapter_is_fetched_from_s3_once(
    trained: tuple[Path, dict], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import tarfile

    import boto3
    from moto import mock_aws

    from sagemaker_containers.blip2.adapters import AdapterSet

    out, _ = trained
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for path in out.iterdir():
            tar.add(path, arcname=path.name)
        tar.add(out / "adapter_config.json", arcname="../escape.json")  # never extracted
    key = "t1/attribute-models/atm_1/job/output/model.tar.gz"
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("VITRINE_BLIP2_ADAPTERS_URI", "s3://models/")
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="models")
        s3.put_object(Bucket="models", Key=key, Body=buffer.getvalue())
        adapters = AdapterSet(None, root=tmp_path / "cache")  # type: ignore[arg-type]
        folder = adapters.find(key)
        s3.delete_object(Bucket="models", Key=key)
        assert adapters.find(key) == folder  # the second time from the folder
    assert sorted(p.name for p in folder.iterdir()) == [
        "adapter_config.json", "adapter_model.safetensors", "training.json"]
    assert not (tmp_path / "escape.json").exists()
    assert (folder / "adapter_model.safetensors").read_bytes() == (
        out / "adapter_model.safetensors").read_bytes()
