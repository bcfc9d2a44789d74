"""An adapter built on its first use: ``lazy(factory)`` stands in for what ``factory`` builds.

The API Lambda builds every port at start-up, but most requests use a few: a job poll
never trains, a try-on never writes copy. The AWS wiring hands the rarely used ports
(training, the avatar registry, Bedrock, moderation, the model runtime, webhooks) to
``lazy`` with a factory that imports their module, so a cold start imports none of them
(nor ``tarfile``, ``unicodedata``, …) until a request calls one. Building is cheap and
calls no AWS (clients are built on first use anyway), so only the import moves.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from collections.abc import Callable

T = TypeVar("T")


class _Lazy:
    """Delegates every attribute to the object ``factory`` builds, building it once."""

    __slots__ = ("_factory", "_lock", "_target")

    def __init__(self, factory: Callable[[], object]) -> None:
        self._factory = factory
        self._lock = threading.Lock()
        self._target: object | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._get(), name)

    def __repr__(self) -> str:
        built = "not built" if self._target is None else repr(self._target)
        return f"lazy({built})"

    def _get(self) -> object:
        target = self._target
        if target is None:
            with self._lock:  # sync routes run in a thread pool
                if self._target is None:
                    self._target = self._factory()
                target = self._target
        return target


def lazy(factory: Callable[[], T]) -> T:
    """A stand-in for ``factory()`` that calls it on its first attribute access."""
    return cast("T", _Lazy(factory))
