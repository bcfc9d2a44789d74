"""ASGI middleware: the request-body cap and ``Idempotency-Key`` handling.

Both are plain ASGI (not ``BaseHTTPMiddleware``): they buffer the bounded body once
and replay it downstream, and they see every response, whichever route produced it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import Response

from api.domain.errors import PayloadTooLarge, VitrineError
from api.errors import problem_for
from api.services import idempotency

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

    from api.ports import TenantResolver

log = logging.getLogger(__name__)

# Lambda's synchronous invocation payload limit; API Gateway would refuse more anyway.
MAX_BODY_BYTES = 6 * 1024 * 1024
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class BodyTooLarge(Exception):
    pass


async def read_body(receive: Receive, limit: int) -> bytes:
    """The whole request body; ``BodyTooLarge`` as soon as it passes ``limit``."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that yields ``body`` once, then defers to the real one."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class BodyLimitMiddleware:
    """413 problem+json for bodies over the limit (uploads PUT get the upload limit)."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, upload_max_bytes: int, upload_path: str):
        self.app = app
        self.max_bytes = max_bytes
        self.upload_max_bytes = upload_max_bytes
        self.upload_path = upload_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        if scope["method"] == "PUT" and scope["path"].startswith(self.upload_path):
            limit = self.upload_max_bytes
        declared = Headers(scope=scope).get("content-length", "")
        try:
            if declared.isdigit() and int(declared) > limit:
                raise BodyTooLarge
            body = await read_body(receive, limit)
        except BodyTooLarge:
            err = PayloadTooLarge(f"request body is larger than {limit} bytes")
            await problem_for(err, scope["path"])(scope, receive, send)
            return
        await self.app(scope, replaying(body, receive), send)


class IdempotencyMiddleware:
    """Replays a POST's stored response for a repeated ``Idempotency-Key`` (per tenant).

    Requests without the header, or without a tenant (the route answers 401), pass
    through untouched.
    """

    def __init__(
        self, app: ASGIApp, *, keys: idempotency.Idempotency, tenants: TenantResolver
    ) -> None:
        self.app = app
        self.keys = keys
        self.tenants = tenants

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = headers.get(idempotency.HEADER)
        if key is None:
            await self.app(scope, receive, send)
            return
        tenant = self.tenants.resolve(headers, scope.get("aws.event"))
        if tenant is None:
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        body = await read_body(receive, MAX_BODY_BYTES)  # already bounded upstream
        try:
            idempotency.check_key(key)
            request_hash = idempotency.fingerprint(scope["method"], path, body)
            stored = await run_in_threadpool(self.keys.begin, tenant, key, request_hash)
        except VitrineError as err:
            await problem_for(err, path)(scope, receive, send)
            return
        if stored is not None:
            replay = Response(
                stored.body,
                status_code=stored.status_code,
                headers={**stored.headers, idempotency.REPLAYED_HEADER: "true"},
            )
            await replay(scope, receive, send)
            return

        # The answer is held back until it is stored: a client that retries the moment
        # it has the answer must get the replay, not "still running".
        capture = _Capture()
        response: idempotency.StoredResponse | None = None
        try:
            await self.app(scope, replaying(body, receive), capture.send)
            # An answer that must not be stored (a secret shown once) is not kept for
            # replays: the key is released and a retry runs again.
            if "no-store" not in capture.headers.get("cache-control", ""):
                response = capture.response()
        except BaseException:
            await run_in_threadpool(self.keys.end, tenant, key, None)
            raise
        try:
            await run_in_threadpool(self.keys.end, tenant, key, response)
        except Exception:  # the work is done: answer it even if the record could not be kept
            log.exception("could not store the response for an Idempotency-Key")
        for message in capture.messages:
            await send(message)


class _Capture:
    """Keeps the response messages (and a copy of status, headers and body) to send later."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.status = 500
        self.headers: dict[str, str] = {}
        self.chunks: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = {
                k.decode("latin-1").lower(): v.decode("latin-1")
                for k, v in message.get("headers", [])
            }
        elif message["type"] == "http.response.body":
            self.chunks.append(message.get("body", b""))
        self.messages.append(message)

    def response(self) -> idempotency.StoredResponse:
        return idempotency.StoredResponse(self.status, b"".join(self.chunks), self.headers)
