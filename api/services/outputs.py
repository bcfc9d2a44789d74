"""Images out: decode what a model returned, moderate it, store it, hand out a URL."""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any

from api.domain.errors import ModelInvocationFailed
from api.domain.job_data import StoredImage, Withheld

if TYPE_CHECKING:
    from api.domain.commands import ResponseFormat
    from api.domain.results import DeliveredImage
    from api.ports import Moderator, ObjectStore


def model_image(value: Any, *, what: str) -> bytes:
    """Bytes of a base64 PNG/JPEG in a model's response; a bad one is the model's fault."""
    if not isinstance(value, str):
        raise ModelInvocationFailed(f"the model returned no {what}")
    try:
        data = binascii.a2b_base64(value, strict_mode=True)
    except (binascii.Error, ValueError) as exc:
        raise ModelInvocationFailed(f"the model returned an undecodable {what}") from exc
    if content_type_of(data) is None:
        raise ModelInvocationFailed(f"the model's {what} is not a PNG or JPEG image")
    return data


def content_type_of(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def expect(payload: Any, key: str, kind: type | tuple[type, ...], *, model: str) -> Any:
    """``payload[key]`` checked against ``kind``; a malformed response is the model's fault."""
    value = payload.get(key) if isinstance(payload, dict) else None
    # bool is an int subclass, and never what a model contract means by a number.
    if isinstance(value, bool) or not isinstance(value, kind):
        raise ModelInvocationFailed(f"{model} returned a malformed response (no valid {key!r})")
    return value


class ResultImages:
    """Output images in the results store.

    Parameters
    ----------
    results
        The results store; job results keep its keys (``{"key": ...}``), never URLs.
    moderator
        Checks each generated image before it is stored.
    url_ttl_seconds
        Lifetime of the URLs handed out.
    """

    def __init__(self, *, results: ObjectStore, moderator: Moderator, url_ttl_seconds: int) -> None:
        self._results = results
        self._moderator = moderator
        self._url_ttl = url_ttl_seconds

    def store(self, key: str, data: bytes, content_type: str | None = None) -> None:
        self._results.put(key, data,
                          content_type=content_type or content_type_of(data) or "image/png")

    def url(self, key: str) -> str:
        return self._results.url_for_get(key, expires_in=self._url_ttl)

    def deliver(self, key: str, data: bytes, fmt: ResponseFormat) -> DeliveredImage:
        """Base64 inline when asked (nothing stored), else store and return a short-lived URL."""
        from api.domain.results import DeliveredImage

        if fmt == "base64":
            return DeliveredImage(base64=base64.b64encode(data).decode("ascii"))
        self.store(key, data)
        return DeliveredImage(url=self.url(key))

    def delete_prefix(self, prefix: str) -> int:
        return self._results.delete_prefix(prefix)

    def store_moderated(
        self, prefix: str, images: list[Any]
    ) -> tuple[list[StoredImage], list[Withheld]]:
        """Store each model image that passes moderation as ``{prefix}image-{i}.png``.

        Returns the stored images (their keys become URLs in the job view) and the
        withheld ones, as job results report them.
        """
        passed, withheld = self.moderated(images)
        kept: list[StoredImage] = []
        for index, data in passed:
            key = f"{prefix}image-{index}.png"
            self.store(key, data)
            kept.append(StoredImage(key=key))
        return kept, withheld

    def moderated(self, images: list[Any]) -> tuple[list[tuple[int, bytes]], list[Withheld]]:
        """The model images that pass moderation (index, bytes), and the withheld ones."""
        passed: list[tuple[int, bytes]] = []
        withheld: list[Withheld] = []
        for index, value in enumerate(images):
            data = model_image(value, what="image")
            verdict = self._moderator.check_image(data)
            if verdict.flagged:
                withheld.append(Withheld(index=index, reasons=list(verdict.reasons)))
            else:
                passed.append((index, data))
        return passed, withheld
