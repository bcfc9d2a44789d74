"""``/v1/avatar-models``: training outcomes, generation and deletion (local adapters).

The launcher is the real ``LocalTrainingLauncher`` with a fake trainer in place of
``train.py`` and the runtime a fake (``avatar_api_support``); ``test_avatar_e2e.py`` runs
the real ones.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import pytest
from api_support import TENANT_A, A, FlagSecondImage, decode_png, problem_type, wait_for_job
from avatar_api_support import (
    AVATARS,
    FakeAvatarRuntime,
    FakeTrainer,
    PendingLauncher,
    avatar_runtime,  # noqa: F401 (fixture: runtime)
    avatar_settings,  # noqa: F401 (fixture: settings)
    avatar_training,  # noqa: F401 (fixture: training)
    create,
    data,
    fake_trainer,  # noqa: F401 (fixture: trainer)
    files_under,
    generate,
    pending,
    trained,
)

from api.domain.errors import ModelInputRejected

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from api.ports import Adapters
    from api.settings import Settings


# --- training outcomes -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("error", "slug", "reason"),
    [
        (ModelInputRejected("photo set rejected: photo-03.jpg: unreadable"), "model-input-rejected",
         "photo-03.jpg"),
        # A crash's detail is generic: no exception class for clients (the log has it).
        (RuntimeError("CUDA out of memory"), "model-error", "avatar training failed"),
    ],
    ids=["rejected-photos", "crash"],
)
def test_a_training_failure_fails_the_avatar_with_its_reason(
    client: TestClient, trainer: FakeTrainer, error: Exception, slug: str, reason: str
) -> None:
    trainer.error = error
    avatar_id = create(client).json()["id"]

    job = wait_for_job(client, f"/v1/jobs/{avatar_id}", A)

    assert job["status"] == "failed"
    assert job["error"]["type"].endswith(f"/{slug}")
    avatar = client.get(f"{AVATARS}/{avatar_id}", headers=A).json()
    assert avatar["status"] == "failed"
    assert reason in avatar["error"]["detail"]
    assert "RuntimeError" not in avatar["error"]["detail"]


def test_a_diverged_loss_is_shown_as_missing_not_as_an_error(
    client: TestClient, trainer: FakeTrainer
) -> None:
    # Given a training whose loss went to NaN (JSON has no NaN)
    trainer.overrides = {"loss_curve": [0.5, float("nan")], "final_loss": float("inf")}
    avatar_id = create(client).json()["id"]

    job = wait_for_job(client, f"/v1/jobs/{avatar_id}", A)
    avatar = client.get(f"{AVATARS}/{avatar_id}", headers=A)

    assert job["status"] == "succeeded"
    assert job["result"]["metadata"]["loss_curve"] == [0.5, None]
    assert avatar.status_code == 200
    training = avatar.json()["training"]
    assert (training["loss_curve"], training["final_loss"]) == (None, None)
    assert training["adapter_bytes"] == 9


def test_without_a_base_model_training_fails_as_unavailable(client: TestClient) -> None:
    # Given the wiring's own launcher (no trainer fixture) and an empty models dir
    avatar_id = create(client).json()["id"]
    job = wait_for_job(client, f"/v1/jobs/{avatar_id}", A)
    assert job["error"]["type"].endswith("/service-unavailable")
    assert "make models" in job["error"]["detail"]


@pytest.mark.parametrize("training", [pending(PendingLauncher())])
def test_training_that_completes_elsewhere_stays_training(
    client: TestClient, container: Adapters
) -> None:
    launcher = container.training
    assert isinstance(launcher, PendingLauncher)
    avatar_id = create(client).json()["id"]
    container.queue.wait_idle(5)  # type: ignore[attr-defined]

    avatar = client.get(f"{AVATARS}/{avatar_id}", headers=A).json()
    assert avatar["status"] == "training"
    spec = launcher.launched[0]
    assert (spec.kind, spec.job_id, spec.tenant) == ("avatar", avatar_id, TENANT_A)
    assert spec.input_prefix == spec.output_prefix == f"{TENANT_A}/avatars/{avatar_id}/"
    assert all(isinstance(v, str) for v in spec.hyperparameters.values())

    # And it cannot generate yet: 409
    resp = client.post(f"{AVATARS}/{avatar_id}/generations", json={"prompt": "x"}, headers=A)
    assert resp.status_code == 409
    assert problem_type(resp) == "conflict"
    assert "training" in resp.json()["detail"]


def test_a_failed_avatar_cannot_generate(client: TestClient, trainer: FakeTrainer) -> None:
    trainer.error = RuntimeError("boom")
    avatar_id = create(client).json()["id"]
    wait_for_job(client, f"/v1/jobs/{avatar_id}", A)
    resp = client.post(f"{AVATARS}/{avatar_id}/generations", json={"prompt": "x"}, headers=A)
    assert resp.status_code == 409
    assert "failed" in resp.json()["detail"]


# --- generation ----------------------------------------------------------------------
@pytest.mark.usefixtures("trainer")
def test_generation_calls_the_avatar_on_its_target_model_and_stores_images(
    client: TestClient, runtime: FakeAvatarRuntime
) -> None:
    avatar_id = trained(client)

    resp = client.post(
        f"{AVATARS}/{avatar_id}/generations",
        json={"prompt": "on a beach at dusk", "n": 2, "seed": 5, "steps": 4},
        headers=A,
    )

    assert resp.status_code == 202, resp.text
    assert resp.headers["location"] == f"/v1/jobs/{resp.json()['id']}"
    assert resp.json()["kind"] == "avatar_generation"
    job = wait_for_job(client, resp.headers["location"], A)
    assert job["status"] == "succeeded", job
    assert job["result"]["avatar_id"] == avatar_id
    assert job["result"]["seed"] == 5
    images = [decode_png(client.get(i["url"]).content) for i in job["result"]["images"]]
    assert [im.size for im in images] == [(16, 16), (16, 16)]
    # The multi-model endpoint's naming, and the subject written into the prompt
    assert runtime.targets == [f"{TENANT_A}/{avatar_id}.tar.gz"]
    payload = runtime.calls[-1][1]
    assert payload["prompt"] == "sks woman, on a beach at dusk"
    assert (payload["num_images"], payload["seed"], payload["steps"]) == (2, 5, 4)


@pytest.mark.usefixtures("trainer")
def test_a_prompt_naming_the_token_is_left_as_written(
    client: TestClient, runtime: FakeAvatarRuntime
) -> None:
    avatar_id = trained(client)
    body = {"prompt": "portrait of SKS woman, oil painting", "negative_prompt": "blurry"}
    generate(client, avatar_id, body)
    payload = runtime.calls[-1][1]
    assert payload["prompt"] == "portrait of SKS woman, oil painting"
    assert payload["negative_prompt"] == "blurry"


@pytest.mark.usefixtures("trainer")
@pytest.mark.parametrize("moderator", [FlagSecondImage()])
def test_flagged_images_are_withheld(client: TestClient) -> None:
    job = generate(client, trained(client), {"prompt": "x", "n": 2})
    assert len(job["result"]["images"]) == 1
    assert job["result"]["withheld"] == [{"index": 1, "reasons": ["test"]}]


@pytest.mark.usefixtures("trainer")
@pytest.mark.parametrize(
    ("body", "mentions"),
    [
        ({"prompt": "   "}, "prompt must not be empty"),
        ({"prompt": "x", "n": 5}, "n must be between 1 and 4"),
        ({"prompt": "x", "steps": 101}, "steps must be between 1 and 100"),
        ({"prompt": "x" * 495}, "with the avatar's subject added"),
    ],
    ids=["blank", "too-many-images", "too-many-steps", "too-long-with-subject"],
)
def test_generation_validation(
    client: TestClient, container: Adapters, body: dict[str, Any], mentions: str
) -> None:
    from api.domain.jobs import JobKind

    avatar_id = trained(client)
    resp = client.post(f"{AVATARS}/{avatar_id}/generations", json=body, headers=A)
    assert resp.status_code == 422
    assert mentions in resp.json()["detail"]
    assert container.jobs.list(TENANT_A, kind=JobKind.AVATAR_GENERATION) == []


@pytest.mark.usefixtures("trainer")
def test_a_model_failure_fails_the_generation_job(
    client: TestClient, runtime: FakeAvatarRuntime
) -> None:
    avatar_id = trained(client)
    runtime.error = ModelInputRejected("unknown target model")
    job = generate(client, avatar_id, {"prompt": "x"})
    assert job["status"] == "failed"
    assert job["error"]["type"].endswith("/model-input-rejected")


# --- deletion ------------------------------------------------------------------------
@pytest.mark.usefixtures("trainer")
def test_delete_removes_every_artifact_photo_image_and_the_record(
    client: TestClient, container: Adapters, settings: Settings
) -> None:
    # Given a trained avatar with a generation, and another avatar that must survive
    avatar_id, other = trained(client), trained(client, name="other")
    image_url = generate(client, avatar_id, {"prompt": "x"})["result"]["images"][0]["url"]
    owned = [
        data(settings, "uploads") / TENANT_A / "avatars" / avatar_id,
        data(settings, "artifacts") / TENANT_A / "avatars" / avatar_id,
        data(settings, "artifacts") / "avatars" / TENANT_A / f"{avatar_id}.tar.gz",
        data(settings, "results") / TENANT_A / "avatars" / avatar_id,
    ]
    assert all(files_under(path) for path in owned)

    # When it is deleted
    resp = client.delete(f"{AVATARS}/{avatar_id}", headers=A)

    # Then it is gone, with everything it owned, on the filesystem too
    assert resp.status_code == 204
    assert resp.content == b""
    assert [p.exists() for p in owned] == [False] * 4
    assert client.get(f"{AVATARS}/{avatar_id}", headers=A).status_code == 404
    assert client.get(f"/v1/jobs/{avatar_id}", headers=A).status_code == 404
    assert client.get(image_url).status_code == 404
    assert client.delete(f"{AVATARS}/{avatar_id}", headers=A).status_code == 404
    # And the other avatar is untouched
    assert files_under(data(settings, "artifacts") / "avatars" / TENANT_A / f"{other}.tar.gz")
    assert client.get(f"{AVATARS}/{other}", headers=A).json()["status"] == "ready"


def test_delete_during_training_stops_it_and_discards_its_output(
    client: TestClient, container: Adapters, settings: Settings, trainer: FakeTrainer
) -> None:
    # Given a training that is running
    trainer.release = threading.Event()
    avatar_id = create(client).json()["id"]
    assert trainer.started.wait(5)

    # When the avatar is deleted mid-training, then training finishes
    assert client.delete(f"{AVATARS}/{avatar_id}", headers=A).status_code == 204
    trainer.release.set()
    container.queue.wait_idle(5)  # type: ignore[attr-defined]

    # Then its output was never stored and no record came back
    assert files_under(data(settings, "artifacts")) == []
    assert container.jobs.get(TENANT_A, avatar_id) is None


@pytest.mark.parametrize("training", [pending(PendingLauncher())])
def test_delete_of_a_remote_training_stops_it(client: TestClient, container: Adapters) -> None:
    launcher = container.training
    assert isinstance(launcher, PendingLauncher)
    avatar_id = create(client).json()["id"]
    container.queue.wait_idle(5)  # type: ignore[attr-defined]

    assert client.delete(f"{AVATARS}/{avatar_id}", headers=A).status_code == 204
    assert [s.job_id for s in launcher.stopped] == [avatar_id]


@pytest.mark.usefixtures("trainer")
def test_a_generation_of_a_deleted_avatar_fails_and_stores_nothing(
    client: TestClient, container: Adapters, settings: Settings, runtime: FakeAvatarRuntime
) -> None:
    avatar_id = trained(client)

    # The avatar disappears while the model is generating
    original = runtime.invoke

    def invoke_then_delete(model: str, payload: dict[str, Any], **kw: Any) -> dict[str, Any]:
        out = original(model, payload, **kw)
        container.jobs.delete(TENANT_A, avatar_id)
        return out

    runtime.invoke = invoke_then_delete  # type: ignore[method-assign]
    done = generate(client, avatar_id, {"prompt": "x"})

    assert done["status"] == "failed"
    assert done["error"]["type"].endswith("/not-found")
    assert files_under(data(settings, "results") / TENANT_A / "avatars" / avatar_id) == []
