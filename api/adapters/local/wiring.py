"""Local adapters: every port on one machine, data under ``settings.data_dir``.

``data_dir/uploads``, ``results``, ``artifacts`` hold the object stores and
``data_dir/vitrine.db`` the jobs and idempotency records. The in-process worker, model
runtime and trainer are handed the core's job runner and outcome handler when the
composition root calls ``Adapters.connect``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from api.adapters.local.auth import ApiKeyTenantResolver
from api.adapters.local.avatars import LocalAvatarRegistry
from api.adapters.local.copywriter import TemplateCopywriter
from api.adapters.local.expiry import ExpirySweeper
from api.adapters.local.fs import FilesystemObjectStore
from api.adapters.local.lazy import LazyRuntime
from api.adapters.local.moderator import WordListModerator
from api.adapters.local.outbox import OutboxSender
from api.adapters.local.outcomes import OutcomeRelay
from api.adapters.local.progress import MemoryProgressBoard
from api.adapters.local.secrets import resolve_secrets
from api.adapters.local.signing import UrlSigner
from api.adapters.local.sqlite import (
    Database,
    SqliteIdempotencyStore,
    SqliteJobStore,
    SqliteWebhookOutbox,
)
from api.adapters.local.taxonomies import SqliteTaxonomyStore
from api.adapters.local.training import LocalTrainingLauncher
from api.adapters.local.webhook_secrets import SqliteWebhookSecretStore, restrict_database
from api.adapters.local.worker import InProcessWorker, interrupted_failure
from api.adapters.webhooks import HttpWebhookSender, tenant_signing_secrets
from api.ports import Adapters

if TYPE_CHECKING:
    from collections.abc import Callable

    from api.domain.jobs import Job
    from api.ports import (
        ModelRuntime,
        Moderator,
        OutcomeSink,
        ProgressBoard,
        TrainingLauncher,
        WebhookSender,
    )
    from api.settings import Settings

    RuntimeFactory = Callable[[OutcomeSink], ModelRuntime]
    TrainingFactory = Callable[
        [FilesystemObjectStore, FilesystemObjectStore, OutcomeSink], TrainingLauncher
    ]


def build(
    settings: Settings,
    *,
    runtime: RuntimeFactory | None = None,
    training: TrainingFactory | None = None,
    moderator: Moderator | None = None,
    webhooks: WebhookSender | None = None,
) -> Adapters:
    """Assemble the local adapters; the worker starts when the root connects them.

    The keyword arguments replace one adapter each (tests pass fakes): ``runtime`` and
    ``training`` are factories, given the outcome sink (and, for ``training``, the
    uploads and artifacts stores) the real ones would get.
    """
    data = settings.data_dir
    data.mkdir(parents=True, exist_ok=True)
    # No built-in secret signs anything: explicit values, else generated into the data dir.
    settings = resolve_secrets(settings)
    signer = UrlSigner(settings.url_signing_secret.get_secret_value())

    def store(name: str) -> FilesystemObjectStore:
        return FilesystemObjectStore(name, data / name, signer, settings.public_base_url)

    uploads, artifacts = store("uploads"), store("artifacts")
    relay = OutcomeRelay()
    db = Database(data / "vitrine.db")
    # Tenants' webhook secrets live in it: readable by its owner only, as secrets.json.
    restrict_database(data / "vitrine.db")
    jobs = SqliteJobStore(db)
    webhook_secrets = SqliteWebhookSecretStore(db)
    worker = InProcessWorker(
        threads=settings.worker_threads,
        pending=jobs.unfinished,
        # A job whose runs keep killing the process ends failed, not recovered forever.
        interrupted=jobs.count_interrupted_run,
        give_up=lambda job, runs: relay(interrupted_failure(job, runs)),
    )
    # Terminal events are written with the transition and sent by this thread, not the
    # worker's (``webhooks`` below stays for direct sends, e.g. tests' fakes).
    outbox = OutboxSender(
        SqliteWebhookOutbox(db),
        jobs,
        settings,
        secrets=lambda tenant: tenant_signing_secrets(webhook_secrets, settings, tenant),
    )
    progress = MemoryProgressBoard()
    model_runtime = (
        runtime(relay)
        if runtime
        else LazyRuntime(lambda: _inprocess_runtime(settings, relay, progress))
    )
    launcher = (
        training(uploads, artifacts, relay)
        if training
        else LocalTrainingLauncher(
            uploads=uploads,
            artifacts=artifacts,
            models_dir=settings.models_dir,
            deliver=relay,
            # Trainings run in child processes on threads of their own, not the worker's.
            threads=settings.training_threads,
            # Scratch copies of a subject's photos stay under the data dir, swept at start.
            scratch_dir=data / "training-scratch",
            progress=progress,
        )
    )

    results = store("results")
    idempotency = SqliteIdempotencyStore(
        db, in_progress_lease=timedelta(seconds=settings.idempotency_lease_seconds)
    )
    # Local stand-in for S3 lifecycle rules and DynamoDB TTL (api/adapters/local/expiry.py).
    sweeper = ExpirySweeper(jobs=jobs, idempotency=idempotency, uploads=uploads, results=results)

    def connect(run: Callable[[Job], object], handle: OutcomeSink) -> None:
        relay.connect(handle)
        worker.start(run)
        sweeper.start()

    return Adapters(
        uploads=uploads,
        results=results,
        artifacts=artifacts,
        jobs=jobs,
        idempotency=idempotency,
        runtime=model_runtime,
        copywriter=TemplateCopywriter(),
        moderator=moderator or WordListModerator(),
        queue=worker,
        training=launcher,
        avatars=LocalAvatarRegistry(artifacts=artifacts, mme_prefix=settings.mme_prefix),
        webhooks=webhooks or HttpWebhookSender(settings),
        tenants=ApiKeyTenantResolver(settings.api_key_map()),
        webhook_secrets=webhook_secrets,
        taxonomies=SqliteTaxonomyStore(db),
        connect=connect,
        housekeeping=sweeper.add_task,
        outbox=None if webhooks else outbox,
        progress=progress,
        # Closed in reverse: the sweeper and worker stop, trainings end (recovered at the
        # next start), then the sender (what is pending stays in the table), before the
        # runtime and database go.
        closers=[db, model_runtime, outbox, launcher, worker, sweeper],
    )


def _inprocess_runtime(
    settings: Settings, deliver: OutcomeSink, progress: ProgressBoard
) -> ModelRuntime:
    from api.adapters.local.inprocess import InProcessRuntime

    # The avatar handler serves adapters from the artifacts store's MME prefix, as the
    # multi-model endpoint serves them from its S3 prefix.
    adapters = settings.data_dir / "artifacts" / settings.mme_prefix.strip("/")
    runtime: ModelRuntime = InProcessRuntime(
        models_dir=settings.models_dir,
        environment={
            "VITRINE_AVATAR_ADAPTERS_DIR": str(adapters.resolve()),
            **settings.container_environment(),
            # Attribute adapters are keyed by their artifacts prefix (attribute_models.py).
            "VITRINE_BLIP2_ADAPTERS_DIR": str((settings.data_dir / "artifacts").resolve()),
            # Tenant models' adapters (style try-ons, product and concept generations) are
            # keyed by their artifacts prefix.
            "VITRINE_ADAPTERS_DIR": str((settings.data_dir / "artifacts").resolve()),
        },
        deliver=deliver,
        progress=progress,
    )
    return runtime
