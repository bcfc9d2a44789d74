"""S3 object store: one instance per bucket (uploads, results, models/artifacts).

Keys are tenant-scoped (``{tenant}/...``) and guarded here, so a service bug cannot
write outside a tenant's space. ``prefix`` namespaces an instance inside its bucket
(e.g. the multi-model endpoint's ``avatars/`` prefix, the async inputs' prefix).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from api.adapters.aws import clients
from api.adapters.aws.errors import aws_errors, error_code
from api.domain import errors as e
from api.domain.jobs import utcnow
from api.ports import UploadTarget

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

    from api.settings import Settings

_MAX_KEY_BYTES = 1024
_DELETE_BATCH = 1000  # DeleteObjects accepts at most 1000 keys


def checked_key(key: str) -> str:
    """Return ``key`` if it is ``{tenant}/{name...}`` with no empty, ``.`` or ``..`` part.

    Raises
    ------
    VitrineError
        For any other shape: a service bug, never client input, hence a 500.
    """
    parts = key.split("/")
    if (
        len(parts) < 2
        or any(part in ("", ".", "..") for part in parts)
        or len(key.encode()) > _MAX_KEY_BYTES
        or any(ord(ch) < 32 for ch in key)
    ):
        raise e.VitrineError(f"object key {key[:80]!r} is not tenant-scoped")
    return key


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """``s3://bucket/key`` → ``(bucket, key)``."""
    bucket, sep, key = uri.removeprefix("s3://").partition("/")
    if not uri.startswith("s3://") or not bucket or not sep or not key:
        raise e.VitrineError(f"not an S3 object URI: {uri[:120]!r}")
    return bucket, key


