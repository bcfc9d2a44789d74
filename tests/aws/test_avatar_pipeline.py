"""Avatar pieces on AWS: launch → EventBridge state change → adapter on the MME prefix →
invocation with the right ``TargetModel``. (The avatar API itself is issue #3.)"""

from __future__ import annotations

import io
import json
import tarfile

import boto3
import pytest

from api.adapters.aws import mme
from api.adapters.aws.dynamo import DynamoJobStore
from api.adapters.aws.s3 import S3ObjectStore
from api.adapters.aws.sagemaker_runtime import SageMakerModelRuntime
from api.adapters.aws.sagemaker_training import SageMakerTrainingLauncher
from api.adapters.aws.triton import BINARY_JSON
from api.domain.job_data import AvatarTrainingRequest
from api.domain.jobs import Job, JobKind
from api.ports import TrainingSpec
from tests.aws.avatar_support import state_change, write_training_output
from tests.aws.conftest import REGION
from tests.aws.events import load_event
from tests.aws.faults import Fault
from tests.aws.lambdas_env import FakeContext, export_settings

CTX = FakeContext()
TENANT = "k7x2q9ab3c"
# A typed avatar request (api.domain.job_data.AvatarTrainingRequest), as the API stores it.
AVATAR_REQUEST = AvatarTrainingRequest(
    name="Ana", subject_class="woman", token="sks", instance_prompt="a photo of sks woman",
    photo_prefix=f"{TENANT}/avatars/x/", photo_count=10, min_photo_side=512, steps=400,
    resolution=512, rank=4, seed=1,
).model_dump(mode="json")
WEIGHTS = b"\x00lora-weights\xff" * 64


