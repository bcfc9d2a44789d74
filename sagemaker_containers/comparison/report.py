"""The ``report.json`` document: its cells, prompts and models, and writing it out.

Image paths in it are relative to the output folder (``images/p0-sdxl.png``, and the
rows' inputs copied to ``inputs/``), so the folder is the report: the API stores it and
replaces the paths with URLs in its view, the page opens it from disk. ``write`` hands
the document to CMPPAGE's ``report_writer`` (``report.html``, ``contact-sheet.png``)
when that module is there; ``report.json`` is written either way.
"""

from __future__ import annotations

import importlib
import json
import logging
import math
import shutil
from typing import TYPE_CHECKING, Any

from sagemaker_containers.comparison.spec import resolve

if TYPE_CHECKING:
    from pathlib import Path

    from sagemaker_containers.comparison.runners import Moderation
    from sagemaker_containers.comparison.spec import PromptItem

log = logging.getLogger(__name__)

VERSION = 1
IMAGES_DIR, INPUTS_DIR = "images", "inputs"
REPORT_FILE = "report.json"
WRITER_MODULE = "sagemaker_containers.comparison.report_writer"
MAX_ERROR = 500  # a cell's "why": the first line of an exception, bounded
SECONDS_DIGITS = 4  # seconds as the report shows them (a cell's cost is priced on these)


def cell(prompt: int, model: str, status: str, *, image: str | None = None,
         seed: int | None = None, clip_score: float | None = None,
         model_seconds: float | None = None, wall_seconds: float | None = None,
         cost_usd: float | None = None, moderation: Moderation = "not_checked",
         error: str | None = None) -> dict[str, Any]:
    return {
        "prompt": prompt, "model": model, "status": status, "image": image, "seed": seed,
        "clip_score": _round(clip_score, 4), "model_seconds": _round(model_seconds, SECONDS_DIGITS),
        "wall_seconds": _round(wall_seconds, SECONDS_DIGITS), "cost_usd": _round(cost_usd, 8),
        "moderation": moderation, "error": error[:MAX_ERROR] if error else None,
    }


def why(error: BaseException) -> str:
    """A cell's reason from an exception: its message (a type name when it has none)."""
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def prompt_entries(items: list[PromptItem], spec_dir: Path, out_dir: Path
                   ) -> list[dict[str, Any]]:
    """The report's ``prompts``, each row's input photos copied under ``inputs/``."""
    entries = []
    for index, item in enumerate(items):
        entry: dict[str, Any] = {"index": index, "prompt": item.prompt,
                                 "negative_prompt": item.negative_prompt}
        for field, stem in (("reference_image", "ref"), ("person_image", "person")):
            entry[field] = _copy_input(resolve(spec_dir, getattr(item, field)), out_dir,
                                       f"{stem}-{index}")
        if item.blocked:
            entry["blocked"] = item.blocked
        entries.append(entry)
    return entries


def _copy_input(source: Path | None, out_dir: Path, stem: str) -> str | None:
    if source is None or not source.is_file():
        return None  # a missing file fails the cells that need it, with its path
    relative = f"{INPUTS_DIR}/{stem}{source.suffix.lower()}"
    (out_dir / INPUTS_DIR).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, out_dir / relative)
    return relative


def write(out_dir: Path, report: dict[str, Any]) -> Path:
    """``report.json`` (always), then the page and contact sheet when the writer is here.

    The page is a view of the document: if rendering it fails, the run still has its
    figures (the error is logged, ``report.json`` stays).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / REPORT_FILE
    target.write_text(json.dumps(report, indent=2, allow_nan=False) + "\n", encoding="utf-8")
    try:
        writer = importlib.import_module(WRITER_MODULE)
    except ImportError:
        return target
    try:
        page: Path = writer.write(out_dir, report)
    except Exception:  # the figures are written; the page is secondary
        log.exception("the report page could not be written; report.json is complete")
        return target
    return page


def _round(value: float | None, digits: int) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(float(value), digits)
