"""Text going to a model: trimmed, bounded, and through the moderation gate."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from api.domain.errors import ContentFlagged, RequestValidationFailed

if TYPE_CHECKING:
    from api.ports import Moderator


# Lone surrogates (JSON "\ud800" decodes to one; no encoder accepts it) and control
# characters other than tab and line breaks (C0, DEL, C1).
_NOT_TEXT = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def check_text(text: str, *, field: str) -> None:
    """422 ``validation-error`` for text no model should see: lone surrogates, controls."""
    bad = _NOT_TEXT.search(text)
    if bad is not None:
        raise RequestValidationFailed(
            f"{field} contains a character that is not text (U+{ord(bad.group()):04X} at "
            f"position {bad.start()})"
        )


class PromptGate:
    """Text going to a model: trimmed, bounded to ``max_chars``, moderated.

    Parameters
    ----------
    moderator
        Flags unwanted text.
    max_chars
        ``VITRINE_MAX_PROMPT_CHARS``.
    """

    def __init__(self, *, moderator: Moderator, max_chars: int) -> None:
        self._moderator = moderator
        self.max_chars = max_chars

    def clean(self, text: str, *, field: str, moderate: bool = True) -> str:
        """Return ``text`` stripped; raise unless it is non-empty, bounded and (if asked) clean.

        Negative prompts are not moderated: they list what must *not* appear, and often
        name exactly the content a blocklist flags.
        """
        check_text(text, field=field)
        cleaned = text.strip()
        if not cleaned:
            raise RequestValidationFailed(f"{field} must not be empty")
        limit = self.max_chars
        if len(cleaned) > limit:
            raise RequestValidationFailed(
                f"{field} is {len(cleaned)} characters; the limit is {limit}"
            )
        if moderate:
            self.moderate(cleaned, field=field)
        return cleaned

    def moderate(self, text: str, *, field: str) -> None:
        """Raise ``ContentFlagged`` if the moderator flags ``text`` (422 if it is not text)."""
        check_text(text, field=field)
        verdict = self._moderator.check_text(text)
        if verdict.flagged:
            raise ContentFlagged(f"{field} was flagged by moderation", reasons=verdict.reasons)


def check_range(value: float, *, low: float, high: float, field: str) -> None:
    """Settings-dependent bounds the schema cannot know; 422 ``validation-error`` outside."""
    if not low <= value <= high:
        raise RequestValidationFailed(f"{field} must be between {low} and {high}; got {value}")
