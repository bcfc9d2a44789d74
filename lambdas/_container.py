"""The Lambdas' container: built on first use, kept for the execution environment."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from api.bootstrap import build_container
from api.settings import get_settings

if TYPE_CHECKING:
    from api.bootstrap import Container


@lru_cache(maxsize=1)
def container() -> Container:
    return build_container(get_settings())


def reset() -> None:
    """Forget the container and settings (tests change the environment between cases)."""
    container.cache_clear()
    get_settings.cache_clear()