class S3ObjectStore:
    """``ObjectStore`` on one S3 bucket, encrypted at rest (SSE-KMS or SSE-S3).

    Parameters
    ----------
    bucket
        The bucket name.
    settings
        Region, retry policy and ``kms_key_id`` (SSE-KMS when set, else AES256).
    client
        An S3 client to use; by default the cached one from ``clients.s3``.
    prefix
        Prepended to every key, inside the bucket (``""`` or ending with ``/``).
    """

    def __init__(
        self,
        bucket: str,
        *,
        settings: Settings,
        client: S3Client | None = None,
        prefix: str = "",
    ) -> None:
        if prefix and not prefix.endswith("/"):
            raise ValueError(f"prefix {prefix!r} must end with '/'")
        self.bucket = bucket
        self.prefix = prefix
        self._settings = settings
        self._client = client
        if settings.kms_key_id:
            self._sse: dict[str, str] = {
                "ServerSideEncryption": "aws:kms",
                "SSEKMSKeyId": settings.kms_key_id,
            }
        else:
            self._sse = {"ServerSideEncryption": "AES256"}

    @property
    def client(self) -> S3Client:
        if self._client is None:
            self._client = clients.s3(self._settings)
        return self._client

    def object_key(self, key: str) -> str:
        """The S3 key for a store key (prefix + tenant-scoped key)."""
        return self.prefix + checked_key(key)

    def uri(self, key: str) -> str:
        return f"s3://{self.bucket}/{self.object_key(key)}"

    def put(self, key: str, data: bytes, *, content_type: str) -> None:
        params: dict[str, Any] = {
            "Bucket": self.bucket,
            "Key": self.object_key(key),
            "Body": data,
            "ContentType": content_type,
            **self._sse,
        }
        with aws_errors("s3"):
            self.client.put_object(**params)

    def get(self, key: str) -> bytes:
        s3_key = self.object_key(key)
        with aws_errors("s3"):
            return self._read(self.bucket, s3_key)

    def read_uri(self, uri: str) -> bytes:
        """Bytes of any object this store's role may read (async inference outputs)."""
        bucket, key = parse_s3_uri(uri)
        with aws_errors("s3"):
            return self._read(bucket, key)

    def exists(self, key: str) -> bool:
        s3_key = self.object_key(key)
        with aws_errors("s3"):
            try:
                self.client.head_object(Bucket=self.bucket, Key=s3_key)
            except ClientError as exc:
                if error_code(exc) in ("404", "NoSuchKey", "NotFound"):
                    return False
                raise
        return True

    def delete_prefix(self, prefix: str) -> int:
        tenant, sep, _rest = prefix.partition("/")
        if not tenant or not sep or ".." in prefix.split("/"):
            raise e.VitrineError(f"prefix {prefix[:80]!r} is not tenant-scoped")
        deleted = 0
        with aws_errors("s3"):
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix + prefix
            )
            for page in pages:
                keys = [obj["Key"] for obj in page.get("Contents", [])]
                for start in range(0, len(keys), _DELETE_BATCH):
                    deleted += self._delete_batch(keys[start : start + _DELETE_BATCH])
        return deleted

    def keys(self, prefix: str) -> list[str]:
        tenant, sep, _rest = prefix.partition("/")
        if not tenant or not sep or ".." in prefix.split("/"):
            raise e.VitrineError(f"prefix {prefix[:80]!r} is not tenant-scoped")
        found: list[str] = []
        with aws_errors("s3"):
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix + prefix
            )
            for page in pages:
                found += [obj["Key"].removeprefix(self.prefix) for obj in page.get("Contents", [])]
        return sorted(found)

    def url_for_get(self, key: str, *, expires_in: int) -> str:
        with aws_errors("s3"):
            return self.client.generate_presigned_url(
                "get_object",
                Params={"Bucket": self.bucket, "Key": self.object_key(key)},
                ExpiresIn=expires_in,
            )

    def upload_target(
        self, key: str, *, content_type: str, size_bytes: int, expires_in: int
    ) -> UploadTarget:
        """A presigned PUT whose signature covers the content type, the exact length and
        the encryption header: S3 refuses a PUT that differs in any of them."""
        if size_bytes <= 0:
            raise e.RequestValidationFailed("size_bytes must be positive")
        params: dict[str, Any] = {
            "Bucket": self.bucket,
            "Key": self.object_key(key),
            "ContentType": content_type,
            "ContentLength": size_bytes,
            **self._sse,
        }
        with aws_errors("s3"):
            url = self.client.generate_presigned_url(
                "put_object", Params=params, ExpiresIn=expires_in
            )
        headers = {
            "Content-Type": content_type,
            "Content-Length": str(size_bytes),
            "x-amz-server-side-encryption": self._sse["ServerSideEncryption"],
        }
        if "SSEKMSKeyId" in self._sse:
            headers["x-amz-server-side-encryption-aws-kms-key-id"] = self._sse["SSEKMSKeyId"]
        return UploadTarget(
            url=url,
            method="PUT",
            headers=headers,
            expires_at=utcnow() + timedelta(seconds=expires_in),
        )

    def copy_from(self, source_uri: str, key: str) -> None:
        """Server-side copy of ``source_uri`` to ``key`` here (objects up to 5 GB)."""
        bucket, source_key = parse_s3_uri(source_uri)
        params: dict[str, Any] = {
            "Bucket": self.bucket,
            "Key": self.object_key(key),
            "CopySource": {"Bucket": bucket, "Key": source_key},
            "MetadataDirective": "COPY",
            **self._sse,
        }
        with aws_errors("s3"):
            self.client.copy_object(**params)

    def _read(self, bucket: str, key: str) -> bytes:
        try:
            response = self.client.get_object(Bucket=bucket, Key=key)
        except self.client.exceptions.NoSuchKey as exc:
            raise e.NotFound("object not found") from exc
        return response["Body"].read()

    def _delete_batch(self, keys: list[str]) -> int:
        response = self.client.delete_objects(
            Bucket=self.bucket,
            Delete={"Objects": [{"Key": k} for k in keys], "Quiet": True},
        )
        if response.get("Errors"):
            raise e.DependencyUnavailable(f"s3 could not delete {len(response['Errors'])} objects")
        return len(keys)
