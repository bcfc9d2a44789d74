"""``model_artifacts upload`` against moto's S3: multipart, prefixes, KMS."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import boto3
import pytest
from moto import mock_aws

from model_artifacts.upload import MB, S3Location, plan, upload

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from mypy_boto3_s3 import S3Client

BUCKET = "vitrine-models-test"


@pytest.fixture
def s3() -> Iterator[S3Client]:
    with mock_aws():
        client = boto3.client("s3")
        client.create_bucket(Bucket=BUCKET,
                             CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        yield client


def test_a_big_archive_goes_up_in_parts(s3: S3Client, tmp_path: Path) -> None:
    # Given a 12 MB archive and 5 MB parts (S3's minimum part size)
    archive = tmp_path / "model.tar.gz"
    payload = os.urandom(12 * MB)
    archive.write_bytes(payload)

    uris = upload(archive, f"s3://{BUCKET}/inpainting/", client=s3, part_size_mb=5,
                  progress=False)

    assert uris == [f"s3://{BUCKET}/inpainting/model.tar.gz"]
    head = s3.head_object(Bucket=BUCKET, Key="inpainting/model.tar.gz")
    assert head["ETag"].strip('"').endswith("-3")  # a multipart upload's ETag: 3 parts
    body = s3.get_object(Bucket=BUCKET, Key="inpainting/model.tar.gz")["Body"].read()
    assert body == payload


def test_a_folder_mirrors_under_a_prefix_with_kms(s3: S3Client, tmp_path: Path) -> None:
    key_id = boto3.client("kms").create_key()["KeyMetadata"]["KeyId"]
    (tmp_path / "t1").mkdir()
    (tmp_path / "t1" / "a1.tar.gz").write_bytes(b"adapter")
    (tmp_path / "t2").mkdir()
    (tmp_path / "t2" / "b.tar.gz").write_bytes(b"other")
    (tmp_path / ".extracted").mkdir()
    (tmp_path / ".extracted" / "cache").write_bytes(b"never uploaded")

    uris = upload(tmp_path, f"s3://{BUCKET}/avatars", client=s3, kms_key_id=key_id,
                  progress=False)

    assert uris == [f"s3://{BUCKET}/avatars/t1/a1.tar.gz", f"s3://{BUCKET}/avatars/t2/b.tar.gz"]
    head = s3.head_object(Bucket=BUCKET, Key="avatars/t1/a1.tar.gz")
    assert head["ServerSideEncryption"] == "aws:kms"
    assert key_id in head["SSEKMSKeyId"]


def test_destinations_are_parsed_strictly(tmp_path: Path) -> None:
    archive = tmp_path / "model.tar.gz"
    archive.write_bytes(b"x")
    assert plan(archive, "s3://b/exact/key.tar.gz")[0][1] == S3Location("b", "exact/key.tar.gz")
    assert plan(archive, "s3://b")[0][1] == S3Location("b", "model.tar.gz")
    for bad in ("b/key", "s3:///key", "https://b/key"):
        with pytest.raises(ValueError):
            plan(archive, bad)
    with pytest.raises(FileNotFoundError):
        plan(tmp_path / "missing", "s3://b/")


def test_a_versioned_upload_names_its_content(s3: S3Client, tmp_path: Path) -> None:
    """A new archive is a new key: an endpoint's ModelDataUrl never changes under it."""
    import hashlib

    from cdk.config import content_addressed

    archive = tmp_path / "model.tar.gz"
    archive.write_bytes(b"weights v1")
    (first,) = upload(archive, f"s3://{BUCKET}/packed/clipseg/model.tar.gz", client=s3,
                      progress=False, content_addressed=True)  # fmt: skip
    digest = hashlib.sha256(b"weights v1").hexdigest()[:16]
    assert first == f"s3://{BUCKET}/packed/clipseg/{digest}/model.tar.gz"
    assert content_addressed(first.split("/", 3)[3])

    archive.write_bytes(b"weights v2")
    (second,) = upload(archive, f"s3://{BUCKET}/packed/clipseg/model.tar.gz", client=s3,
                       progress=False, content_addressed=True)  # fmt: skip
    assert second != first
    old = s3.get_object(Bucket=BUCKET, Key=first.split("/", 3)[3])["Body"].read()
    assert old == b"weights v1"  # what running instances load is untouched
