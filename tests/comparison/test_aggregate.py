"""Aggregates: percentiles as numpy computes them, CLIP win rate with ties, human win rate."""

from __future__ import annotations

import numpy as np
import pytest

from sagemaker_containers.comparison.aggregate import (
    clip_win_rates,
    distribution,
    human_win_rates,
    summary,
)

MODELS = ["sdxl", "lora", "nova"]


def cell(prompt: int, model: str, score: float | None, status: str = "succeeded",
         **extra: object) -> dict[str, object]:
    return {"prompt": prompt, "model": model, "status": status, "clip_score": score,
            "model_seconds": extra.get("model_seconds", 1.0),
            "wall_seconds": extra.get("wall_seconds", 2.0), "cost_usd": extra.get("cost")}


def test_distribution_matches_numpy_percentiles() -> None:
    values = [3.1, 0.2, 9.7, 4.4, 4.4, 12.0, 7.5]
    figures = distribution([*values, None, float("nan")])  # unknowns are left out
    assert figures["mean"] == pytest.approx(np.mean(values), abs=1e-4)
    assert figures["p50"] == pytest.approx(np.percentile(values, 50), abs=1e-4)
    assert figures["p95"] == pytest.approx(np.percentile(values, 95), abs=1e-4)
    assert distribution([5.0]) == {"mean": 5.0, "p50": 5.0, "p95": 5.0}
    assert distribution([None]) == {"mean": None, "p50": None, "p95": None}


def test_clip_win_rate_counts_contested_prompts_and_splits_ties() -> None:
    cells = [
        cell(0, "sdxl", 30.0), cell(0, "lora", 25.0), cell(0, "nova", 20.0),  # sdxl wins
        cell(1, "sdxl", 22.0), cell(1, "lora", 22.0), cell(1, "nova", None, "failed"),  # tie
        cell(2, "nova", 35.0), cell(2, "sdxl", None, "failed"),  # uncontested: not counted
    ]
    rates = clip_win_rates(cells, MODELS)
    assert rates == {"sdxl": pytest.approx(0.75), "lora": pytest.approx(0.25), "nova": 0.0}
    assert sum(v for v in rates.values() if v is not None) == pytest.approx(1.0)
    assert clip_win_rates([cell(0, "sdxl", 1.0)], MODELS) == dict.fromkeys(MODELS)


def test_human_win_rate_one_pick_per_rater_per_prompt_latest_wins() -> None:
    ratings = [
        {"rater": "alice", "picks": [{"prompt": 0, "model": "sdxl"},
                                     {"prompt": 1, "model": "nova"}]},
        {"rater": "bob", "picks": [{"prompt": 0, "model": "lora"},
                                   {"prompt": 0, "model": "nova"},  # same prompt: replaces
                                   {"prompt": 9, "model": "sdxl"},  # unknown prompt
                                   {"prompt": 1, "model": "dall-e"}]},  # unknown model
    ]
    rates = human_win_rates(ratings, MODELS, range(2))
    assert rates == {"sdxl": {"human_win_rate": pytest.approx(1 / 3), "human_picks": 1},
                     "lora": {"human_win_rate": 0.0, "human_picks": 0},
                     "nova": {"human_win_rate": pytest.approx(2 / 3), "human_picks": 2}}
    # When alice rates again, her new rating replaces her old one as a whole
    again = human_win_rates([*ratings, {"rater": "alice", "picks": [
        {"prompt": 0, "model": "lora"}]}], MODELS, range(2))
    assert again["lora"] == {"human_win_rate": 0.5, "human_picks": 1}
    assert again["sdxl"]["human_picks"] == 0
    assert human_win_rates([], MODELS, range(2))["sdxl"] == {"human_win_rate": None,
                                                             "human_picks": 0}


def test_summary_rows_follow_the_models_with_costs_and_rates() -> None:
    cells = [cell(0, "sdxl", 30.0, cost=0.001), cell(1, "sdxl", 20.0, cost=0.003),
             cell(0, "lora", 10.0, cost=0.002), cell(1, "lora", None, "failed"),
             cell(0, "nova", None, "skipped"), cell(1, "nova", None, "blocked")]
    rating = {"rater": "r", "picks": [{"prompt": 0, "model": "lora"}]}
    rows = summary(cells, MODELS, ratings=[rating], prompts=range(2))
    assert [r["model"] for r in rows] == MODELS
    sdxl, lora, nova = rows
    assert (sdxl["images"], sdxl["failed"]) == (2, 0)
    assert sdxl["cost_usd"] == {"per_image": 0.002, "total": 0.004}
    assert sdxl["clip_score"]["mean"] == 25.0 and sdxl["clip_win_rate"] == 1.0
    assert (lora["images"], lora["failed"], lora["human_win_rate"]) == (1, 1, 1.0)
    assert (nova["images"], nova["failed"], nova["cost_usd"]["total"]) == (0, 0, None)
