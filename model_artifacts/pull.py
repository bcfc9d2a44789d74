"""Fetch the real weights from the Hugging Face Hub into ``models/<name>``.

Run this on a machine with network access (never in tests, never on the API's path)::

    python -m model_artifacts pull avatar            # → models/avatar
    python -m model_artifacts pull blip2 --revision <commit>

Then ``python -m model_artifacts pack models/<name> --container <name>`` and
``upload``. Only the diffusers/transformers safetensors files are fetched (no ``.ckpt``,
``.bin`` or other-framework duplicates), and ``VITRINE_PULL.json`` records the exact
repository and the commit that was fetched. Gated repositories need ``HF_TOKEN``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import argparse

MARKER = "VITRINE_PULL.json"


@dataclass(frozen=True, slots=True)
class Source:
    repo_id: str
    allow_patterns: tuple[str, ...]


# README.md: the model card, whose licence the loaders check (common/licences.py).
_DIFFUSERS = ("README.md", "model_index.json", "*/config.json", "*/*.json", "*/*.txt",
              "*/diffusion_pytorch_model.safetensors", "*/model.safetensors")
_TRANSFORMERS = ("README.md", "*.json", "*.txt", "*.model", "*.safetensors")

# Model name (the folder under models/, as the runtime resolves it) → where it comes from.
SOURCES: dict[str, Source] = {
    "clipseg": Source("CIDAS/clipseg-rd64-refined", _TRANSFORMERS),
    "inpainting": Source("stabilityai/stable-diffusion-2-inpainting", _DIFFUSERS),
    # The garment-photo model inside the try-on folder: SDXL inpainting, then the
    # IP-Adapter (SDXL weights for the ViT-H encoder, and that encoder) in h94's layout.
    "inpainting/garment": Source("diffusers/stable-diffusion-xl-1.0-inpainting-0.1",
                                 _DIFFUSERS),
    "inpainting/garment/ip_adapter": Source(
        "h94/IP-Adapter",
        ("README.md", "sdxl_models/ip-adapter_sdxl_vit-h.safetensors",
         "models/image_encoder/config.json", "models/image_encoder/model.safetensors"),
    ),
    # The avatar base: SD 2.1 at 512 px (epsilon prediction), what train.py fine-tunes.
    "avatar": Source("stabilityai/stable-diffusion-2-1-base", _DIFFUSERS),
    "blip2": Source("Salesforce/blip2-flan-t5-xl", _TRANSFORMERS),
    # The comparisons' CLIP score (comparison/scoring.py): the model the metric is quoted on.
    "clip": Source("openai/clip-vit-large-patch14", _TRANSFORMERS),
}

class Hub(Protocol):
    def resolve(self, repo_id: str, revision: str | None) -> str:
        """The commit ``revision`` (default branch when ``None``) points at."""

    def download(self, repo_id: str, commit: str, local_dir: Path,
                 allow_patterns: list[str]) -> None: ...


class HuggingFaceHub:
    """``Hub`` over ``huggingface_hub`` (network; honours ``HF_TOKEN``, ``HF_ENDPOINT``)."""

    def resolve(self, repo_id: str, revision: str | None) -> str:
        from huggingface_hub import HfApi

        sha = HfApi().model_info(repo_id, revision=revision).sha
        if not sha:
            raise RuntimeError(f"the Hub gave no commit for {repo_id}@{revision or 'main'}")
        return str(sha)

    def download(self, repo_id: str, commit: str, local_dir: Path,
                 allow_patterns: list[str]) -> None:
        from huggingface_hub import snapshot_download

        snapshot_download(repo_id, revision=commit, local_dir=str(local_dir),
                          allow_patterns=allow_patterns)


def pull(
    name: str,
    models_dir: Path,
    *,
    repo_id: str | None = None,
    revision: str | None = None,
    hub: Hub | None = None,
) -> Path:
    """Download ``name`` into ``models_dir/name``, pinned to one commit; return the folder."""
    if name not in SOURCES and repo_id is None:
        raise ValueError(f"unknown model {name!r}; known: {', '.join(sorted(SOURCES))} "
                         "(or pass repo_id)")
    patterns = SOURCES[name].allow_patterns if name in SOURCES else _TRANSFORMERS + _DIFFUSERS
    repo = repo_id or SOURCES[name].repo_id
    target = models_dir / name
    # A nested model (inpainting/garment) must not land inside a tiny one either.
    for folder in (target, *target.relative_to(models_dir).parents):
        held = folder if folder == target else models_dir / folder
        if (held / "VITRINE_TINY.json").is_file():
            raise ValueError(f"{held} holds a tiny test model; remove it before pulling")
    hub = hub or HuggingFaceHub()
    # Resolve first, then fetch that commit: every file comes from the same snapshot.
    commit = hub.resolve(repo, revision)
    hub.download(repo, commit, target, list(patterns))
    (target / MARKER).write_text(json.dumps({
        "repo_id": repo,
        "revision": revision,
        "commit": commit,
        "pulled_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }, indent=2) + "\n", encoding="utf-8")
    return target


def configure_pull(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", help=f"one of {', '.join(sorted(SOURCES))} (or any, with "
                        "--repo-id)")
    parser.add_argument("--models-dir", type=Path, default=Path("models"))
    parser.add_argument("--repo-id", default=None, help="override the Hub repository")
    parser.add_argument("--revision", default=None, help="branch, tag or commit to fetch")


def run_pull(args: argparse.Namespace) -> int:
    target = pull(args.name, args.models_dir, repo_id=args.repo_id, revision=args.revision)
    print(target)
    return 0
