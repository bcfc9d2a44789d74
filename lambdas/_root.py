"""The Lambdas' composition root: built on first use, kept for the execution environment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.bootstrap import build_root
from api.settings import get_settings

if TYPE_CHECKING:
    from api.bootstrap import Root

_root: Root | None = None


def root() -> Root:
    global _root
    if _root is None:
        _root = build_root(get_settings())
    return _root


def reset(replacement: Root | None = None) -> None:
    """Forget the root and settings (tests change the environment between cases), or
    run on ``replacement`` (tests: a root over adapters with fakes)."""
    global _root
    _root = replacement
    get_settings.cache_clear()
