"""Finding 1: no built-in secret ever signs anything.

The local profile generates what is unset into the data dir (mode 0600) and says so in
the log; an explicit ``VITRINE_*`` value wins; the aws profile refuses to start without
the secrets it uses.
"""

from __future__ import annotations

import json
import logging
import stat
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from api_support import KEY_A, TENANT_A, FakeRuntime, png, problem_type
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api.adapters.local.signing import UrlSigner
from api.adapters.local.wiring import build
from api.app import create_app
from api.settings import Settings

if TYPE_CHECKING:
    from pathlib import Path

OLD_URL_DEFAULT = "local-dev-url-secret"
OLD_WEBHOOK_DEFAULT = "local-dev-webhook-secret"


def _settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "profile": "local",
        "data_dir": tmp_path / "data",
        "models_dir": tmp_path / "models",
        "api_keys": f"{KEY_A}:{TENANT_A}",
        "public_base_url": "http://testserver",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def _upload_url(client: TestClient) -> str:
    data = png()
    announced = client.post(
        "/v1/uploads",
        json={"content_type": "image/png", "size_bytes": len(data)},
        headers={"x-api-key": KEY_A},
    )
    assert announced.status_code == 201, announced.text
    return str(announced.json()["upload"]["url"])


def test_the_old_default_secret_forges_nothing(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    adapters = build(settings, runtime=FakeRuntime().bind)
    with TestClient(create_app(settings, adapters), raise_server_exceptions=False) as client:
        url = urlsplit(_upload_url(client))
        data = png()
        forged = UrlSigner(OLD_URL_DEFAULT).query(
            "PUT",
            url.path.removeprefix("/v1/files/"),
            {"content_type": "image/png", "size": str(len(data))},
            expires_in=600,
        )
        put = client.put(
            f"{url.path}?{forged}", content=data, headers={"Content-Type": "image/png"}
        )
        assert put.status_code == 403 and problem_type(put) == "invalid-signature"
        # The server's own URL still works: its secret was generated.
        real = client.put(
            f"{url.path}?{url.query}", content=data, headers={"Content-Type": "image/png"}
        )
        assert real.status_code == 204
    adapters.close()


def test_local_secrets_are_generated_once_kept_0600_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from api.adapters.local.secrets import SECRETS_FILE, resolve_secrets

    caplog.set_level(logging.INFO, logger="api.adapters.local.secrets")
    first = resolve_secrets(_settings(tmp_path))
    path = tmp_path / "data" / SECRETS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    stored = json.loads(path.read_text())
    url_secret = first.url_signing_secret.get_secret_value()
    hook_secret = first.webhook_secret.get_secret_value()
    assert stored == {"url_signing_secret": url_secret, "webhook_secret": hook_secret}
    assert len(url_secret) >= 32 and url_secret != hook_secret
    assert OLD_URL_DEFAULT not in (url_secret, hook_secret)
    assert "generated" in caplog.text and str(path) in caplog.text

    caplog.clear()
    again = resolve_secrets(_settings(tmp_path))
    assert again.url_signing_secret.get_secret_value() == url_secret  # survives a restart
    assert "generated" not in caplog.text and f"from {path}" in caplog.text

    caplog.clear()
    explicit = "e" * 40
    chosen = resolve_secrets(_settings(tmp_path, url_signing_secret=explicit))
    assert chosen.url_signing_secret.get_secret_value() == explicit  # explicit wins
    assert "VITRINE_URL_SIGNING_SECRET" in caplog.text


def test_an_unset_secret_can_never_be_read() -> None:
    settings = Settings(profile="local")
    with pytest.raises(RuntimeError):
        settings.url_signing_secret.get_secret_value()
    with pytest.raises(RuntimeError):
        settings.webhook_secret.get_secret_value()


@pytest.mark.parametrize("weak", [OLD_URL_DEFAULT, OLD_WEBHOOK_DEFAULT, "short", ""])
def test_weak_or_published_secrets_are_refused(tmp_path: Path, weak: str) -> None:
    with pytest.raises(ValidationError):
        _settings(tmp_path, webhook_secret=weak)


def test_the_aws_profile_refuses_to_start_without_its_webhook_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("VITRINE_WEBHOOK_SECRET", raising=False)
    with pytest.raises(ValidationError, match="VITRINE_WEBHOOK_SECRET"):
        Settings(profile="aws")
    monkeypatch.setenv("VITRINE_WEBHOOK_SECRET", "w" * 40)
    assert Settings(profile="aws").webhook_secret.get_secret_value() == "w" * 40
