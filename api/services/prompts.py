"""Text going to a model: trimmed, bounded, and through the moderation gate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.domain.errors import ContentFlagged, RequestValidationFailed

if TYPE_CHECKING:
    from api.ports import Moderator


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
        """Raise ``ContentFlagged`` if the moderator flags ``text``."""
        verdict = self._moderator.check_text(text)
        if verdict.flagged:
            raise ContentFlagged(f"{field} was flagged by moderation", reasons=verdict.reasons)


def check_range(value: float, *, low: float, high: float, field: str) -> None:
    """Settings-dependent bounds the schema cannot know; 422 ``validation-error`` outside."""
    if not low <= value <= high:
        raise RequestValidationFailed(f"{field} must be between {low} and {high}; got {value}")
