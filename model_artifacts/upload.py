"""Upload packed models to S3: multipart for big archives, with a progress bar.

A full Stable Diffusion ``model.tar.gz`` is ~5 GB; boto3's managed transfer splits it
into parts uploaded in parallel (``TransferConfig``) and retries each part on its own.
A directory (e.g. a local mirror of the avatar MME prefix, ``<tenant>/<avatar>.tar.gz``)
is uploaded file by file under the destination prefix.

``--versioned`` puts a file under a folder named by its content (the first 16 hex digits
of its SHA-256): ``s3://models/packed/clipseg/model.tar.gz`` becomes
``.../packed/clipseg/<sha256:16>/model.tar.gz``. An endpoint's ``ModelDataUrl`` then never
changes under it: a new archive is a new key, set in ``vitrine:<role>:modelDataKey``, and
the next ``cdk deploy`` rolls the endpoint to it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class S3Location:
    bucket: str
    key: str

    @classmethod
    def parse(cls, uri: str) -> S3Location:
        if not uri.startswith("s3://"):
            raise ValueError(f"expected s3://bucket/key, got {uri!r}")
        bucket, _, key = uri[len("s3://"):].partition("/")
        if not bucket:
            raise ValueError(f"no bucket in {uri!r}")
        return cls(bucket, key)

    @property
    def uri(self) -> str:
        return f"s3://{self.bucket}/{self.key}"


def plan(source: Path, destination: str) -> list[tuple[Path, S3Location]]:
    """Which file goes to which key. A destination ending in ``/`` (or a source
    directory) is a prefix: the file names (relative paths) are appended."""
    target = S3Location.parse(destination)
    if source.is_dir():
        prefix = target.key if not target.key or target.key.endswith("/") else target.key + "/"
        files = sorted(p for p in source.rglob("*")
                       if p.is_file() and not any(part.startswith(".")
                                                  for part in p.relative_to(source).parts))
        return [(f, S3Location(target.bucket, prefix + f.relative_to(source).as_posix()))
                for f in files]
    if not source.is_file():
        raise FileNotFoundError(source)
    key = target.key + source.name if not target.key or target.key.endswith("/") else target.key
    return [(source, S3Location(target.bucket, key))]


CONTENT_DIGITS = 16


def content_digest(path: Path) -> str:
    """The first ``CONTENT_DIGITS`` hex digits of ``path``'s SHA-256 (streamed)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(8 * MB), b""):
            digest.update(block)
    return digest.hexdigest()[:CONTENT_DIGITS]


def versioned(path: Path, location: S3Location) -> S3Location:
    """``location`` with the file's content digest as the folder above its name."""
    folder, _, name = location.key.rpartition("/")
    key = f"{folder}/{content_digest(path)}/{name}" if folder else f"{content_digest(path)}/{name}"
    return replace(location, key=key)


def upload(
    source: Path,
    destination: str,
    *,
    client: Any = None,
    part_size_mb: int = 64,
    concurrency: int = 8,
    kms_key_id: str | None = None,
    progress: bool = True,
    content_addressed: bool = False,
) -> list[str]:
    """Upload ``source`` (a file or a directory) to ``destination``; return the S3 URIs."""
    import boto3
    from boto3.s3.transfer import TransferConfig
    from tqdm import tqdm

    s3 = client or boto3.client("s3")
    config = TransferConfig(
        multipart_threshold=part_size_mb * MB,
        multipart_chunksize=part_size_mb * MB,
        max_concurrency=concurrency,
    )
    extra: dict[str, str] = (
        {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": kms_key_id} if kms_key_id else {}
    )
    uploads = plan(source, destination)
    if content_addressed:
        uploads = [(path, versioned(path, location)) for path, location in uploads]
    total = sum(path.stat().st_size for path, _ in uploads)
    done: list[str] = []
    with tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, disable=not progress,
              desc="upload") as bar:
        for path, location in uploads:
            bar.set_postfix_str(path.name)
            s3.upload_file(str(path), location.bucket, location.key, ExtraArgs=extra or None,
                           Config=config, Callback=bar.update)
            done.append(location.uri)
    return done


def configure_upload(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", type=Path, help="a model.tar.gz, or a folder to mirror")
    parser.add_argument("destination", help="s3://bucket/key, or s3://bucket/prefix/")
    parser.add_argument("--part-size-mb", type=int, default=64)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--kms-key-id", default=None, help="encrypt with this KMS key")
    parser.add_argument(
        "--versioned", action="store_true",
        help="key each file by its content (<sha256:16>/<name>): for ModelDataUrl",
    )  # fmt: skip


def run_upload(args: argparse.Namespace) -> int:
    for uri in upload(args.source, args.destination, part_size_mb=args.part_size_mb,
                      concurrency=args.concurrency, kms_key_id=args.kms_key_id,
                      content_addressed=args.versioned):
        print(uri)
    return 0
