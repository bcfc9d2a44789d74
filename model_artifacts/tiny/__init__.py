"""Tiny random-weight models, built offline, in the real checkpoints' layouts.

The container handlers load them with the very code that loads the real weights, so
tests and the demo exercise the real loading and inference paths in seconds on a CPU.
Their outputs are noise: a marker file says so (``is_tiny``), for whoever shows them.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from model_artifacts.tiny import blip2, clip, clipseg, generation, inpainting, stable_diffusion

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

MARKER = "VITRINE_TINY.json"
# Model name (the folder under the models dir, as the runtime resolves it) → builder.
BUILDERS: dict[str, Callable[[Path], Path]] = {
    "clipseg": clipseg.build,
    "inpainting": inpainting.build,
    "blip2": blip2.build,
    # The avatar base: a text-to-image pipeline that DreamBooth-LoRA adapters apply to.
    "avatar": stable_diffusion.build,
    # SDXL text-to-image (+ turbo, ControlNets) that tenant LoRAs and concepts apply to.
    "generation": generation.build,
    # The comparisons' CLIP-score model (real: openai/clip-vit-large-patch14).
    "clip": clip.build,
}


def recipe() -> str:
    """A digest of the builders' source: a tiny model built by other code is stale (a
    model that gained a part, such as the garment model in ``inpainting/``, must not be
    kept from before)."""
    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()[:16]


def _marker(model_dir: Path) -> dict[str, object] | None:
    try:
        marker = json.loads((Path(model_dir) / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) else None


def is_tiny(model_dir: Path) -> bool:
    """Whether ``model_dir`` holds a complete tiny model built here."""
    marker = _marker(model_dir)
    return marker is not None and marker.get("tiny") is True


def build_all(
    out_dir: Path,
    force: bool = False,
    names: Iterable[str] | None = None,
    progress: bool = True,
) -> dict[str, Path]:
    """Build each tiny model into ``out_dir/<name>``; return the folders.

    A folder that already holds a tiny model of the current ``recipe`` is kept unless
    ``force``; one built by older builders is rebuilt. A non-empty
    folder without the marker (e.g. real weights put there) is never touched. Each
    model is built in a scratch folder and renamed into place once complete, so an
    interrupted build leaves nothing half-written behind.
    """
    from tqdm import tqdm

    selected = list(names) if names is not None else list(BUILDERS)
    unknown = set(selected) - set(BUILDERS)
    if unknown:
        raise ValueError(f"unknown tiny models: {', '.join(sorted(unknown))}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    built: dict[str, Path] = {}
    with _quiet_transformers(), tqdm(selected, desc="tiny models", unit="model",
                                     disable=not progress) as bar:
        for name in bar:
            bar.set_postfix_str(name)
            target = out_dir / name
            if target.exists() and not is_tiny(target) and any(target.iterdir()):
                bar.write(f"{name}: {target} holds another model; left alone")
                built[name] = target
                continue
            if is_tiny(target) and not force:
                if (_marker(target) or {}).get("recipe") == recipe():
                    bar.write(f"{name}: {target} is already built (--force rebuilds)")
                    built[name] = target
                    continue
                bar.write(f"{name}: {target} was built by older builders; rebuilding")
            built[name] = _build_one(name, target)
    return built


def _build_one(name: str, target: Path) -> Path:
    scratch = target.with_name(f".{target.name}.partial")
    shutil.rmtree(scratch, ignore_errors=True)
    started = time.perf_counter()
    BUILDERS[name](scratch)
    marker = {
        "tiny": True,
        "weights": "random",
        "model": name,
        "recipe": recipe(),
        "note": "random weights for tests and demos: outputs are noise",
        "seconds_to_build": round(time.perf_counter() - started, 3),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": {pkg: _version(pkg) for pkg in ("torch", "transformers", "diffusers")},
    }
    # The marker goes last: its presence means the folder is complete.
    (scratch / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    scratch.rename(target)
    return target


def _version(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


@contextmanager
def _quiet_transformers() -> Iterator[None]:
    """Silence transformers' per-file progress bars while ours runs."""
    from transformers.utils import logging

    was_enabled = logging.is_progress_bar_enabled()
    logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            logging.enable_progress_bar()
