"""Ratings of a comparison: each rater's pick of the best model per prompt, and the
human win rate they give each model.

A rater's later ratings replace theirs. A model's human win rate is its share of all
picks (every rater's, every prompt's); with no picks it is ``None`` (not 0: nobody has
judged yet). ``sagemaker_containers.comparison.aggregate.human_win_rates`` and the
report page's script compute the same figure (a test holds them to it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence


@dataclass(frozen=True, slots=True)
class Pick:
    """A rater's best model for one prompt (the prompt's row index)."""

    prompt: int
    model: str


@dataclass(frozen=True, slots=True)
class Rating:
    rater: str
    picks: tuple[Pick, ...]


def human_win_rates(
    ratings: Iterable[Rating], models: Sequence[str]
) -> tuple[dict[str, float | None], dict[str, int]]:
    """Each model's human win rate and pick count over ``ratings`` (one per rater)."""
    counts = dict.fromkeys(models, 0)
    for rating in ratings:
        for pick in rating.picks:
            if pick.model in counts:
                counts[pick.model] += 1
    total = sum(counts.values())
    rates = {m: (n / total if total else None) for m, n in counts.items()}
    return rates, counts
