"""A comparison's figures per model: mean/p50/p95, cost, CLIP win rate, human win rate.

Pure Python over the report's cells (dicts, as ``report.json`` holds them), so the API
can recompute the human win rate from stored ratings without the model stack.

- **CLIP win rate**: over the prompts where at least two models have a CLIP score, the
  share of those prompts a model has the top score on (a tie splits the prompt).
- **Human win rate**: over the raters' picks, each rater having at most one pick per
  prompt (a rater's later rating replaces their earlier one, a later pick of the same
  prompt replaces an earlier one); a model's rate is its picks over all picks, ``None``
  when nobody picked. Picks of unknown prompts or models are ignored. The page's
  ``humanWinRates`` (``report_page/report.js``) is this function's twin.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

# Scores this close are a tie (float noise between two equal images' scores).
TIE_TOLERANCE = 1e-9


def distribution(values: Iterable[float | None], digits: int = 4) -> dict[str, float | None]:
    """Mean, median and 95th percentile (linear interpolation) of the known values."""
    known = [float(v) for v in values if v is not None and math.isfinite(v)]
    if not known:
        return {"mean": None, "p50": None, "p95": None}
    if len(known) == 1:
        p50 = p95 = known[0]
    else:
        # "inclusive": linear between order statistics, as numpy's default percentile.
        cuts = statistics.quantiles(known, n=100, method="inclusive")
        p50, p95 = cuts[49], cuts[94]
    return {"mean": round(statistics.fmean(known), digits), "p50": round(p50, digits),
            "p95": round(p95, digits)}


def clip_win_rates(cells: Iterable[Mapping[str, Any]],
                   models: Sequence[str]) -> dict[str, float | None]:
    """Each model's share of the contested prompts it has the top CLIP score on."""
    by_prompt: dict[int, dict[str, float]] = defaultdict(dict)
    for cell in cells:
        score = cell.get("clip_score")
        if cell.get("status") == "succeeded" and score is not None and math.isfinite(score):
            by_prompt[int(cell["prompt"])][str(cell["model"])] = float(score)
    wins = dict.fromkeys(models, 0.0)
    contested = 0
    for scores in by_prompt.values():
        if len(scores) < 2:
            continue
        contested += 1
        top = max(scores.values())
        leaders = [m for m, s in scores.items() if top - s <= TIE_TOLERANCE]
        for model in leaders:
            if model in wins:
                wins[model] += 1 / len(leaders)
    return {model: (wins[model] / contested if contested else None) for model in models}


def human_win_rates(picks: Iterable[Mapping[str, Any]], models: Sequence[str],
                    prompts: Iterable[int]) -> dict[str, dict[str, Any]]:
    """``{model: {"human_win_rate": rate | None, "human_picks": n}}`` from ratings.

    ``picks`` are ratings documents, ``{"rater": ..., "picks": [{"prompt": i, "model":
    name}]}``, in the order they were given.
    """
    known_models, known_prompts = set(models), set(prompts)
    by_rater: dict[str, dict[int, str]] = {}
    for rating in picks:
        chosen: dict[int, str] = {}
        for pick in rating.get("picks", []):
            prompt, model = pick.get("prompt"), pick.get("model")
            if prompt in known_prompts and model in known_models:
                chosen[int(prompt)] = str(model)
        by_rater[str(rating.get("rater"))] = chosen
    counts = dict.fromkeys(models, 0)
    for chosen in by_rater.values():
        for model in chosen.values():
            counts[model] += 1
    total = sum(counts.values())
    return {model: {"human_win_rate": counts[model] / total if total else None,
                    "human_picks": counts[model]} for model in models}


def summary(cells: Sequence[Mapping[str, Any]], models: Sequence[str],
            ratings: Iterable[Mapping[str, Any]] = (),
            prompts: Iterable[int] = ()) -> list[dict[str, Any]]:
    """The report's ``summary``: one row per model, in the spec's order."""
    clip = clip_win_rates(cells, models)
    human = human_win_rates(ratings, models, prompts)
    rows = []
    for model in models:
        own = [c for c in cells if c["model"] == model]
        done = [c for c in own if c["status"] == "succeeded"]
        costs = [c["cost_usd"] for c in done if c.get("cost_usd") is not None]
        rows.append({
            "model": model,
            "images": len(done),
            "failed": sum(1 for c in own if c["status"] == "failed"),
            "clip_score": distribution(c.get("clip_score") for c in done),
            "model_seconds": distribution(c.get("model_seconds") for c in done),
            "wall_seconds": distribution(c.get("wall_seconds") for c in done),
            "cost_usd": {"per_image": round(statistics.fmean(costs), 8) if costs else None,
                         "total": round(sum(costs), 8) if costs else None},
            "clip_win_rate": clip[model],
            **human[model],
        })
    return rows
