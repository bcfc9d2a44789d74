"""Avatar training helpers: SageMaker's training output and its EventBridge event."""

from __future__ import annotations

import io
import tarfile

import boto3

from api.adapters.aws.s3 import parse_s3_uri
from api.adapters.aws.sagemaker_training import tags_of
from tests.aws.conftest import REGION
from tests.aws.events import load_event


def tar_gz(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def state_change(job_name: str, status: str = "Completed") -> dict:
    """The EventBridge event for the training job as SageMaker describes it now."""
    sagemaker = boto3.client("sagemaker", region_name=REGION)
    described = sagemaker.describe_training_job(TrainingJobName=job_name)
    template = "eventbridge_training_failed" if status == "Failed" else (
        "eventbridge_training_completed")
    event = load_event(template)
    detail = event["detail"]
    detail.update(TrainingJobName=job_name, TrainingJobArn=described["TrainingJobArn"],
                  TrainingJobStatus=status,
                  Tags=tags_of(sagemaker.list_tags(ResourceArn=described["TrainingJobArn"])["Tags"]))
    if status == "Completed":
        detail["ModelArtifacts"] = described["ModelArtifacts"]
    event["resources"] = [described["TrainingJobArn"]]
    return event


def write_training_output(event: dict, files: dict[str, bytes]) -> None:
    bucket, key = parse_s3_uri(event["detail"]["ModelArtifacts"]["S3ModelArtifacts"])
    boto3.client("s3", region_name=REGION).put_object(Bucket=bucket, Key=key, Body=tar_gz(files))
