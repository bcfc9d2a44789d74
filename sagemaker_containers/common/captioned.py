"""Captioned training sets (style, product, concept): images + ``metadata.jsonl``.

The layout is Hugging Face's ImageFolder convention, so a set made by hand or by
``datasets`` trains as is: one folder with the images and ``metadata.jsonl``, one JSON
object a line, ``{"file_name": "image-0.png", "text": "a red linen midi skirt"}``.
Every row is checked (file present, decodes, big enough, caption non-empty and short
enough for CLIP's 77 tokens) before any model loads, and every problem is reported at
once (``CaptionSetRejected``; train.py exits 3 with it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image, UnidentifiedImageError

from sagemaker_containers.avatar.photos import PhotoProblem, PhotoSetRejected, open_photo

if TYPE_CHECKING:
    from pathlib import Path

METADATA = "metadata.jsonl"
# CLIP reads 77 tokens (with start/end); a word is one or more: a cap in words is a guard
# against captions that would be cut mid-sentence, not an exact count.
MAX_CAPTION_WORDS = 60


class CaptionSetRejected(PhotoSetRejected):
    """The captioned set cannot be trained on; ``problems`` lists each bad row."""


@dataclass(frozen=True, slots=True)
class Captioned:
    image: Image.Image
    caption: str


def prompt_for(caption: str, token: str | None) -> str:
    """The training prompt: the caption, naming the token (prepended when it does not)."""
    if not token or token in caption.split():
        return caption
    return f"{token}, {caption}"


def load_captioned(
    directory: Path, *, min_count: int, max_count: int, min_side: int
) -> list[Captioned]:
    """The set's images with their captions, or ``CaptionSetRejected`` naming every problem."""
    index = directory / METADATA
    if not index.is_file():
        raise CaptionSetRejected(f"no {METADATA} in the training set", [])
    found: list[Captioned] = []
    problems: list[PhotoProblem] = []
    for number, line in enumerate(index.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row_name = f"{METADATA} line {number}"
        try:
            row = json.loads(line)
            name, caption = str(row["file_name"]), str(row.get("text") or "").strip()
        except (ValueError, KeyError, TypeError):
            problems.append(PhotoProblem(row_name, "not a JSON object with file_name and text"))
            continue
        if not caption:
            problems.append(PhotoProblem(name, "empty caption"))
            continue
        if len(caption.split()) > MAX_CAPTION_WORDS:
            problems.append(PhotoProblem(name, f"caption over {MAX_CAPTION_WORDS} words"))
            continue
        path = directory / name
        if "/" in name or name.startswith(".") or not path.is_file():
            problems.append(PhotoProblem(name, "no such image in the set"))
            continue
        try:
            image = open_photo(path)
        except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
                ValueError):
            problems.append(PhotoProblem(name, "not a readable image (JPEG, PNG or WebP)"))
            continue
        if min(image.size) < min_side:
            width, height = image.size
            problems.append(PhotoProblem(name, f"{width}x{height} is smaller than {min_side} px"))
            continue
        found.append(Captioned(image, caption))
    if problems or not min_count <= len(found) <= max_count:
        summary = (f"training set rejected: {len(found)} usable captioned image(s), "
                   f"{min_count}-{max_count} required")
        raise CaptionSetRejected(summary, problems)
    return found
