"""The page's ``humanWinRates`` (report.js, run by Node) and the report's
``aggregate.human_win_rates`` (Python) give the same figures on the same picks: the hand
cases, then many random ones (repeated raters, repeated prompts, unknown prompts/models)."""

from __future__ import annotations

import random
from typing import Any

from sagemaker_containers.comparison.aggregate import human_win_rates
from tests.comparison.test_report_human_win_rates import CASES, MODELS, PROMPTS, run_js


def _random_ratings(rng: random.Random) -> list[dict[str, Any]]:
    raters = [f"r{i}" for i in range(rng.randint(1, 4))]
    return [
        {"rater": rng.choice(raters),
         "picks": [{"prompt": rng.choice([*PROMPTS, 7]),
                    "model": rng.choice([*MODELS, "unknown"])}
                   for _ in range(rng.randint(0, 5))]}
        for _ in range(rng.randint(0, 6))
    ]


def test_the_page_and_the_report_agree_on_human_win_rates() -> None:
    rng = random.Random(12)
    cases = [ratings for _, ratings, _, _ in CASES] + [_random_ratings(rng) for _ in range(200)]
    from_js = run_js([("humanWinRates", [ratings, MODELS, PROMPTS]) for ratings in cases])
    for ratings, js in zip(cases, from_js, strict=True):
        # Same IEEE division on both sides: equal exactly, not approximately.
        assert js == human_win_rates(ratings, MODELS, PROMPTS), ratings
    assert any(r["sdxl"]["human_picks"] for r in from_js)  # the random picks do pick
