"""S3 object store under moto: tenant-scoped keys, SSE, presigned URLs, prefixes."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import boto3
import pytest
import requests

from api.adapters.aws.s3 import S3ObjectStore, checked_key, parse_s3_uri
from api.domain import errors as e
from tests.aws.conftest import REGION, aws_settings


@pytest.fixture
def store(aws):
    return S3ObjectStore(aws.uploads_bucket, settings=aws)


def test_put_get_exists_roundtrip_encrypted_with_aes256_by_default(store, aws):
    store.put("t1/uploads/a.png", b"\x89PNG-bytes", content_type="image/png")

    assert store.get("t1/uploads/a.png") == b"\x89PNG-bytes"
    assert store.exists("t1/uploads/a.png")
    assert not store.exists("t1/uploads/missing.png")
    head = boto3.client("s3", region_name=REGION).head_object(
        Bucket=aws.uploads_bucket, Key="t1/uploads/a.png"
    )
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentType"] == "image/png"


def test_kms_key_setting_switches_to_sse_kms(aws):
    settings = aws_settings(kms_key_id="alias/vitrine")
    store = S3ObjectStore(settings.results_bucket, settings=settings)

    store.put("t1/r.png", b"x", content_type="image/png")

    head = boto3.client("s3", region_name=REGION).head_object(
        Bucket=settings.results_bucket, Key="t1/r.png"
    )
    assert head["ServerSideEncryption"] == "aws:kms"
    target = store.upload_target("t1/u.png", content_type="image/png", size_bytes=3, expires_in=60)
    assert target.headers["x-amz-server-side-encryption"] == "aws:kms"
    assert target.headers["x-amz-server-side-encryption-aws-kms-key-id"] == "alias/vitrine"


def test_get_missing_key_is_not_found(store):
    with pytest.raises(e.NotFound):
        store.get("t1/nothing-here")


@pytest.mark.parametrize(
    "key", ["", "no-tenant", "/t1/a", "t1//a", "t1/../t2/a", "t1/./a", "t1/a/", "t1/\x00a"]
)
def test_keys_that_are_not_tenant_scoped_are_refused(settings, key):
    # The guard runs before any AWS call, so no mock is needed to prove it.
    store = S3ObjectStore(settings.uploads_bucket, settings=settings)
    with pytest.raises(e.VitrineError, match="not tenant-scoped"):
        store.put(key, b"x", content_type="text/plain")


def test_presigned_put_binds_type_length_and_encryption(store, aws):
    target = store.upload_target(
        "t1/uploads/u.png", content_type="image/png", size_bytes=5, expires_in=300
    )

    assert target.method == "PUT"
    query = parse_qs(urlparse(target.url).query)
    signed = query["X-Amz-SignedHeaders"][0].split(";")
    # S3 recomputes the signature over these headers: another type or size is refused.
    assert {"content-length", "content-type", "x-amz-server-side-encryption"} <= set(signed)
    assert query["X-Amz-Expires"] == ["300"]
    assert target.headers == {
        "Content-Type": "image/png",
        "Content-Length": "5",
        "x-amz-server-side-encryption": "AES256",
    }
    # The client follows the target as given, and the object lands under the tenant key.
    response = requests.put(target.url, data=b"12345", headers=target.headers, timeout=5)
    assert response.status_code == 200
    assert store.get("t1/uploads/u.png") == b"12345"


def test_presigned_get_serves_the_object(store):
    store.put("t1/results/r.png", b"result", content_type="image/png")

    url = store.url_for_get("t1/results/r.png", expires_in=120)

    assert parse_qs(urlparse(url).query)["X-Amz-Expires"] == ["120"]
    assert requests.get(url, timeout=5).content == b"result"


def test_delete_prefix_removes_only_that_tenant_prefix(store):
    for n in range(3):
        store.put(f"t1/avatars/a1/photo{n}.png", b"x", content_type="image/png")
    store.put("t1/avatars/a2/photo.png", b"x", content_type="image/png")
    store.put("t10/avatars/a1/photo.png", b"x", content_type="image/png")

    assert store.delete_prefix("t1/avatars/a1/") == 3

    assert not store.exists("t1/avatars/a1/photo0.png")
    assert store.exists("t1/avatars/a2/photo.png")
    assert store.exists("t10/avatars/a1/photo.png")


@pytest.mark.parametrize("prefix", ["", "t1", "/t1/", "t1/../"])
def test_delete_prefix_refuses_unscoped_prefixes(settings, prefix):
    store = S3ObjectStore(settings.uploads_bucket, settings=settings)
    with pytest.raises(e.VitrineError, match="not tenant-scoped"):
        store.delete_prefix(prefix)
    with pytest.raises(e.VitrineError, match="not tenant-scoped"):
        store.keys(prefix)


def test_keys_lists_that_prefix_only_without_the_instance_prefix(aws):
    store = S3ObjectStore(aws.results_bucket, settings=aws, prefix="ns/")
    for key in ("t1/jobs/j1/r/b.json", "t1/jobs/j1/r/a.json", "t1/jobs/j10/r/a.json"):
        store.put(key, b"{}", content_type="application/json")
    assert store.keys("t1/jobs/j1/") == ["t1/jobs/j1/r/a.json", "t1/jobs/j1/r/b.json"]


def test_instance_prefix_namespaces_keys_and_uris(aws):
    store = S3ObjectStore(aws.models_bucket, settings=aws, prefix="avatars/")

    store.put("t1/av1.tar.gz", b"tar", content_type="application/gzip")

    assert store.uri("t1/av1.tar.gz") == f"s3://{aws.models_bucket}/avatars/t1/av1.tar.gz"
    raw = boto3.client("s3", region_name=REGION).get_object(
        Bucket=aws.models_bucket, Key="avatars/t1/av1.tar.gz"
    )
    assert raw["Body"].read() == b"tar"


def test_copy_from_is_server_side_and_encrypted(aws):
    source = S3ObjectStore(aws.models_bucket, settings=aws)
    source.put("t1/training/job/output/model.tar.gz", b"adapter", content_type="application/gzip")
    mme = S3ObjectStore(aws.models_bucket, settings=aws, prefix="avatars/")

    mme.copy_from(source.uri("t1/training/job/output/model.tar.gz"), "t1/av1.tar.gz")

    assert mme.get("t1/av1.tar.gz") == b"adapter"


def test_parse_s3_uri():
    assert parse_s3_uri("s3://b/k/x.json") == ("b", "k/x.json")
    with pytest.raises(e.VitrineError):
        parse_s3_uri("https://b/k")
    assert checked_key("t/a/b") == "t/a/b"


def test_s3_failures_become_domain_errors(aws, caplog):
    store = S3ObjectStore("bucket-that-does-not-exist", settings=aws)

    with pytest.raises(e.VitrineError) as caught:
        store.put("t1/a", b"x", content_type="text/plain")

    # The client reads which service refused; the operator reads why, in the log
    assert caught.value.detail == "s3 rejected the call"
    assert "NoSuchBucket" in caplog.text
