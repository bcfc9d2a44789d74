"""JSON request bodies: parse them and read typed, bounded fields with clear errors."""

from __future__ import annotations

import json
import math
import os
from typing import Any

from .errors import InvalidInput

JSON = "application/json"


def parse_json(body: bytes | str, content_type: str | None) -> dict[str, Any]:
    """The request object; only ``application/json`` (any charset parameter) is served.

    The inference toolkit hands over ``str`` for JSON bodies and ``bytes`` otherwise.
    """
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type != JSON:
        raise InvalidInput(f"content type must be {JSON}, not {content_type!r}")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"body is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise InvalidInput("body must be a JSON object")
    return data


def check_accept(accept: str | None) -> None:
    """Responses are JSON; refuse an ``Accept`` that excludes it."""
    media_types = {part.split(";", 1)[0].strip().lower() for part in (accept or "").split(",")}
    if not media_types & {"", "*/*", "application/*", JSON}:
        raise InvalidInput(f"responses are {JSON}; cannot answer Accept {accept!r}")


def text(data: dict[str, Any], key: str, *, max_chars: int) -> str:
    """A required string field, stripped."""
    value = optional_text(data, key, max_chars=max_chars)
    if value is None:
        raise InvalidInput(f"'{key}' is required and must be a non-empty string")
    return value


def optional_text(data: dict[str, Any], key: str, *, max_chars: int) -> str | None:
    """A string field, stripped; missing, null and blank all give ``None``."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"'{key}' must be a string")
    value = value.strip()
    if len(value) > max_chars:
        raise InvalidInput(f"'{key}' is longer than {max_chars} characters")
    return value or None


def integer(data: dict[str, Any], key: str, *, default: int, low: int, high: int) -> int:
    """An integer in ``[low, high]``, ``default`` when missing."""
    value = optional_integer(data, key, low=low, high=high)
    return default if value is None else value


def optional_integer(data: dict[str, Any], key: str, *, low: int, high: int) -> int | None:
    """An integer in ``[low, high]`` or ``None`` (booleans and 2.5 are refused; 2.0 is 2)."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise InvalidInput(f"'{key}' must be an integer")
    if not low <= int(value) <= high:
        raise InvalidInput(f"'{key}' must be between {low} and {high}")
    return int(value)


def number(data: dict[str, Any], key: str, *, default: float, low: float, high: float) -> float:
    """A finite number in ``[low, high]``."""
    value = data.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput(f"'{key}' must be a number")
    if not low <= float(value) <= high:
        raise InvalidInput(f"'{key}' must be between {low} and {high}")
    return float(value)


def text_list(data: dict[str, Any], key: str, *, max_items: int, max_chars: int) -> list[str]:
    """A non-empty list of non-empty strings, each stripped."""
    value = data.get(key)
    if not isinstance(value, list) or not value:
        raise InvalidInput(f"'{key}' must be a non-empty list of strings")
    if len(value) > max_items:
        raise InvalidInput(f"'{key}' has {len(value)} items; at most {max_items} are allowed")
    items: list[str] = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise InvalidInput(f"'{key}[{index}]' must be a non-empty string")
        if len(item.strip()) > max_chars:
            raise InvalidInput(f"'{key}[{index}]' is longer than {max_chars} characters")
        items.append(item.strip())
    return items


def max_prompt_chars() -> int:
    """Same variable and default as the API's setting."""
    return int(os.environ.get("VITRINE_MAX_PROMPT_CHARS", "500"))