def members(data: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        return {m.name: archive.extractfile(m).read() for m in archive.getmembers() if m.isfile()}


@pytest.fixture
def lambda_env(aws, monkeypatch):
    export_settings(monkeypatch, aws)
    from lambdas import _root, training_events

    _root.reset()
    yield training_events.handler
    _root.reset()


@pytest.fixture
def training_job(aws):
    """A queued avatar-training job, launched on (moto's) SageMaker, which completes it."""
    jobs = DynamoJobStore(aws.jobs_table, settings=aws)
    job = Job.new(tenant=TENANT, kind=JobKind.AVATAR_TRAINING, request=AVATAR_REQUEST,
                  ttl_days=30)
    jobs.create(job)
    spec = TrainingSpec(kind="avatar", job_id=job.id, tenant=TENANT,
                        input_prefix=f"{TENANT}/avatars/{job.id}/photos/",
                        output_prefix=f"{TENANT}/avatars/{job.id}/training/",
                        hyperparameters={"max_train_steps": "400"})
    SageMakerTrainingLauncher(settings=aws).launch(spec)
    return jobs, job, spec


def test_completed_training_registers_the_adapter_on_the_mme_and_finishes_the_job(
    aws, lambda_env, training_job
):
    jobs, job, spec = training_job
    name = boto3.client("sagemaker", region_name=REGION).list_training_jobs()[
        "TrainingJobSummaries"][0]["TrainingJobName"]
    event = state_change(name)
    write_training_output(event, {"pytorch_lora_weights.safetensors": WEIGHTS,
                                  "avatar.json": b'{"token": "sks"}'})

    assert lambda_env(event, CTX) == {"outcome": "succeeded"}

    done = jobs.get(TENANT, job.id)
    assert done.status.value == "succeeded"
    target = f"{TENANT}/{job.id}.tar.gz"
    assert done.result["target_model"] == target
    assert done.result["metadata"] == {"token": "sks"}  # avatar.json, for the avatar view
    packed = S3ObjectStore(aws.models_bucket, settings=aws, prefix=aws.mme_prefix).get(target)
    files = members(packed)
    model = mme.triton_model_name(TENANT, job.id)
    assert files[f"{model}/1/adapter/pytorch_lora_weights.safetensors"] == WEIGHTS
    assert files[f"{model}/1/adapter/avatar.json"] == b'{"token": "sks"}'
    # Weights and config only: the model code is the serving image's (a shim imports it)
    assert set(files) == {f"{model}/config.pbtxt", f"{model}/1/model.py",
                          f"{model}/1/adapter/pytorch_lora_weights.safetensors",
                          f"{model}/1/adapter/avatar.json"}
    # The generation path then names exactly this object as its TargetModel.
    s3 = boto3.client("s3", region_name=REGION)
    s3.head_object(Bucket=aws.models_bucket, Key=aws.mme_prefix + done.result["target_model"])

    # A repeated event (SageMaker may send several) changes nothing.
    assert lambda_env(event, CTX) == {"outcome": "duplicate"}

    # And generating from the avatar invokes the MME with that TargetModel.
    runtime = SageMakerModelRuntime(settings=aws, async_inputs=None)
    header = json.dumps({"outputs": [
        {"name": "images", "datatype": "BYTES", "shape": [0],
         "parameters": {"binary_data_size": 0}},
        {"name": "seed", "datatype": "INT64", "shape": [1], "data": [3]}]}).encode()
    Fault(runtime.client, "InvokeEndpoint", status=200, body=header, times=1,
          headers={"Content-Type": f"{BINARY_JSON};json-header-size={len(header)}"})
    sent = []
    runtime.client.meta.events.register_first(
        "before-send.sagemaker-runtime.InvokeEndpoint", lambda request, **_: sent.append(request)
    )
    assert runtime.invoke("avatar", {"prompt": "sks person"},
                          target_model=done.result["target_model"]) == {"images": [], "seed": 3}
    assert sent[0].headers["X-Amzn-SageMaker-Target-Model"] == target.encode()


def test_failed_training_fails_the_job_with_the_failure_reason(aws, lambda_env, training_job):
    jobs, job, _ = training_job
    name = boto3.client("sagemaker", region_name=REGION).list_training_jobs()[
        "TrainingJobSummaries"][0]["TrainingJobName"]
    event = state_change(name, status="Failed")

    assert lambda_env(event, CTX) == {"outcome": "failed"}

    failed = jobs.get(TENANT, job.id)
    assert failed.error.type == "model-error"
    assert "photo set rejected" in failed.error.detail
    assert lambda_env(event, CTX) == {"outcome": "duplicate"}


def test_stopped_training_fails_the_job(aws, lambda_env, training_job):
    jobs, job, _ = training_job
    event = load_event("eventbridge_training_failed")
    event["detail"].update(TrainingJobStatus="Stopped", FailureReason="MaxRuntimeExceeded")
    event["detail"]["Tags"]["vitrine:job-id"] = job.id

    assert lambda_env(event, CTX) == {"outcome": "failed"}
    assert "stopped" in jobs.get(TENANT, job.id).error.detail.lower()


def test_in_progress_moves_the_job_to_running(aws, lambda_env, training_job):
    jobs, job, _ = training_job
    event = load_event("eventbridge_training_completed")
    event["detail"].update(TrainingJobStatus="InProgress")
    event["detail"]["Tags"]["vitrine:job-id"] = job.id

    assert lambda_env(event, CTX) == {"outcome": "running"}
    assert jobs.get(TENANT, job.id).status.value == "running"


def test_untagged_or_foreign_training_jobs_are_ignored(lambda_env):
    event = load_event("eventbridge_training_completed")
    event["detail"]["Tags"] = {"team": "data-science"}
    assert lambda_env(event, CTX) == {"outcome": "ignored"}
    other = load_event("eventbridge_training_completed")
    other["detail-type"] = "SageMaker Endpoint State Change"
    assert lambda_env(other, CTX) == {"outcome": "ignored"}


def test_a_training_event_cannot_finish_a_job_of_another_kind(aws, lambda_env):
    jobs = DynamoJobStore(aws.jobs_table, settings=aws)
    try_on = Job.new(tenant=TENANT, kind=JobKind.TRY_ON, request={}, ttl_days=1)
    jobs.create(try_on)
    event = load_event("eventbridge_training_failed")
    event["detail"]["Tags"]["vitrine:job-id"] = try_on.id

    assert lambda_env(event, CTX) == {"outcome": "ignored"}
    assert jobs.get(TENANT, try_on.id).status.value == "queued"


def test_a_training_output_without_adapter_files_fails_the_job(aws, lambda_env, training_job):
    jobs, job, _ = training_job
    name = boto3.client("sagemaker", region_name=REGION).list_training_jobs()[
        "TrainingJobSummaries"][0]["TrainingJobName"]
    event = state_change(name)
    write_training_output(event, {})

    assert lambda_env(event, CTX) == {"outcome": "failed"}
    assert "not a usable avatar adapter" in jobs.get(TENANT, job.id).error.detail


# The archive layout itself (hostile paths, reproducibility, the shim) is tested in
# tests/models/test_avatar_archive.py, beside its owner sagemaker_containers/avatar/archive.py.


def test_model_names_are_unique_per_tenant_and_avatar():
    names = {mme.triton_model_name(t, a) for t in ("t1", "t2") for a in ("a1", "a2")}
    assert len(names) == 4
    assert all(json.dumps(n).isascii() and "/" not in n for n in names)
