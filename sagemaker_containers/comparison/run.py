"""The comparison batch: one prompt set × model columns → images, scores, ``report.json``.

    python -m sagemaker_containers.comparison.run --spec spec.json --models_dir models \\
        --adapters_dir artifacts --output_dir out/ --progress_file progress.json

On SageMaker (a training job on the training image) every path has the channel default
the train.py scripts use: the spec in ``train`` (``/opt/ml/input/data/train/spec.json``,
its images beside it), the SDXL base in ``base``, the try-on model in ``inpainting``, CLIP
in ``clip``, CLIPSeg in ``clipseg``, the tenant's adapters in ``adapters``; the report
goes to ``/opt/ml/model``. ``--models_dir`` instead takes the local layout
(``generation/``, ``inpainting/``, ``clip/``, ``clipseg/``, as ``make models`` builds it).

Columns run one after another, grouped by the model they load (each loads once and is
released before the next family; wall seconds count from the run's start, so they include
loading and the cells before). The report keeps the spec's order. A column that cannot run, or a
cell that fails, is recorded with why; the report is written whatever the models do.
``--progress_file`` keeps ``{"done": cells, "total": cells}`` up to date (the local
launcher's job progress). Exit statuses as train.py's: 0 done (even with failed cells),
3 the spec was rejected (reason in ``--failure_file`` or SageMaker's failure file).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sagemaker_containers.avatar.train import _channel, _report_failure, write_progress
from sagemaker_containers.comparison import aggregate, report, runners
from sagemaker_containers.comparison.spec import Spec, SpecError, load

if TYPE_CHECKING:
    from collections.abc import Callable

    from sagemaker_containers.comparison.spec import ModelConfig, PromptItem

log = logging.getLogger(__name__)

EXIT_SPEC_REJECTED = 3  # as train.py's "input rejected": the launcher shows the reason
SPEC_FILE = "spec.json"
TINY_MARKER = "VITRINE_TINY.json"  # model_artifacts' tiny models carry it
# What each column type loads into the run (runners.Context.loaded), or its client.
LOADS = {"sdxl": "sdxl", "try_on": "try_on", "bedrock": "bedrock", "openai": "openai"}


@dataclass(frozen=True, slots=True)
class Paths:
    spec_dir: Path  # the spec's folder: relative image paths resolve here
    output_dir: Path
    base_dir: Path | None = None
    inpainting_dir: Path | None = None
    clip_dir: Path | None = None
    clipseg_dir: Path | None = None
    adapters_dir: Path | None = None

    @classmethod
    def from_models_dir(cls, models_dir: Path, **paths: Any) -> Paths:
        """The local layout: ``make models`` names (generation, inpainting, clip, clipseg)."""
        return cls(base_dir=models_dir / "generation", inpainting_dir=models_dir / "inpainting",
                   clip_dir=models_dir / "clip", clipseg_dir=models_dir / "clipseg", **paths)


@dataclass(slots=True)
class Hosted:
    """The outside world, injectable: env (OpenAI key) and client factories."""

    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    bedrock_client: Callable[[str | None], Any] | None = None
    http_client: Callable[[], Any] | None = None


def run(spec: Spec, paths: Paths, *, on_progress: Callable[[int, int], None] | None = None,
        hosted: Hosted | None = None) -> dict[str, Any]:
    """Run every column over every prompt, write the report; return the report."""
    started = time.monotonic()
    hosted = hosted or Hosted()
    out = paths.output_dir
    (out / report.IMAGES_DIR).mkdir(parents=True, exist_ok=True)
    names = [model.name for model in spec.models]
    total, done = len(spec.prompts) * len(spec.models), 0
    if on_progress:
        on_progress(0, total)
    scorer, scorer_entry = _scorer(paths.clip_dir)
    context = runners.Context(
        spec=spec, spec_dir=paths.spec_dir, base_dir=paths.base_dir,
        inpainting_dir=paths.inpainting_dir, clipseg_dir=paths.clipseg_dir,
        adapters_dir=paths.adapters_dir, env=hosted.env,
        bedrock_client=hosted.bedrock_client, http_client=hosted.http_client)
    columns: dict[str, tuple[str | None, list[dict[str, Any]]]] = {}
    order = execution_order(spec.models)
    for position, model in enumerate(order):
        runner, error = _runner(model, context)
        column = []
        for index, item in enumerate(spec.prompts):
            column.append(_cell(index, item, model, runner, error, scorer, out, started))
            done += 1
            if on_progress:
                on_progress(done, total)
        columns[model.name] = (error or _all_failed(column), column)
        del runner  # it holds its model: released below only if nothing else does
        # A model family no later column uses leaves the GPU to the next one.
        later = {LOADS[m.type] for m in order[position + 1:]}
        if LOADS[model.type] not in later:
            context.release(LOADS[model.type])
    models = [{"name": m.name, "type": m.type, "label": m.display, "error": columns[m.name][0]}
              for m in spec.models]
    cells = [cell for m in spec.models for cell in columns[m.name][1]]
    document = {
        "version": report.VERSION,
        "tiny_models": spec.tiny_models or _any_tiny(paths),
        "seed": spec.seed,
        "scorer": scorer_entry,
        "prompts": report.prompt_entries(spec.prompts, paths.spec_dir, out),
        "models": models,
        "cells": cells,
        "summary": aggregate.summary(cells, names, prompts=range(len(spec.prompts))),
        "ratings": {"raters": 0},
    }
    report.write(out, document)
    return document


def execution_order(models: list[ModelConfig]) -> list[ModelConfig]:
    """The columns grouped by the model they load (the spec's order within a group): each
    family is loaded once and released before the next (an SDXL base with its ControlNets
    and the try-on models need not fit on one GPU together)."""
    families = list(dict.fromkeys(LOADS[model.type] for model in models))
    return sorted(models, key=lambda model: families.index(LOADS[model.type]))


def _all_failed(column: list[dict[str, Any]]) -> str | None:
    """The column's error when every cell it attempted failed (the first one's why)."""
    attempted = [cell for cell in column if cell["status"] in ("succeeded", "failed")]
    if attempted and all(cell["status"] == "failed" for cell in attempted):
        return str(attempted[0]["error"])
    return None


def _scorer(clip_dir: Path | None) -> tuple[Any, dict[str, Any]]:
    """The CLIP scorer, or None with why (scores are then null; images still made)."""
    from sagemaker_containers.comparison.scoring import METRIC, ClipScorer

    entry: dict[str, Any] = {"metric": METRIC, "library": None, "model": None, "error": None}
    if clip_dir is None or not (clip_dir / "config.json").is_file():
        entry["error"] = f"no CLIP model at {clip_dir}: CLIP scores are not computed"
        return None, entry
    try:
        scorer = ClipScorer.load(clip_dir)
    except Exception as error:  # a broken CLIP folder costs the scores, not the images
        log.exception("CLIP model at %s did not load", clip_dir)
        entry["error"] = f"the CLIP model did not load: {report.why(error)}"
        return None, entry
    return scorer, {**scorer.describe(), "error": None}


def _runner(model: ModelConfig, context: runners.Context) -> tuple[Any, str | None]:
    try:
        return runners.build(model, context), None
    except runners.Unavailable as error:
        log.warning("column %s cannot run: %s", model.name, error)
        return None, report.why(error)
    except Exception as error:  # a model that will not load fails its column only
        log.exception("column %s failed to load", model.name)
        return None, f"the model did not load: {report.why(error)}"


def _cell(index: int, item: PromptItem, model: ModelConfig, runner: Any, error: str | None,
          scorer: Any, out: Path, started: float) -> dict[str, Any]:
    name = model.name
    if item.blocked:
        return report.cell(index, name, "blocked", moderation="blocked_prompt",
                           error=item.blocked)
    if runner is None:
        return report.cell(index, name, "failed", error=error)
    try:
        generated = runner.generate(item)
    except runners.Skipped as skipped:
        return report.cell(index, name, "skipped", error=report.why(skipped))
    except runners.Blocked as blocked:
        return report.cell(index, name, "blocked", moderation="blocked_by_provider",
                           error=report.why(blocked))
    except Exception as failure:  # one cell's failure is that cell's, never the report's
        log.exception("cell p%d × %s failed", index, name)
        return report.cell(index, name, "failed", error=report.why(failure))
    relative = f"{report.IMAGES_DIR}/p{index}-{name}.png"
    generated.image.save(out / relative)
    score = None
    if scorer is not None:
        try:
            score = scorer.score(generated.image, item.prompt)
        except Exception:  # the image stands; its score is unknown
            log.exception("CLIP score of p%d × %s failed", index, name)
    # Priced on the seconds the report shows, so its cost is exactly price × those seconds.
    seconds = round(generated.model_seconds, report.SECONDS_DIGITS)
    return report.cell(
        index, name, "succeeded", image=relative, seed=generated.seed, clip_score=score,
        model_seconds=seconds, wall_seconds=time.monotonic() - started,
        cost_usd=model.price.cost(seconds), moderation=generated.moderation)


def _any_tiny(paths: Paths) -> bool:
    folders = (paths.base_dir, paths.inpainting_dir, paths.clip_dir)
    return any(folder is not None and (folder / TINY_MARKER).is_file() for folder in folders)


# --- the batch entry point -----------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Run a model comparison (spec.json → report)")
    add = p.add_argument
    add("--spec", type=Path, default=Path(_channel("train")) / SPEC_FILE,
        help="spec.json (SageMaker channel 'train'; its images beside it)")
    add("--models_dir", type=Path, default=None,
        help="local models folder (generation/, inpainting/, clip/, clipseg/); "
             "default: the SageMaker channels")
    for name, channel, what in (("base_dir", "base", "the SDXL base"),
                                ("inpainting_dir", "inpainting", "the try-on model"),
                                ("clip_dir", "clip", "the CLIP scorer"),
                                ("clipseg_dir", "clipseg", "CLIPSeg (try-on masks)")):
        add(f"--{name}", type=Path, default=None,
            help=f"{what} (default: --models_dir's, else SageMaker channel '{channel}')")
    add("--adapters_dir", type=Path, default=Path(_channel("adapters")),
        help="tenant adapters by key (SageMaker channel 'adapters')")
    add("--output_dir", type=Path, default=Path(os.environ.get("SM_MODEL_DIR", "/opt/ml/model")))
    add("--progress_file", type=Path, default=None,
        help='where to keep {"done": cells, "total": cells} up to date')
    add("--failure_file", type=Path, default=None,
        help="where to write why the spec was rejected (default: SageMaker's)")
    return p.parse_args(argv)


def paths_of(args: argparse.Namespace) -> Paths:
    spec_dir = Path(args.spec).resolve().parent
    local = (Paths.from_models_dir(args.models_dir, spec_dir=spec_dir, output_dir=args.output_dir)
             if args.models_dir is not None else
             Paths(spec_dir=spec_dir, output_dir=args.output_dir, base_dir=Path(_channel("base")),
                   inpainting_dir=Path(_channel("inpainting")), clip_dir=Path(_channel("clip")),
                   clipseg_dir=Path(_channel("clipseg"))))
    chosen = {name: getattr(args, name) or getattr(local, name)
              for name in ("base_dir", "inpainting_dir", "clip_dir", "clipseg_dir")}
    return Paths(spec_dir=spec_dir, output_dir=args.output_dir, adapters_dir=args.adapters_dir,
                 **chosen)


def main(args: argparse.Namespace) -> dict[str, Any]:
    spec = load(args.spec)

    def progress(done: int, total: int) -> None:
        log.info("cells %d/%d", done, total)
        if args.progress_file is not None:
            write_progress(args.progress_file, done, total)

    return run(spec, paths_of(args), on_progress=progress)


def cli(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    args = parse_args(argv)
    try:
        main(args)
    except SpecError as error:
        _report_failure(args, str(error))
        return EXIT_SPEC_REJECTED
    return 0


if __name__ == "__main__":
    sys.exit(cli())
