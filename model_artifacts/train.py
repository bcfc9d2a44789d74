"""``python -m model_artifacts train KIND``: a Vitrine training job, through the SageMaker SDK.

The job is the one the API's launcher starts for the same kind
(``SageMakerTrainingLauncher.request``: the recipe's entry point, channels and
hyperparameters from ``api/domain/training_recipes.py``, the training image and role,
network isolation, encryption, the ``vitrine:tenant``/``vitrine:job-id``/``vitrine:kind``
tags), created with the SDK's ``TrainingJob`` resource (``sagemaker-core``, the ops
extra). Local training data is uploaded first under the model's prefix in the uploads
bucket, where the API keeps a model's data. ``--wait`` follows the job: its status and
its CloudWatch logs, with a progress bar of the steps ``train.py`` logs (``step=N``).

Settings are the API's (``VITRINE_*``, as CDK sets them on the API Lambda).
"""

from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from api.domain.errors import VitrineError
from api.domain.training_recipes import CLI_KINDS, recipe

if TYPE_CHECKING:
    import argparse

    import boto3

    from api.settings import Settings

LOG_GROUP = "/aws/sagemaker/TrainingJobs"
TERMINAL = ("Completed", "Failed", "Stopped")
STEP = re.compile(r"\bstep=(\d+)\b")
# The model id's prefix per run kind, as the API mints them (the job's vitrine:job-id).
ID_PREFIX = {"avatar": "avt", "blip2": "atm", "style": "sty", "product": "prd", "concept": "cpt"}


@dataclass(frozen=True, slots=True)
class Launched:
    training_job: str
    model_id: str
    steps: int | None  # the run's step count, when it is known up front


def configure_train(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=sorted(CLI_KINDS), help="what to train")
    parser.add_argument("--input",
                        help="training data: a local folder (uploaded) or an s3:// prefix")
    parser.add_argument("--tenant", help="the tenant the model is for")
    parser.add_argument("--hp", action="append", default=[], metavar="NAME=VALUE",
                        help="a train.py hyperparameter (repeatable); see --list-hyperparameters")
    parser.add_argument("--instance-type", default=None,
                        help="default: VITRINE_TRAINING_INSTANCE_TYPE")
    parser.add_argument("--wait", action="store_true",
                        help="follow the job: status, logs, a progress bar of its steps")
    parser.add_argument("--poll", type=float, default=15.0, help="seconds between checks")
    parser.add_argument("--list-hyperparameters", action="store_true",
                        help="print the kind's hyperparameters and defaults, then exit")


def run_train(args: argparse.Namespace) -> int:
    run_kind = CLI_KINDS[args.kind]
    if args.list_hyperparameters:
        for h in recipe(run_kind).hyperparameters:
            print(f"{h.name:<26} {h.type:<6} {h.default or '-':<20} {h.help}")
        return 0
    if not (args.input and args.tenant):
        print("error: train needs --input and --tenant", file=sys.stderr)
        return 2
    from api.settings import Settings

    try:
        values = dict(_pair(item) for item in args.hp)
        launched = launch(run_kind, tenant=args.tenant, source=args.input, values=values,
                          settings=Settings(), instance_type=args.instance_type)
    except (VitrineError, ValueError) as err:
        print(f"error: {getattr(err, 'detail', err)}", file=sys.stderr)
        return 2
    except (BotoCoreError, ClientError) as err:  # credentials, permissions, throttling
        print(f"error: AWS refused: {err}", file=sys.stderr)
        return 1
    print(f"training job {launched.training_job} (model {launched.model_id})")
    print(f"register it when it completes: python -m model_artifacts register "
          f"--training-job {launched.training_job} --tenant {args.tenant}")
    if not args.wait:
        return 0
    status = follow(launched.training_job, steps=launched.steps, poll=args.poll)
    return 0 if status == "Completed" else 1


