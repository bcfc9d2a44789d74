"""The API's human win rate (``api/domain/ratings.py``) agrees with the run's
(``sagemaker_containers.comparison.aggregate.human_win_rates``, which the report page's
script is held to) on the same picks: hand cases and random pick sets."""

from __future__ import annotations

import random

import pytest

from api.domain.ratings import Pick, Rating, human_win_rates
from sagemaker_containers.comparison.aggregate import human_win_rates as run_rates

MODELS = ["sdxl", "sdxl-product", "controlnet", "nova"]


def both(ratings: list[Rating], prompts: int) -> tuple[dict, dict]:
    ours, counts = human_win_rates(ratings, MODELS)
    documents = [{"rater": r.rater, "picks": [{"prompt": p.prompt, "model": p.model}
                                              for p in r.picks]} for r in ratings]
    theirs = run_rates(documents, MODELS, range(prompts))
    return ({m: (ours[m], counts[m]) for m in MODELS},
            {m: (theirs[m]["human_win_rate"], theirs[m]["human_picks"]) for m in MODELS})


def test_no_picks_is_no_rate_not_zero() -> None:
    ours, theirs = both([], 3)
    assert ours == theirs == dict.fromkeys(MODELS, (None, 0))


def test_two_raters_split_the_picks() -> None:
    ratings = [Rating("alice", (Pick(0, "sdxl"), Pick(1, "nova"))),
               Rating("bob", (Pick(0, "sdxl"),))]
    ours, theirs = both(ratings, 2)
    assert ours == theirs
    assert ours["sdxl"] == (pytest.approx(2 / 3), 2)


@pytest.mark.parametrize("seed", range(100))
def test_random_pick_sets_agree(seed: int) -> None:
    rng = random.Random(seed)
    prompts = rng.randint(1, 8)
    ratings = [
        Rating(f"rater-{n}", tuple(Pick(p, rng.choice(MODELS))
                                   for p in rng.sample(range(prompts), rng.randint(0, prompts))))
        for n in range(rng.randint(0, 5))
    ]
    ours, theirs = both(ratings, prompts)
    assert ours.keys() == theirs.keys()
    for model in MODELS:
        assert ours[model][1] == theirs[model][1]
        assert ours[model][0] == pytest.approx(theirs[model][0])
