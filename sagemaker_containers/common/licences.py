"""Licences are part of the product: refuse weights whose model card forbids commercial use.

A Hugging Face model folder carries its card as ``README.md`` with YAML front matter;
its ``license:`` is an SPDX-like id (``apache-2.0``, ``openrail++``, ``cc-by-nc-sa-4.0``).
``check`` refuses a folder whose card declares a non-commercial licence unless
``VITRINE_ALLOW_NONCOMMERCIAL_MODELS`` is true (research deployments; README "Licences").
A folder without a card (tiny models, weights assembled by hand) is not judged here.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

CARD = "README.md"
# Hub licence ids that forbid commercial use (CC "NC" variants, research-only licences).
_NONCOMMERCIAL = re.compile(
    r"(^|-)nc(-|$)|non-?commercial|research-only|deepfloyd-if-license|"
    r"stable-video-diffusion-(nc-)?community|ai-pubs-open-rail-m",
    re.IGNORECASE,
)
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(\n|\Z)", re.DOTALL)
_LICENSE_LINE = re.compile(r"^license:\s*['\"]?([^'\"\s#]+)", re.MULTILINE)
# With ``license: other`` the Hub names the licence here (SDXL-Turbo: ``sai-nc-community``).
_LICENSE_NAME_LINE = re.compile(r"^license_name:\s*['\"]?([^'\"\s#]+)", re.MULTILINE)


class NonCommercialModel(RuntimeError):
    """A configured model folder's card declares a non-commercial licence."""


def declared_licence(model_dir: Path) -> str | None:
    """The ``license:`` of ``model_dir/README.md``'s front matter, if any; for ``other``,
    its ``license_name:`` (where the Hub keeps custom licences) when there is one."""
    try:
        text = (model_dir / CARD).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    front = _FRONT_MATTER.match(text)
    if front is None:
        return None
    found = _LICENSE_LINE.search(front.group(1))
    licence = found.group(1).strip().lower() if found else None
    if licence == "other":
        named = _LICENSE_NAME_LINE.search(front.group(1))
        if named:
            return named.group(1).strip().lower()
    return licence


def is_noncommercial(licence: str) -> bool:
    return bool(_NONCOMMERCIAL.search(licence))


def allowed_noncommercial() -> bool:
    value = os.environ.get("VITRINE_ALLOW_NONCOMMERCIAL_MODELS", "")
    return value.strip().lower() in {"1", "true", "yes", "on"}


def check(model_dir: Path) -> str | None:
    """Raise ``NonCommercialModel`` for a non-commercial card (unless allowed); return the
    declared licence."""
    licence = declared_licence(model_dir)
    if licence is not None and is_noncommercial(licence) and not allowed_noncommercial():
        raise NonCommercialModel(
            f"{model_dir} declares the non-commercial licence {licence!r}; this API is "
            "commercial. Use another model, or set VITRINE_ALLOW_NONCOMMERCIAL_MODELS=true "
            "for a research deployment"
        )
    return licence
