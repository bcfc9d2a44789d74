"""``/v1/comparisons`` on the local profile, the run a stand-in child process with
run.py's CLI and outputs (tests/api/comparison_support.py): the request becomes
spec.json (adapters resolved to the tenant's own keys, prices from the table, a flagged
prompt's row blocked and not sent), the job counts images while it runs, the report's
images are stored and served, ratings change the human win rate, and another tenant
sees none of it (nor can name this tenant's models)."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pytest
from api_support import TENANT_A, A, B, make_settings, png, problem_type
from comparison_support import fake_run
from fastapi.testclient import TestClient

from api.adapters.local.training import LocalTrainingLauncher
from api.adapters.local.wiring import build
from api.app import create_app
from api.domain.jobs import Job, JobKind, JobStatus

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from api.ports import Adapters
    from api.settings import Settings

URL = "/v1/comparisons"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    s = make_settings(tmp_path, worker_threads=1)
    (s.models_dir / "generation").mkdir(parents=True)
    (s.models_dir / "generation" / "model_index.json").write_text("{}")
    return s


@pytest.fixture
def container(settings: Settings, tmp_path: Path) -> Iterator[Adapters]:
    program = fake_run(tmp_path)

    def training(uploads: Any, artifacts: Any, deliver: Any) -> LocalTrainingLauncher:
        return LocalTrainingLauncher(
            uploads=uploads, artifacts=artifacts, models_dir=settings.models_dir,
            deliver=deliver, program=program, threads=1,
            scratch_dir=settings.data_dir / "training-scratch", progress=board,
        )  # fmt: skip

    from api.adapters.local.progress import MemoryProgressBoard

    board = MemoryProgressBoard()
    adapters = build(settings, training=training)
    adapters = replace(adapters, progress=board)
    try:
        yield adapters
    finally:
        adapters.close()


@pytest.fixture
def client(settings: Settings, container: Adapters) -> Iterator[TestClient]:
    with TestClient(create_app(settings, container), raise_server_exceptions=False) as test:
        yield test


def product_model(container: Adapters, tenant: str = TENANT_A) -> str:
    """A ready product model of ``tenant`` (its adapter folder in artifacts)."""
    job = Job.new(tenant=tenant, kind=JobKind.PRODUCT_TRAINING, request={}, ttl_days=1)
    job = replace(job, id="prd_" + job.id.removeprefix("job_"))
    prefix = f"{tenant}/models/{job.id}/"
    container.artifacts.put(prefix + "pytorch_lora_weights.safetensors", b"w",
                            content_type="application/octet-stream")
    container.jobs.create(job)
    container.jobs.transition(tenant, job.id, JobStatus.SUCCEEDED, result={
        "model_id": job.id, "kind": "product", "artifacts": prefix, "token": "vtrprod",
        "base": "sdxl", "adapter_type": "lora", "metadata": {}})  # fmt: skip
    return job.id


def upload(client: TestClient) -> str:
    data = png(40, 40)
    created = client.post("/v1/uploads", json={"content_type": "image/png",
                                               "size_bytes": len(data)}, headers=A).json()
    target = created["upload"]
    assert client.put(target["url"], content=data, headers=target["headers"]).status_code == 204
    return str(created["upload_id"])


def body(model_id: str, reference: str) -> dict[str, Any]:
    return {
        "prompts": [
            {"prompt": "a white linen shirt on a model", "reference_image": reference},
            {"prompt": "a topless model in a denim jacket"},  # flagged: a blocked row
            {"prompt": "a red silk scarf, flat lay"},
        ],
        "models": [
            {"name": "sdxl", "type": "sdxl"},
            {"name": "sdxl-product", "type": "sdxl",
             "adapters": [{"model_id": model_id, "weight": 0.8}]},
            {"name": "controlnet", "type": "sdxl", "control": {"type": "canny"}},
        ],
        "seed": 42,
        "steps": 4,
    }  # fmt: skip


def wait(client: TestClient, path: str, seen: list[dict[str, Any]]) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        view: dict[str, Any] = client.get(path, headers=A).json()
        if view.get("progress"):
            seen.append(view["progress"])
        if view["status"] in ("succeeded", "failed"):
            return view
        time.sleep(0.1)
    raise AssertionError("the comparison did not finish")


def test_a_comparison_runs_scores_and_takes_ratings(
    client: TestClient, container: Adapters, settings: Settings
) -> None:
    # Given a ready product model and a reference photo of tenant A
    model_id = product_model(container)
    reference = upload(client)
    # When A asks for a 3-prompt x 3-model comparison
    created = client.post(URL, json=body(model_id, reference), headers=A)
    assert created.status_code == 202, created.text
    location = created.headers["location"]
    comparison_id = created.json()["id"]
    assert location == f"{URL}/{comparison_id}" and comparison_id.startswith("cmp_")
    page = created.json()["links"]["page"]
    assert page == f"/playground/comparison/report.html?id={comparison_id}"
    # Ratings wait for the result
    early = client.post(f"{location}/ratings", headers=A,
                        json={"rater": "alice", "picks": [{"prompt": 0, "model": "sdxl"}]})
    assert early.status_code == 409 and problem_type(early) == "conflict"

    # Then the run got spec.json: the flagged row left out, the adapter as A's own key,
    # the price from the table, photos beside it
    spec_dir = settings.data_dir / "uploads" / TENANT_A / "jobs" / comparison_id / "spec"
    spec = json.loads((spec_dir / "spec.json").read_text())
    assert [(p["prompt"], bool(p["blocked"])) for p in spec["prompts"]] == [
        ("a white linen shirt on a model", False), ("a topless model in a denim jacket", True),
        ("a red silk scarf, flat lay", False)]
    assert spec["prompts"][0]["reference_image"] == "p0-reference.png"
    assert (spec_dir / "p0-reference.png").is_file()
    product = spec["models"][1]
    assert product["adapters"] == [{"key": f"models/{model_id}", "type": "lora",
                                    "weight": 0.8, "token": "vtrprod"}]
    assert spec["models"][0]["price"] == {"instance_type": "ml.g5.2xlarge", "usd_per_hour": 1.515}
    assert spec["models"][2]["control"] == {"type": "canny", "strength": 0.8}
    assert (spec["seed"], spec["steps"]) == (42, 4)

    # And while it runs the job counts images; then it succeeds with the grid
    seen: list[dict[str, Any]] = []
    view = wait(client, location, seen)
    assert view["status"] == "succeeded", view
    assert any((p["stage"], p.get("unit"), p.get("total")) == ("generating", "images", 9)
               for p in seen), seen
    result = view["result"]
    assert [bool(p["blocked"]) for p in result["prompts"]] == [False, True, False]
    assert "topless" in result["prompts"][1]["blocked"]
    grid = {(c["prompt"], c["model"]): c for c in result["cells"]}
    assert len(grid) == 9
    assert {grid[1, m]["status"] for m in ("sdxl", "sdxl-product", "controlnet")} == {"blocked"}
    assert grid[1, "sdxl"]["moderation"] == "blocked_prompt"
    assert grid[2, "controlnet"]["status"] == "skipped"  # no reference photo on that row
    assert grid[0, "sdxl-product"]["status"] == "succeeded", grid[0, "sdxl-product"]
    image = client.get(grid[2, "sdxl"]["image"])
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert client.get(result["contact_sheet"]).status_code == 200
    # The row's photo comes back as a URL too
    photo = client.get(result["prompts"][0]["reference_image"])
    assert photo.status_code == 200 and photo.content.startswith(b"\x89PNG")
    assert {s["model"]: s["human_win_rate"] for s in result["summary"]} == {
        "sdxl": None, "sdxl-product": None, "controlnet": None}
    # The run's own output is gone from artifacts (kept in results, which expire)
    run_output = settings.data_dir / "artifacts" / TENANT_A / "comparisons"
    assert not any(path.is_file() for path in run_output.rglob("*"))

    # When alice picks, her picks set the human win rates
    rated = client.post(f"{location}/ratings", headers=A, json={
        "rater": "alice", "picks": [{"prompt": 0, "model": "sdxl-product"},
                                    {"prompt": 2, "model": "sdxl-product"}]})
    assert rated.status_code == 200, rated.text
    rates = {s["model"]: s["human_win_rate"] for s in rated.json()["result"]["summary"]}
    assert rates == {"sdxl": 0.0, "sdxl-product": 1.0, "controlnet": 0.0}
    # A second rater splits them; alice changing her mind replaces hers
    client.post(f"{location}/ratings", headers=A, json={
        "rater": "bob", "picks": [{"prompt": 0, "model": "sdxl"}, {"prompt": 2, "model": "sdxl"}]})
    client.post(f"{location}/ratings", headers=A, json={
        "rater": "alice", "picks": [{"prompt": 0, "model": "controlnet"}]})
    again = client.get(location, headers=A).json()["result"]
    assert {s["model"]: s["human_win_rate"] for s in again["summary"]} == pytest.approx(
        {"sdxl": 2 / 3, "sdxl-product": 0.0, "controlnet": 1 / 3})
    assert again["ratings"] == {"raters": 2}
    # GET /v1/jobs/{id} shows the same figures as the comparison's own route
    as_job = client.get(f"/v1/jobs/{view['id']}", headers=A).json()["result"]
    assert as_job["summary"] == again["summary"] and as_job["ratings"] == {"raters": 2}

    # Bad picks are 422, naming each
    for picks in ([{"prompt": 9, "model": "sdxl"}], [{"prompt": 0, "model": "nope"}],
                  [{"prompt": 0, "model": "sdxl"}, {"prompt": 0, "model": "controlnet"}],
                  [{"prompt": 1, "model": "sdxl"}],  # a blocked row has no image
                  [{"prompt": 2, "model": "controlnet"}]):  # a skipped cell neither
        bad = client.post(f"{location}/ratings", headers=A, json={"rater": "c", "picks": picks})
        assert bad.status_code == 422 and problem_type(bad) == "validation-error", picks

    # Another tenant sees nothing of it
    assert client.get(location, headers=B).status_code == 404
    assert client.get(f"/v1/jobs/{comparison_id}", headers=B).status_code == 404
    assert client.post(f"{location}/ratings", headers=B, json={
        "rater": "eve", "picks": [{"prompt": 0, "model": "sdxl"}]}).status_code == 404
    assert client.delete(location, headers=B).status_code == 404
    assert client.get(URL, headers=B).json() == {"data": [], "count": 0}
    listed = client.get(URL, headers=A).json()
    assert [c["id"] for c in listed["data"]] == [comparison_id]

    # Delete removes the images, the ratings and the record
    results = settings.data_dir / "results" / TENANT_A / "jobs" / comparison_id
    assert results.is_dir()
    assert client.delete(location, headers=A).status_code == 204
    assert client.get(location, headers=A).status_code == 404
    assert not results.exists() or not any(results.rglob("*"))


def test_another_tenants_models_cannot_be_named(client: TestClient, container: Adapters) -> None:
    theirs = product_model(container, tenant="tenant-b")
    answer = client.post(URL, headers=A, json={
        "prompts": [{"prompt": "a shirt"}],
        "models": [{"name": "x", "type": "sdxl", "adapters": [{"model_id": theirs}]}]})
    assert answer.status_code == 404 and problem_type(answer) == "not-found"


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"prompts": [{"prompt": "a shirt"}],
          "models": [{"name": "a", "type": "sdxl"}, {"name": "a", "type": "sdxl"}]}, 422),
        ({"prompts": [{"prompt": "a shirt"}],
          "models": [{"name": "n", "type": "bedrock", "model_id": "stability.sd3"}]}, 422),
        ({"prompts": [{"prompt": "a shirt"}],
          "models": [{"name": "n", "type": "bedrock", "adapters": [{"model_id": "x"}]}]}, 422),
        ({"prompts": [{"prompt": "nudity"}], "models": [{"name": "a", "type": "sdxl"}]}, 422),
        ({"prompts": [], "models": [{"name": "a", "type": "sdxl"}]}, 422),
        ({"prompts": [{"prompt": "x"}] * 51, "models": [{"name": "a", "type": "sdxl"}]}, 422),
        ({"prompts": [{"prompt": "x"}], "models": [{"name": "Bad Name", "type": "sdxl"}]}, 422),
        ({"prompts": [{"prompt": "x", "reference_image": "upl_unknown0123456789"}],
          "models": [{"name": "a", "type": "sdxl"}]}, 422),
        ({"prompts_upload": "upl_unknown0123456789", "models": [{"name": "a", "type": "sdxl"}]},
         422),
    ],
)
def test_bad_requests_are_4xx_before_anything_runs(
    client: TestClient, payload: dict[str, Any], status: int
) -> None:
    answer = client.post(URL, headers=A, json=payload)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert client.get(URL, headers=A).json()["count"] == 0


def upload_text(client: TestClient, data: bytes, content_type: str) -> str:
    created = client.post("/v1/uploads", json={"content_type": content_type,
                                               "size_bytes": len(data)}, headers=A)
    assert created.status_code in (200, 201), created.text
    target = created.json()["upload"]
    put = client.put(target["url"], content=data, headers=target["headers"])
    assert put.status_code == 204, put.text
    return str(created.json()["upload_id"])


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"prompt,negative_prompt\na linen shirt,blurry\n\"a scarf, flat lay\",\n", "text/csv"),
        (b'{"prompt": "a linen shirt", "negative_prompt": "blurry"}\n'
         b'{"prompt": "a scarf, flat lay"}\n', "application/jsonl"),
    ],
)
def test_prompts_come_from_an_uploaded_csv_or_jsonl(
    client: TestClient, settings: Settings, data: bytes, content_type: str
) -> None:
    prompts = upload_text(client, data, content_type)
    created = client.post(URL, headers=A, json={
        "prompts_upload": prompts, "models": [{"name": "sdxl", "type": "sdxl"}]})
    assert created.status_code == 202, created.text
    comparison_id = created.json()["id"]
    spec_dir = settings.data_dir / "uploads" / TENANT_A / "jobs" / comparison_id / "spec"
    spec = json.loads((spec_dir / "spec.json").read_text())
    assert [(p["prompt"], p["negative_prompt"]) for p in spec["prompts"]] == [
        ("a linen shirt", "blurry"), ("a scarf, flat lay", None)]
    wait(client, created.headers["location"], [])


def test_a_text_upload_must_be_utf8(client: TestClient) -> None:
    data = b"prompt\n\xff\xfe\n"
    created = client.post("/v1/uploads", json={"content_type": "text/csv",
                                               "size_bytes": len(data)}, headers=A).json()
    target = created["upload"]
    put = client.put(target["url"], content=data, headers=target["headers"])
    assert put.status_code == 422 and problem_type(put) == "upload-rejected"


def test_an_output_from_elsewhere_never_completes_a_comparison(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from api.domain.outcomes import JobRef, TrainingFinished

    monkeypatch.setenv("FAKE_RUN_SECONDS", "5")  # still running while we speak
    created = client.post(URL, headers=A, json={
        "prompts": [{"prompt": "a shirt"}], "models": [{"name": "a", "type": "sdxl"}]})
    comparison_id = created.json()["id"]
    core = client.app.state.services.jobs  # type: ignore[attr-defined]
    stray = TrainingFinished(JobRef(TENANT_A, comparison_id, kind=JobKind.COMPARISON),
                             artifacts=f"{TENANT_A}/comparisons/cmp_another/")
    assert core.handle(stray) == "ignored"
    assert wait(client, created.headers["location"], [])["status"] == "succeeded"


def test_deleting_a_running_comparison_stops_its_run(
    client: TestClient, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_RUN_SECONDS", "60")  # the run would hold on for a minute
    created = client.post(URL, headers=A, json={
        "prompts": [{"prompt": "a shirt"}], "models": [{"name": "a", "type": "sdxl"}]})
    location = created.headers["location"]
    deadline = time.monotonic() + 30
    while client.get(location, headers=A).json()["progress"]["stage"] != "generating":
        assert time.monotonic() < deadline, "the run never reported progress"
        time.sleep(0.1)
    started = time.monotonic()
    assert client.delete(location, headers=A).status_code == 204
    assert time.monotonic() - started < 10  # the child was ended, not waited for
    assert client.get(location, headers=A).status_code == 404
    time.sleep(1)
    for store in ("results", "artifacts", "uploads"):  # nothing of it stays anywhere
        assert not [p for p in (settings.data_dir / store / TENANT_A).rglob("*")
                    if p.is_file()], store


def test_a_failing_column_stays_in_the_report_but_nothing_at_all_fails_the_job(
    client: TestClient, settings: Settings
) -> None:
    gpt = {"name": "gpt", "type": "openai"}
    mixed = client.post(URL, headers=A, json={"prompts": [{"prompt": "a linen shirt"}],
                                              "models": [{"name": "sdxl", "type": "sdxl"}, gpt]})
    view = wait(client, mixed.headers["location"], [])
    assert view["status"] == "succeeded", view
    cells = {c["model"]: c for c in view["result"]["cells"]}
    assert cells["sdxl"]["status"] == "succeeded"
    assert cells["gpt"]["status"] == "failed" and "OPENAI_API_KEY" in cells["gpt"]["error"]

    # Every cell failed: the job fails (a server-side error), naming each column's reason
    alone = client.post(URL, headers=A, json={"prompts": [{"prompt": "a linen shirt"}],
                                              "models": [gpt]})
    view = wait(client, alone.headers["location"], [])
    assert view["status"] == "failed" and view["result"] is None, view
    assert view["error"]["type"].endswith("model-error"), view["error"]
    assert "gpt: OpenAI is not configured" in view["error"]["detail"]
    # and its run's output does not linger in the artifacts store
    run_output = settings.data_dir / "artifacts" / TENANT_A / "comparisons"
    assert not any(path.is_file() for path in run_output.rglob("*"))
