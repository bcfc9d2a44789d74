"""The page's human win rate (report.js ``humanWinRates``, run by Node) against the contract:
per rater one pick per prompt (later ones replace earlier), a model's rate = its picks over
all picks, unknown prompts/models ignored, null before any pick."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from sagemaker_containers.comparison.report_writer import PAGE_DIR

HERE = Path(__file__).resolve().parent
MODELS = ["sdxl", "sdxl-product", "nova"]
PROMPTS = [0, 1, 2]


def run_js(calls: list[tuple[str, list[Any]]]) -> list[Any]:
    """Each ``(function, args)`` through report.js in Node; the results in order."""
    if shutil.which("node") is None:
        pytest.fail("Node missing: `make test` installs it")
    lines = "".join(json.dumps({"fn": fn, "args": args}) + "\n" for fn, args in calls)
    done = subprocess.run(
        ["node", str(HERE / "report_functions.mjs"), str(PAGE_DIR / "report.js")],
        input=lines, capture_output=True, text=True, timeout=60, check=True,
    )
    return [json.loads(line) for line in done.stdout.splitlines()]


def rates(result: dict[str, dict[str, Any]]) -> dict[str, float | None]:
    return {model: figures["human_win_rate"] for model, figures in result.items()}


CASES: list[tuple[str, list[dict[str, Any]], dict[str, float | None], dict[str, int]]] = [
    ("no picks: no rate", [],
     {"sdxl": None, "sdxl-product": None, "nova": None}, {"sdxl": 0, "sdxl-product": 0, "nova": 0}),
    ("one rater", [{"rater": "a", "picks": [{"prompt": 0, "model": "sdxl"},
                                            {"prompt": 1, "model": "sdxl"},
                                            {"prompt": 2, "model": "nova"}]}],
     {"sdxl": 2 / 3, "sdxl-product": 0.0, "nova": 1 / 3},
     {"sdxl": 2, "sdxl-product": 0, "nova": 1}),
    ("two raters pool their picks",
     [{"rater": "a", "picks": [{"prompt": 0, "model": "sdxl"}]},
      {"rater": "b", "picks": [{"prompt": 0, "model": "sdxl-product"},
                               {"prompt": 1, "model": "sdxl-product"},
                               {"prompt": 2, "model": "sdxl-product"}]}],
     {"sdxl": 0.25, "sdxl-product": 0.75, "nova": 0.0}, {"sdxl": 1, "sdxl-product": 3, "nova": 0}),
    ("a rater's later rating replaces theirs, a later pick for a prompt replaces the earlier",
     [{"rater": "a", "picks": [{"prompt": 0, "model": "nova"}, {"prompt": 1, "model": "nova"}]},
      {"rater": "a", "picks": [{"prompt": 0, "model": "nova"}, {"prompt": 0, "model": "sdxl"}]}],
     {"sdxl": 1.0, "sdxl-product": 0.0, "nova": 0.0}, {"sdxl": 1, "sdxl-product": 0, "nova": 0}),
    ("unknown prompts and models are ignored",
     [{"rater": "a", "picks": [{"prompt": 9, "model": "sdxl"}, {"prompt": 1, "model": "dall-e"},
                               {"prompt": 2, "model": "nova"}]}],
     {"sdxl": 0.0, "sdxl-product": 0.0, "nova": 1.0}, {"sdxl": 0, "sdxl-product": 0, "nova": 1}),
]


def test_the_page_computes_the_contract_s_human_win_rate() -> None:
    results = run_js([("humanWinRates", [ratings, MODELS, PROMPTS]) for _, ratings, _, _ in CASES])
    for (name, _, expected, picks), result in zip(CASES, results, strict=True):
        assert rates(result) == pytest.approx(expected), name
        assert {m: f["human_picks"] for m, f in result.items()} == picks, name


def test_the_ratings_document_is_the_api_body() -> None:
    (body,) = run_js([("ratingsDocument", ["alice", {"2": "nova", "0": "sdxl"}])])
    assert body == {"rater": "alice", "picks": [{"prompt": 0, "model": "sdxl"},
                                                {"prompt": 2, "model": "nova"}]}


def test_only_web_and_file_image_urls_are_shown() -> None:
    base = "file:///tmp/report/report.html"
    calls: list[tuple[str, list[Any]]] = [
        ("safeImageUrl", [value, base])
        for value in ["images/p0.png", "https://bucket.s3.amazonaws.com/x.png?X-Amz=1",
                      "javascript:alert(1)", "data:text/html,<script>", None, ""]
    ]
    assert run_js(calls) == [
        "file:///tmp/report/images/p0.png", "https://bucket.s3.amazonaws.com/x.png?X-Amz=1",
        None, None, None, None,
    ]


def test_the_api_base_is_where_the_page_is_mounted() -> None:
    pages = ["http://127.0.0.1:8000/playground/comparison/report.html?id=cmp_1",
             "https://abc.execute-api.eu-west-1.amazonaws.com/prod/playground/comparison/?id=x",
             "https://example.test/somewhere/report.html"]
    assert run_js([("apiBaseFor", [page]) for page in pages]) == [
        "http://127.0.0.1:8000", "https://abc.execute-api.eu-west-1.amazonaws.com/prod",
        "https://example.test"]
