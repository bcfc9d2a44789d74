"""Attribute models on AWS: the SageMaker training request (train and base channels), the
training event that finishes them, and the figures read from the output archive (moto)."""

from __future__ import annotations

import io
import json
import tarfile

from api.adapters.aws.events import parse_training_event
from api.adapters.aws.s3 import S3ObjectStore
from api.adapters.aws.sagemaker_training import SageMakerTrainingLauncher
from api.domain.job_data import AttributeModelTrainingRequest, NoState
from api.domain.jobs import Job, JobKind, JobStatus
from api.domain.outcomes import JobRef, TrainingFinished
from api.services.attribute_models import (
    AttributeModelTrainingJob,
    adapter_key,
    model_prefix,
    training_spec,
)
from tests.aws.captured_events import in_eventbridge, training_detail
from tests.aws.conftest import aws_settings

BASE = "s3://vitrine-models-test/base/blip2-flan-t5-xl/"
METRICS = {"accuracy": {"color": 0.75, "__overall__": 0.75}, "train_examples": 12,
           "validation_examples": 4, "validation_images": 2, "steps": 30}


def test_the_training_job_gets_the_data_and_the_blip2_base_as_channels():
    settings = aws_settings(blip2_base_model_uri=BASE)
    job = Job.new(tenant="t1", kind=JobKind.ATTRIBUTE_MODEL_TRAINING, ttl_days=1,
                  request=AttributeModelTrainingRequest(
                      name="c", data_prefix="t1/attribute-models/atm_1/data/", rows=4, images=4,
                      attributes=["color"], steps=30, epochs=3, rank=8,
                      validation_fraction=0.2, seed=7).model_dump(mode="json"))
    request = SageMakerTrainingLauncher(settings=settings).request(training_spec(job))
    channels = {c["ChannelName"]: c["DataSource"]["S3DataSource"]["S3Uri"]
                for c in request["InputDataConfig"]}
    assert channels == {
        "train": f"s3://{settings.uploads_bucket}/t1/attribute-models/atm_1/data/",
        "base": BASE,
    }
    assert request["HyperParameters"]["sagemaker_program"] == "blip2/train.py"
    assert request["HyperParameters"]["max_steps"] == "30"
    assert request["OutputDataConfig"]["S3OutputPath"] == (
        f"s3://{settings.models_bucket}/t1/attribute-models/{job.id}/")
    assert {"Key": "vitrine:kind", "Value": "blip2"} in request["Tags"]


def test_a_blip2_training_event_can_only_finish_an_attribute_model():
    tags = {**training_detail()["Tags"], "vitrine:kind": "blip2"}
    change = parse_training_event(in_eventbridge(training_detail(Tags=tags)))
    assert change.job.kind is JobKind.ATTRIBUTE_MODEL_TRAINING


def archive(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def test_completion_reads_the_figures_from_the_output_archive(aws):
    # Given a finished SageMaker job's model.tar.gz (adapter + training.json) in S3
    artifacts = S3ObjectStore(aws.models_bucket, settings=aws)
    job = Job.new(tenant="t1", kind=JobKind.ATTRIBUTE_MODEL_TRAINING, ttl_days=1,
                  request={})
    key = f"{model_prefix('t1', job.id)}vitrine-blip2-x/output/model.tar.gz"
    artifacts.put(key, archive({"adapter_config.json": b"{}",
                                "adapter_model.safetensors": b"w",
                                "training.json": json.dumps(METRICS).encode()}),
                  content_type="application/gzip")
    req = AttributeModelTrainingRequest(
        name="c", data_prefix="d/", rows=16, images=8, attributes=["color"], steps=30,
        epochs=3, rank=8, validation_fraction=0.2, seed=7)

    # When its training event completes the job
    steps = AttributeModelTrainingJob(training=None, artifacts=artifacts)  # type: ignore[arg-type]
    result = steps.complete(job, req, NoState(), TrainingFinished(
            JobRef("t1", job.id, kind=JobKind.ATTRIBUTE_MODEL_TRAINING),
            artifacts=f"s3://{aws.models_bucket}/{key}", training_job="vitrine-blip2-x"))

    # Then the held-out accuracy is the archive's, and the handler's key is the archive's
    assert result["accuracy"] == {"color": 0.75} and result["overall_accuracy"] == 0.75
    assert (result["validation_images"], result["steps"]) == (2, 30)

    class Jobs:
        def get(self, tenant: str, job_id: str) -> Job:
            return Job(**{**{f: getattr(job, f) for f in job.__dataclass_fields__},
                          "status": JobStatus.SUCCEEDED, "result": result})

    assert adapter_key(Jobs(), "t1", job.id) == key  # type: ignore[arg-type]
