"""The local profile's secrets: an explicit ``VITRINE_*`` value, else one generated once.

No built-in default ever signs anything. On first start, each secret that is not set
is generated (``secrets.token_urlsafe``) and kept in ``<data_dir>/secrets.json`` (mode
0600), so signed URLs stay valid across restarts. A log line names each secret's source.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import stat
from typing import TYPE_CHECKING

from pydantic import SecretStr

from api.settings import SECRET_FIELDS, secret_is_set

if TYPE_CHECKING:
    from pathlib import Path

    from api.settings import Settings

log = logging.getLogger(__name__)

SECRETS_FILE = "secrets.json"


def resolve_secrets(settings: Settings) -> Settings:
    """``settings`` with every secret set: explicit values win, the rest from the data dir."""
    path = settings.data_dir / SECRETS_FILE
    stored = _read(path)
    generated: list[str] = []
    update: dict[str, SecretStr] = {}
    for name in SECRET_FIELDS:
        env = f"VITRINE_{name.upper()}"
        if secret_is_set(getattr(settings, name)):
            log.info("%s: from the settings (%s)", name, env)
            continue
        value = stored.get(name)
        if value is None:
            value = stored[name] = secrets.token_urlsafe(48)
            generated.append(name)
            log.warning("%s: generated and kept in %s (set %s to choose one)", name, path, env)
        else:
            log.info("%s: from %s", name, path)
        update[name] = SecretStr(value)
    if generated:
        _write(path, stored)
    return settings.model_copy(update=update) if update else settings


def _read(path: Path) -> dict[str, str]:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return {}
    if stat.S_IMODE(mode) & 0o077:
        log.warning("%s was readable by others; restricting it to its owner", path)
        path.chmod(0o600)
    data = json.loads(path.read_text("utf-8"))
    if not isinstance(data, dict) or not all(
        isinstance(v, str) and len(v) >= 32 for v in data.values()
    ):
        raise ValueError(f"{path} is not a JSON object of secrets; fix or remove it")
    return {str(k): v for k, v in data.items()}


def _write(path: Path, values: dict[str, str]) -> None:
    """Replace ``path`` atomically; the file is created with mode 0600 (never wider)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(values, out, indent=2)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
