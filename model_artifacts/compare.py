"""``python -m model_artifacts compare``: a comparison on this machine, with a progress bar.

    python -m model_artifacts compare --prompts prompts.csv --models models.yaml --out report/

Builds the ``spec.json`` the API's comparison job runs (written to ``OUT/spec.json``)
and runs it with the same function (``sagemaker_containers.comparison.run.run``), so a
report made here and one made by ``POST /v1/comparisons`` are the same document.

``--prompts``: ``.csv`` (header ``prompt`` + optional ``negative_prompt``,
``reference_image``, ``person_image``, ``mask_image``), ``.jsonl`` or ``.txt``; image
paths relative to the file. ``models.yaml``: a list of the spec's models, or a mapping
with ``models:`` and any of ``seed``, ``steps``, ``guidance``, ``size``, ``width``,
``height``. Adapters name local folders (``path:``, holding the training's
``pytorch_lora_weights.safetensors`` or ``learned_embeds.safetensors``) or keys under
``--adapters-dir`` (``key:``)::

    models:
      - {name: sdxl, type: sdxl}
      - name: sdxl-product
        type: sdxl
        adapters: [{path: ./runs/product-lora, weight: 0.8}]
      - {name: canny, type: sdxl, control: {type: canny}}
      - {name: nova, type: bedrock, model_id: amazon.nova-canvas-v1:0,
         price: {usd_per_image: 0.04}}

Costs: a model without a ``price`` is priced at ``--usd-per-hour`` for
``--instance-type`` × its model seconds (SageMaker models); hosted ones need their
``price.usd_per_image`` in the file (else their cost is left empty).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse

    from sagemaker_containers.comparison.spec import Spec

# The instance the SageMaker models run on, and its on-demand price (us-east-1, the
# figure the API's price table starts from; edit for your region and date).
DEFAULT_INSTANCE_TYPE = "ml.g5.2xlarge"
DEFAULT_USD_PER_HOUR = 1.515
SETTINGS = ("seed", "steps", "guidance", "size", "width", "height")


def configure(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    add("--prompts", type=Path, required=True, help="prompt set: .csv, .jsonl or .txt")
    add("--models", type=Path, required=True, help="models.yaml: the model columns")
    add("--out", type=Path, required=True, help="report folder (report.json, images/, page)")
    add("--models-dir", type=Path,
        default=Path(os.environ.get("VITRINE_MODELS_DIR", "models")),
        help="local models (generation/, inpainting/, clip/, clipseg/); default "
             "$VITRINE_MODELS_DIR or ./models")
    add("--adapters-dir", type=Path, default=None,
        help="where models.yaml's adapter 'key:' entries are (e.g. the local artifacts "
             "store, .vitrine-data/artifacts)")
    add("--instance-type", default=DEFAULT_INSTANCE_TYPE,
        help=f"instance the SageMaker models are priced on (default {DEFAULT_INSTANCE_TYPE})")
    add("--usd-per-hour", type=float, default=DEFAULT_USD_PER_HOUR,
        help=f"its price in USD per hour (default {DEFAULT_USD_PER_HOUR})")
    for name, kind in (("seed", int), ("steps", int), ("guidance", float), ("width", int),
                       ("height", int)):
        add(f"--{name}", type=kind, default=None, help=f"override the spec's {name}")
    add("--size", choices=("square", "portrait", "landscape"), default=None)


def build_spec(args: argparse.Namespace, adapters_root: Path) -> Spec:
    """The spec for the CLI's files; local adapter folders are copied under
    ``adapters_root`` (keys stay inside the adapters folder, as on SageMaker)."""
    import yaml

    from sagemaker_containers.comparison import prompts, spec

    try:
        loaded = yaml.safe_load(args.models.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise spec.SpecError(f"cannot read {args.models}: {error}") from error
    settings: dict[str, Any] = {}
    if isinstance(loaded, dict):
        settings = {k: loaded[k] for k in SETTINGS if k in loaded}
        loaded = loaded.get("models")
    if not isinstance(loaded, list):
        raise spec.SpecError(f"{args.models.name}: expected a list of models (or 'models:')")
    base = args.models.resolve().parent
    models = [_model(entry, base, adapters_root, args) for entry in loaded]
    settings.update({k: getattr(args, k) for k in SETTINGS if getattr(args, k) is not None})
    items = [item.model_dump() for item in prompts.load(args.prompts)]
    return spec.parse({**settings, "prompts": items, "models": models})


def _model(entry: Any, base: Path, adapters_root: Path, args: argparse.Namespace
           ) -> dict[str, Any]:
    from sagemaker_containers.comparison.spec import SpecError

    if not isinstance(entry, dict) or "name" not in entry:
        raise SpecError("each model needs at least a 'name' and a 'type'")
    model = dict(entry)
    name = str(model["name"])
    if isinstance(model.get("adapters"), list):
        model["adapters"] = [_adapter(a, base, adapters_root, f"{name}-{i}", args.adapters_dir)
                             for i, a in enumerate(model["adapters"])]
    if isinstance(model.get("style"), dict):
        model["style"] = _adapter(model["style"], base, adapters_root, f"{name}-style",
                                  args.adapters_dir)
    if "price" not in model and model.get("type") in ("sdxl", "try_on"):
        model["price"] = {"instance_type": args.instance_type, "usd_per_hour": args.usd_per_hour}
    return model


def _adapter(entry: Any, base: Path, adapters_root: Path, local_key: str,
             adapters_dir: Path | None) -> dict[str, Any]:
    """The spec's adapter for a models.yaml entry, its files copied under ``adapters_root``:
    a ``path`` under a key of its own (``local_key``), a ``key`` as it is."""
    from sagemaker_containers.comparison.spec import SpecError

    if not isinstance(entry, dict):
        raise SpecError("an adapter is a mapping with 'path' (a folder) or 'key'")
    adapter = dict(entry)
    path = adapter.pop("path", None)
    key = local_key
    if path is not None:
        folder = Path(path) if Path(path).is_absolute() else base / path
    elif isinstance(adapter.get("key"), str) and adapters_dir is not None:
        key = adapter["key"]
        folder = (adapters_dir / key).resolve()
        if not folder.is_relative_to(adapters_dir.resolve()):
            raise SpecError(f"adapter key {key!r} leaves --adapters-dir")
    else:
        raise SpecError("an adapter needs a 'path' (a folder), or a 'key' and --adapters-dir")
    if not folder.is_dir():
        raise SpecError(f"adapter folder {folder} does not exist")
    # Only the adapters the columns name are copied into the run's adapters folder.
    shutil.copytree(folder, adapters_root / key, dirs_exist_ok=True)
    adapter["key"] = key
    return adapter


def _quiet_libraries() -> None:
    """One progress bar: the libraries' own per-load bars and notes stay off."""
    from diffusers.utils import logging as diffusers_logging
    from transformers.utils import logging as transformers_logging

    for library in (diffusers_logging, transformers_logging):
        library.disable_progress_bar()
        library.set_verbosity_error()


