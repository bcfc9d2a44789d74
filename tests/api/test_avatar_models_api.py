"""``/v1/avatar-models``: creation, photo validation, listing and tenancy (local adapters).

The launcher is the real ``LocalTrainingLauncher`` with a fake trainer in place of
``train.py`` and the runtime a fake (``avatar_api_support``); ``test_avatar_e2e.py`` runs
the real ones.
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

import pytest
from api_support import TENANT_A, A, B, b64, png, problem_type
from avatar_api_support import (
    AVATARS,
    FakeTrainer,
    avatar_runtime,  # noqa: F401 (fixture: runtime)
    avatar_settings,  # noqa: F401 (fixture: settings)
    avatar_training,  # noqa: F401 (fixture: training)
    create,
    data,
    fake_trainer,  # noqa: F401 (fixture: trainer)
    files_under,
    photo,
    photos,
    trained,
    wait_ready,
)
from PIL import Image

from api.services.images import upload_key

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from api.ports import Adapters
    from api.settings import Settings


# --- create and train ----------------------------------------------------------------
@pytest.mark.usefixtures("trainer")
def test_create_answers_202_with_location_then_trains(
    client: TestClient, settings: Settings, trainer: FakeTrainer
) -> None:
    # Given 10 photos of a woman, when the avatar is requested
    resp = create(client)

    # Then it is accepted at once, with Location pointing at the avatar
    assert resp.status_code == 202, resp.text
    body = resp.json()
    assert body["id"].startswith("avt_")
    assert resp.headers["location"] == f"{AVATARS}/{body['id']}"
    assert body["status"] in ("queued", "training", "ready")
    assert (body["name"], body["subject_class"], body["photo_count"]) == ("Ana", "woman", 10)
    assert body["subject"] == "sks woman"
    assert body["links"]["job"] == f"/v1/jobs/{body['id']}"

    # And once trained it is ready, with the trainer's figures
    ready = wait_ready(client, body["id"])
    assert ready["status"] == "ready"
    assert ready["training"]["steps"] == 3
    assert ready["training"]["loss_curve"] == [0.5, 0.4, 0.3]
    assert ready["training"]["final_loss"] == 0.3
    assert ready["training"]["adapter_bytes"] == 9

    # And train.py got the photos and string hyperparameters the API decided
    args = trainer.argvs[0]
    assert args["--instance_prompt"] == "a photo of sks woman"
    assert (args["--class_name"], args["--instance_token"]) == ("woman", "sks")
    assert (args["--max_train_steps"], args["--resolution"]) == ("3", "512")
    assert args["--min_photos"] == args["--max_photos"] == "10"
    assert args["--pretrained_model_name_or_path"] == str(settings.models_dir / "avatar")
    assert trainer.photo_names[0] == [f"photo-{i:02d}.jpg" for i in range(10)]

    # And the adapter sits under the avatar's prefix and as the served model
    tenant_dir = data(settings, "artifacts") / TENANT_A / "avatars" / body["id"]
    assert (tenant_dir / "pytorch_lora_weights.safetensors").read_bytes() == b"fake-lora"
    served = data(settings, "artifacts") / "avatars" / TENANT_A / f"{body['id']}.tar.gz"
    assert (served / "pytorch_lora_weights.safetensors").read_bytes() == b"fake-lora"
    assert json.loads((served / "avatar.json").read_text())["steps"] == 3


@pytest.mark.usefixtures("trainer")
def test_photos_are_stored_normalised_as_upright_rgb_jpegs(
    client: TestClient, settings: Settings
) -> None:
    # Given a large RGBA photo among the set (with transparency)
    big = Image.new("RGBA", (200, 120), (0, 0, 0, 0))
    big.paste((200, 20, 20, 255), (10, 10, 60, 60))
    out = io.BytesIO()
    big.save(out, format="PNG")
    body_photos = photos(9) + [{"base64": b64(out.getvalue())}]

    resp = create(client, photos=body_photos)

    assert resp.status_code == 202, resp.text
    stored = files_under(data(settings, "uploads") / TENANT_A / "avatars" / resp.json()["id"])
    stored = [p for p in stored if not p.name.startswith(".")]
    assert len(stored) == 10
    last = Image.open(stored[-1])
    assert (last.format, last.mode) == ("JPEG", "RGB")
    assert min(last.size) == 64  # short side bounded by avatar_photo_max_side
    assert last.getpixel((1, 1)) >= (250, 250, 250)  # transparency became white


@pytest.mark.usefixtures("trainer")
def test_photos_by_upload_id_are_accepted(
    client: TestClient, container: Adapters
) -> None:
    upload_id = "upl_" + "u" * 22
    container.uploads.put(upload_key(TENANT_A, upload_id), photo(42), content_type="image/png")
    resp = create(client, photos=photos(9) + [{"upload_id": upload_id}])
    assert resp.status_code == 202, resp.text
    assert wait_ready(client, resp.json()["id"])["photo_count"] == 10


# --- validation: nothing left behind ---------------------------------------------------
def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 48)).save(out, format="GIF")
    return out.getvalue()


@pytest.mark.parametrize(
    ("photo_list", "status", "slug", "mentions"),
    [
        (photos(9), 422, "validation-error", "9 given; an avatar needs 10 to 15"),
        (photos(16), 422, "validation-error", "16 given"),
        ([], 422, "validation-error", "0 given"),
        (photos(9) + [{"base64": b64(b"not an image at all")}], 422, "invalid-image", "photos[9]"),
        (photos(9) + [{"base64": b64(png(1, 1))}], 422, "image-too-small", "1x1 pixels"),
        (photos(9) + [{"base64": b64(png(200, 31))}], 422, "image-too-small", "at least 32"),
        (photos(9) + [{"base64": "%%%"}], 422, "invalid-base64", "photos[9]"),
        (photos(9) + [{"base64": b64(_gif())}], 415, "unsupported-image-format", "GIF"),
        (photos(9) + [{"upload_id": "upl_" + "x" * 22}], 422, "unknown-upload", "photos[9]"),
        (photos(9) + [{"base64": b64(photo(3))}], 422, "validation-error", "same photo as"),
    ],
    ids=["too-few", "too-many", "none", "non-image", "1x1", "thin", "bad-base64", "gif",
         "unknown-upload", "duplicate"],
)
def test_rejected_photo_sets_leave_nothing_behind(
    client: TestClient,
    container: Adapters,
    settings: Settings,
    trainer: FakeTrainer,
    photo_list: list[dict[str, str]],
    status: int,
    slug: str,
    mentions: str,
) -> None:
    resp = create(client, photos=photo_list)

    assert resp.status_code == status, resp.text
    assert problem_type(resp) == slug
    assert mentions in resp.json()["detail"]
    # Nothing was recorded, stored or trained
    assert container.jobs.list(TENANT_A) == []
    assert files_under(data(settings, "uploads") / TENANT_A / "avatars") == []
    assert trainer.argvs == []


@pytest.mark.usefixtures("trainer")
def test_every_bad_photo_is_reported_in_one_answer(client: TestClient) -> None:
    bad = photos(10)
    bad[2] = {"base64": b64(png(1, 1))}
    bad[7] = {"base64": b64(b"GIF? no: plain text")}

    resp = create(client, photos=bad)

    assert resp.status_code == 422
    assert problem_type(resp) == "image-too-small"  # the first problem's kind
    listed = resp.json()["photo_errors"]
    assert [(p["index"], p["type"].rsplit("/", 1)[-1]) for p in listed] == [
        (2, "image-too-small"),
        (7, "invalid-image"),
    ]
    assert resp.json()["detail"].startswith("2 of 10 photos rejected")


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x", "subject_class": "dragon"},
        {"name": "   ", "subject_class": "person"},
        {"name": "x" * 81, "subject_class": "person"},
        {"name": "x", "subject_class": "person", "extra": 1},
    ],
    ids=["unknown-class", "blank-name", "long-name", "unknown-field"],
)
def test_schema_violations_are_422(client: TestClient, body: dict[str, Any]) -> None:
    resp = client.post(AVATARS, json={"photos": photos(), **body}, headers=A)
    assert resp.status_code == 422
    assert problem_type(resp) == "validation-error"


def test_unauthenticated_calls_are_401(client: TestClient) -> None:
    assert client.get(AVATARS).status_code == 401
    assert client.post(AVATARS, json={}).status_code == 401


# --- read, list, tenancy -----------------------------------------------------------------
@pytest.mark.usefixtures("trainer")
def test_list_holds_the_tenants_own_avatars_newest_first(client: TestClient) -> None:
    first = create(client, name="first").json()["id"]
    second = create(client, name="second").json()["id"]
    theirs = create(client, B, name="theirs").json()["id"]

    mine = client.get(AVATARS, headers=A).json()
    assert [a["id"] for a in mine["data"]] == [second, first]
    assert mine["count"] == 2
    assert [a["id"] for a in client.get(AVATARS, headers=B).json()["data"]] == [theirs]
    limited = client.get(AVATARS, params={"limit": 1}, headers=A).json()
    assert [a["id"] for a in limited["data"]] == [second]
    assert client.get(AVATARS, params={"limit": 0}, headers=A).status_code == 422


@pytest.mark.usefixtures("trainer")
def test_another_tenants_avatar_is_404_on_every_verb(
    client: TestClient, settings: Settings
) -> None:
    avatar_id = trained(client)
    path = f"{AVATARS}/{avatar_id}"

    responses = [
        client.get(path, headers=B),
        client.post(f"{path}/generations", json={"prompt": "on a beach"}, headers=B),
        client.delete(path, headers=B),
        client.get(f"/v1/jobs/{avatar_id}", headers=B),
    ]
    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert all(problem_type(r) == "not-found" for r in responses)
    assert avatar_id not in json.dumps(client.get(AVATARS, headers=B).json())
    # And nothing of A's was touched
    assert client.get(path, headers=A).json()["status"] == "ready"
    assert files_under(data(settings, "artifacts") / TENANT_A / "avatars" / avatar_id)


def test_a_job_of_another_kind_is_not_an_avatar(
    client: TestClient, container: Adapters
) -> None:
    from api.domain.jobs import Job, JobKind

    job = Job.new(tenant=TENANT_A, kind=JobKind.TRY_ON, request={}, ttl_days=1)
    container.jobs.create(job)
    assert client.get(f"{AVATARS}/{job.id}", headers=A).status_code == 404
    assert client.delete(f"{AVATARS}/{job.id}", headers=A).status_code == 404
    assert container.jobs.get(TENANT_A, job.id) is not None
