"""Local composition: every port on one machine, data under ``settings.data_dir``.

``data_dir/uploads``, ``results``, ``artifacts`` hold the object stores and
``data_dir/vitrine.db`` the jobs and idempotency records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.adapters.local.auth import ApiKeyTenantResolver
from api.adapters.local.copywriter import TemplateCopywriter
from api.adapters.local.fs import FilesystemObjectStore
from api.adapters.local.lazy import LazyRuntime
from api.adapters.local.moderator import WordListModerator
from api.adapters.local.signing import UrlSigner
from api.adapters.local.sqlite import Database, SqliteIdempotencyStore, SqliteJobStore
from api.adapters.local.training import LocalTrainingLauncher
from api.adapters.local.worker import InProcessWorker
from api.bootstrap import Container

if TYPE_CHECKING:
    from api.ports import ModelRuntime
    from api.settings import Settings


def build(settings: Settings, *, runtime: ModelRuntime | None = None) -> Container:
    """Assemble the local adapters and start the in-process worker.

    ``runtime`` replaces the in-process model runtime (tests pass a fake).
    """
    data = settings.data_dir
    data.mkdir(parents=True, exist_ok=True)
    signer = UrlSigner(settings.url_signing_secret.get_secret_value())

    def store(name: str) -> FilesystemObjectStore:
        return FilesystemObjectStore(name, data / name, signer, settings.public_base_url)

    db = Database(data / "vitrine.db")
    jobs = SqliteJobStore(db)
    worker = InProcessWorker(threads=settings.worker_threads, pending=jobs.unfinished)
    model_runtime = runtime or LazyRuntime(lambda: _inprocess_runtime(settings))
    container = Container(
        settings=settings,
        uploads=store("uploads"),
        results=store("results"),
        artifacts=store("artifacts"),
        jobs=jobs,
        idempotency=SqliteIdempotencyStore(db),
        runtime=model_runtime,
        copywriter=TemplateCopywriter(),
        moderator=WordListModerator(),
        queue=worker,
        training=LocalTrainingLauncher(
            uploads=store("uploads"), artifacts=store("artifacts"),
            models_dir=settings.models_dir, mme_prefix=settings.mme_prefix,
        ),
        tenants=ApiKeyTenantResolver(settings.api_key_map()),
        # Closed in reverse: the worker drains before the runtime and database go.
        closers=[db, model_runtime, worker],
    )
    from api.services.jobs import execute  # the composition root may know the services

    worker.start(lambda job: execute(container, job))
    return container


def _inprocess_runtime(settings: Settings) -> ModelRuntime:
    from api.adapters.local.inprocess import InProcessRuntime

    # The avatar handler serves adapters from the artifacts store's MME prefix, as the
    # multi-model endpoint serves them from its S3 prefix.
    adapters = settings.data_dir / "artifacts" / settings.mme_prefix.strip("/")
    runtime: ModelRuntime = InProcessRuntime(
        models_dir=settings.models_dir,
        environment={"VITRINE_AVATAR_ADAPTERS_DIR": str(adapters.resolve())},
    )
    return runtime
