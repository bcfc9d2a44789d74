"""A small HTTP client for the demo: what a storefront integration would write."""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass, field
from typing import Any

import httpx


class DemoError(RuntimeError):
    pass


@dataclass
class Call:
    """One HTTP exchange, kept for the gallery's log."""

    method: str
    path: str
    status: int
    seconds: float


@dataclass
class VitrineClient:
    base_url: str
    api_key: str
    calls: list[Call] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._http = httpx.Client(base_url=self.base_url, timeout=120)

    def close(self) -> None:
        self._http.close()

    def request(
        self, method: str, path: str, *, expect: int | None = None, key: str | None = "default",
        headers: dict[str, str] | None = None, **kwargs: Any,
    ) -> httpx.Response:
        hdrs = dict(headers or {})
        if key == "default":
            hdrs["x-api-key"] = self.api_key
        elif key is not None:
            hdrs["x-api-key"] = key
        start = time.perf_counter()
        resp = self._http.request(method, path, headers=hdrs, **kwargs)
        self.calls.append(Call(method, path.split("?")[0], resp.status_code,
                               time.perf_counter() - start))
        if expect is not None and resp.status_code != expect:
            raise DemoError(f"{method} {path}: expected {expect}, got {resp.status_code}: "
                            f"{resp.text[:500]}")
        return resp

    def upload(self, data: bytes, content_type: str) -> str:
        """Announce an upload, then PUT the bytes to the returned target (no API key)."""
        created = self.request("POST", "/v1/uploads", expect=201,
                               json={"content_type": content_type, "size_bytes": len(data)}).json()
        target = created["upload"]
        start = time.perf_counter()
        resp = httpx.request(target["method"], target["url"], headers=target["headers"],
                             content=data, timeout=60)
        self.calls.append(Call(target["method"], "/v1/uploads/{id} (signed)", resp.status_code,
                               time.perf_counter() - start))
        if resp.status_code >= 300:
            raise DemoError(f"upload PUT failed: {resp.status_code} {resp.text[:300]}")
        return str(created["upload_id"])

    def wait_job(self, location: str, timeout_s: float = 300) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            job: dict[str, Any] = self.request("GET", location, expect=200).json()
            if job["status"] in ("succeeded", "failed", "canceled"):
                return job
            time.sleep(0.25)
        raise DemoError(f"job {location} did not finish in {timeout_s}s")

    def fetch(self, url: str) -> bytes:
        resp = httpx.get(url, timeout=60)
        resp.raise_for_status()
        return resp.content


def b64(data: bytes) -> dict[str, str]:
    return {"base64": base64.b64encode(data).decode()}
