"""Prompt sets: an inline list, a CSV or a JSON Lines file, as the spec's ``prompts``.

Each row has a ``prompt`` and optionally ``negative_prompt``, ``reference_image`` (the
ControlNet input), ``person_image`` (try-on) and ``mask_image``. A row's image paths are
relative to the file's folder; ``load`` makes them absolute so the spec that carries them
can live anywhere. A plain string is a row with only a prompt. ``.txt``: one prompt a line.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sagemaker_containers.comparison.spec import PromptItem, SpecError

IMAGE_FIELDS = ("reference_image", "person_image", "mask_image")
FORMATS = (".csv", ".jsonl", ".txt")


def from_rows(rows: list[Any], base_dir: Path | None = None) -> list[PromptItem]:
    """Rows (strings or mappings) as prompt items; relative image paths under ``base_dir``."""
    items: list[PromptItem] = []
    for number, row in enumerate(rows, start=1):
        fields = {"prompt": row} if isinstance(row, str) else row
        if not isinstance(fields, dict):
            raise SpecError(f"prompt {number}: expected a string or an object")
        # Columns the contract does not know (a catalogue's id, notes) are the file's own.
        fields = {k: v for k, v in fields.items() if k in PromptItem.model_fields}
        if base_dir is not None:
            for name in IMAGE_FIELDS:
                value = fields.get(name)
                if isinstance(value, str) and value and not Path(value).is_absolute():
                    fields[name] = str((base_dir / value).resolve())
        try:
            items.append(PromptItem.model_validate(fields))
        except ValidationError as error:
            problems = "; ".join(f"{'.'.join(map(str, p['loc']))}: {p['msg']}"
                                 for p in error.errors(include_url=False))
            raise SpecError(f"prompt {number}: {problems}") from error
    if not items:
        raise SpecError("the prompt set is empty")
    return items


def load(path: Path) -> list[PromptItem]:
    """The prompt set in ``path`` (``.csv`` with a header row, ``.jsonl``, ``.txt``)."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        text = path.read_text(encoding="utf-8-sig")  # spreadsheets write a BOM
    except OSError as error:
        raise SpecError(f"cannot read the prompt set {path}: {error}") from error
    rows: list[Any]
    if suffix == ".csv":
        reader = csv.DictReader(text.splitlines())
        if reader.fieldnames is None or "prompt" not in reader.fieldnames:
            raise SpecError(f"{path.name}: the header row needs a 'prompt' column")
        rows = [dict(row) for row in reader]
    elif suffix == ".jsonl":
        rows = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except ValueError as error:
                    raise SpecError(f"{path.name} line {number}: {error}") from error
    elif suffix == ".txt":
        rows = [line.strip() for line in text.splitlines() if line.strip()]
    else:
        raise SpecError(f"{path.name}: a prompt set is one of {', '.join(FORMATS)}")
    return from_rows(rows, base_dir=path.parent.resolve())
