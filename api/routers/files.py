"""Local profile only: the signed GET/PUT URLs of the filesystem object stores.

These stand in for S3 presigned URLs, so like them they need no API key: the
signature (method, store, key, expiry, and for PUT the content type and exact size)
is the authorization, and only whoever holds the URL can use it.
"""

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from api.adapters.local.fs import FILES_ROUTE, FilesystemObjectStore
from api.deps import UploadsDep
from api.domain.errors import NotFound
from api.schemas.common import problems

router = APIRouter(prefix=FILES_ROUTE.removeprefix("/v1"), tags=["files (local)"])
_READABLE = ("uploads", "results", "artifacts")


def _store(request: Request, name: str) -> FilesystemObjectStore:
    """A local store by name (the app factory puts the readable ones on ``app.state``)."""
    stores: dict[str, object] = request.app.state.file_stores
    store = stores.get(name) if name in _READABLE else None
    if not isinstance(store, FilesystemObjectStore):
        raise NotFound(f"no store {name!r}")
    return store


@router.get("/{store}/{key:path}", operation_id="downloadFile", responses=problems(403, 404))
def download(store: str, key: str, request: Request) -> Response:
    """An object, for the holder of a signed URL."""
    files = _store(request, store)
    files.verify_get(key, dict(request.query_params))
    return Response(
        files.get(key),
        media_type=files.content_type(key),
        headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
    )


@router.put(
    "/{store}/{key:path}",
    operation_id="uploadFile",
    status_code=204, responses=problems(403, 404, 409, 413, 415, 422)
)
async def upload(store: str, key: str, request: Request, uploads: UploadsDep) -> Response:
    """The bytes of an announced upload (the target POST /v1/uploads handed out)."""
    if store != "uploads":
        raise NotFound("only the uploads store accepts PUT")
    files = _store(request, store)
    body = await request.body()
    query = dict(request.query_params)
    files.verify_put(
        key, query, content_type=request.headers.get("content-type", ""), size_bytes=len(body)
    )
    content_type = query.get("content_type", "")
    await run_in_threadpool(uploads.check, body, content_type=content_type)
    # The check above is only the early answer: two PUTs racing past it both get here,
    # and the store's conditional claim lets exactly one of them write.
    await run_in_threadpool(files.put_new, key, body, content_type=content_type)
    return Response(status_code=204)