def launch(run_kind: str, *, tenant: str, source: str, values: dict[str, str],
           settings: Settings, instance_type: str | None = None,
           session: boto3.Session | None = None) -> Launched:  # fmt: skip
    """Upload local data, then create the job the API's launcher would for ``run_kind``."""
    from api.adapters.aws.sagemaker_training import SageMakerTrainingLauncher, training_job_name
    from api.ports import TrainingSpec

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}", tenant):
        raise ValueError(f"tenant {tenant!r}: letters, digits and _.:@- only")
    if not source.startswith("s3://") and not _files(Path(source)):
        raise ValueError(f"no training data in {source} (a folder, or an s3:// prefix)")
    if instance_type:
        settings = settings.model_copy(update={"training_instance_type": instance_type})
    run = recipe(run_kind)
    hyperparameters = {**run.defaults(), **_default_token(run_kind), **_photos(run_kind, source),
                       **values}  # fmt: skip
    model_id = _new_id(ID_PREFIX[run_kind])
    output_prefix = f"{tenant}/models/{model_id}/"
    data_prefix = output_prefix + "data/"
    spec = TrainingSpec(kind=run_kind, job_id=model_id, tenant=tenant, input_prefix=data_prefix,
                        output_prefix=output_prefix, hyperparameters=hyperparameters)
    request = SageMakerTrainingLauncher(settings=settings).request(spec)  # checks it all
    session = session or _session(settings)
    if source.startswith("s3://"):
        for channel in request["InputDataConfig"]:
            if channel["ChannelName"] == run.input_channel:
                channel["DataSource"]["S3DataSource"]["S3Uri"] = source.rstrip("/") + "/"
    else:
        _upload(Path(source), settings.uploads_bucket, data_prefix, session)
    from sagemaker.core.resources import TrainingJob

    TrainingJob.create(**sdk_arguments(request), session=session)
    steps = int(hyperparameters.get(run.steps, "0")) if run.steps else 0
    return Launched(training_job_name(run_kind, model_id), model_id, steps if steps > 0 else None)


def sdk_arguments(request: dict[str, Any]) -> dict[str, Any]:
    """A ``CreateTrainingJob`` request as ``TrainingJob.create``'s arguments: snake_case
    names (the SDK's shapes validate the nested dicts); hyperparameter names kept."""
    arguments = {_snake(name): _snake_keys(value) for name, value in request.items()}
    arguments["hyper_parameters"] = dict(request["HyperParameters"])
    return arguments


def follow(training_job: str, *, steps: int | None, poll: float = 15.0,
           session: boto3.Session | None = None) -> str:  # fmt: skip
    """Print the job's status changes and log lines, with a bar of its steps; its status."""
    from sagemaker.core.resources import TrainingJob
    from sagemaker.core.utils.logs import MultiLogStreamHandler
    from tqdm import tqdm

    job = TrainingJob.get(training_job_name=training_job, session=session)
    logs = MultiLogStreamHandler(LOG_GROUP, training_job, expected_stream_count=1)
    seen = ""
    with tqdm(total=steps, unit="step", desc=training_job[:40], dynamic_ncols=True) as bar:
        while True:
            job.refresh()
            status = f"{job.training_job_status}/{job.secondary_status}"
            if status != seen:
                bar.write(f"status: {status}")
                bar.set_postfix_str(status)
                seen = status
            if logs.ready():
                for _stream, event in logs.get_latest_log_events():
                    message = str(event["message"]).rstrip()
                    bar.write(message)
                    if found := STEP.search(message):
                        bar.update(max(0, int(found[1]) - bar.n))
            if job.training_job_status in TERMINAL:
                break
            time.sleep(poll)
    final = str(job.training_job_status)
    if final != "Completed":
        print(f"{final}: {job.failure_reason}", file=sys.stderr)
    return final


def _default_token(run_kind: str) -> dict[str, str]:
    """The API's token for a tenant-model kind (train.py's product default is none)."""
    from api.services.models import KINDS

    kind = KINDS.get(run_kind)
    return {"token": kind.default_token} if kind is not None else {}


def _photos(run_kind: str, source: str) -> dict[str, str]:
    """An avatar from a local folder: exactly its photos, as the API holds a set to."""
    if run_kind != "avatar" or source.startswith("s3://"):
        return {}
    count = str(len(_files(Path(source))))
    return {"min_photos": count, "max_photos": count}


def _files(folder: Path) -> list[Path]:
    """The files under ``folder`` (none when it is not a folder), hidden ones left out."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def _new_id(prefix: str) -> str:
    from api.domain.jobs import new_id

    return new_id(prefix)


def _session(settings: Settings) -> boto3.Session:
    import boto3

    return boto3.Session(region_name=settings.aws_region or None)


def _upload(folder: Path, bucket: str, prefix: str, session: boto3.Session) -> None:
    """Every file under ``folder`` to ``s3://bucket/prefix`` (a progress bar of bytes)."""
    from tqdm import tqdm

    if not bucket:
        raise ValueError("VITRINE_UPLOADS_BUCKET is not set")
    files = _files(folder)
    s3 = session.client("s3")
    total = sum(p.stat().st_size for p in files)
    with tqdm(total=total, unit="B", unit_scale=True, desc="upload") as bar:
        for path in files:
            key = prefix + path.relative_to(folder).as_posix()
            s3.upload_file(str(path), bucket, key, Callback=bar.update)


def _pair(item: str) -> tuple[str, str]:
    name, sep, value = item.partition("=")
    if not sep or not name.strip():
        raise ValueError(f"--hp {item!r}: expected NAME=VALUE")
    return name.strip(), value


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def _snake_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {_snake(k): _snake_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_snake_keys(v) for v in value]
    return value
