"""Images out: decode what a model returned, store it, hand out a URL (or base64)."""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any

from api.domain.errors import ModelInvocationFailed
from api.schemas.common import ImageOut

if TYPE_CHECKING:
    from api.bootstrap import Container
    from api.schemas.common import ResponseFormat


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


def store_result(container: Container, key: str, data: bytes) -> None:
    container.results.put(key, data, content_type=content_type_of(data) or "image/png")


def result_url(container: Container, key: str) -> str:
    return container.results.url_for_get(key, expires_in=container.settings.url_ttl_seconds)


def deliver(container: Container, key: str, data: bytes, fmt: ResponseFormat) -> ImageOut:
    """Base64 inline when asked (nothing stored), else store and return a short-lived URL."""
    if fmt == "base64":
        return ImageOut(base64=base64.b64encode(data).decode("ascii"))
    store_result(container, key, data)
    return ImageOut(url=result_url(container, key))


def with_urls(container: Container, value: Any) -> Any:
    """A stored job result with every ``{"key": ...}`` replaced by a fresh ``{"url": ...}``.

    Results keep object keys, never URLs: URLs expire, keys do not.
    """
    if isinstance(value, dict):
        if isinstance(value.get("key"), str):
            rest = {k: with_urls(container, v) for k, v in value.items() if k != "key"}
            return {"url": result_url(container, value["key"]), **rest}
        return {k: with_urls(container, v) for k, v in value.items()}
    if isinstance(value, list):
        return [with_urls(container, v) for v in value]
    return value


def expect(payload: Any, key: str, kind: type | tuple[type, ...], *, model: str) -> Any:
    """``payload[key]`` checked against ``kind``; a malformed response is the model's fault."""
    value = payload.get(key) if isinstance(payload, dict) else None
    # bool is an int subclass, and never what a model contract means by a number.
    if isinstance(value, bool) or not isinstance(value, kind):
        raise ModelInvocationFailed(f"{model} returned a malformed response (no valid {key!r})")
    return value


def store_moderated_images(
    container: Container, prefix: str, images: list[Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Store each model image that passes moderation as ``{prefix}image-{i}.png``.

    Returns the stored ``[{"key"}]`` (turned into URLs by the job view) and the
    withheld ``[{"index", "reasons"}]``, as try-on results report them.
    """
    kept: list[dict[str, Any]] = []
    withheld: list[dict[str, Any]] = []
    for index, value in enumerate(images):
        data = model_image(value, what="image")
        verdict = container.moderator.check_image(data)
        if verdict.flagged:
            withheld.append({"index": index, "reasons": verdict.reasons})
            continue
        key = f"{prefix}image-{index}.png"
        store_result(container, key, data)
        kept.append({"key": key})
    return kept, withheld