def run_compare(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from sagemaker_containers.comparison.run import Paths, run
    from sagemaker_containers.comparison.spec import SpecError

    with tempfile.TemporaryDirectory(prefix="vitrine-compare-") as scratch:
        adapters_root = Path(scratch)
        try:
            spec = build_spec(args, adapters_root)
        except SpecError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "spec.json").write_text(spec.model_dump_json(indent=2) + "\n", encoding="utf-8")
        _quiet_libraries()
        paths = Paths.from_models_dir(args.models_dir, spec_dir=out.resolve(), output_dir=out,
                                      adapters_dir=adapters_root)
        with tqdm(total=len(spec.prompts) * len(spec.models), desc="comparison",
                  unit="image") as bar:
            def progress(done: int, total: int) -> None:
                bar.update(done - bar.n)

            report = run(spec, paths, on_progress=progress)
    _print_summary(report, out)
    return 0


def _print_summary(report: dict[str, Any], out: Path) -> None:
    def fmt(value: float | None, pattern: str) -> str:
        return "-" if value is None else format(value, pattern)

    print(f"{'model':<24} {'images':>6} {'failed':>6} {'CLIP':>7} {'win':>5} "
          f"{'model s':>8} {'$/image':>10}")
    for row in report["summary"]:
        print(f"{row['model']:<24} {row['images']:>6} {row['failed']:>6} "
              f"{fmt(row['clip_score']['mean'], '.2f'):>7} "
              f"{fmt(row['clip_win_rate'], '.0%'):>5} "
              f"{fmt(row['model_seconds']['p50'], '.2f'):>8} "
              f"{fmt(row['cost_usd']['per_image'], '.6f'):>10}")
    for model in report["models"]:
        if model["error"]:
            print(f"{model['name']}: {model['error']}")
    page = out / "report.html"
    print(f"report: {page if page.is_file() else out / 'report.json'}")
