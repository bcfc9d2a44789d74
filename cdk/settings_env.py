"""Lambda environment from ``api.settings.Settings`` field names.

``api/settings.py`` is the contract between code and infrastructure: the stacks name
settings by field, and this module turns them into ``VITRINE_<FIELD>`` variables, failing
synth when a field does not exist (a renamed setting cannot silently go unset).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.settings import Settings

if TYPE_CHECKING:
    from collections.abc import Mapping

ENV_PREFIX = "VITRINE_"


class UnknownSetting(KeyError):
    """A stack set a variable that ``api.settings.Settings`` does not read."""


def env_name(field: str) -> str:
    return ENV_PREFIX + field.upper()


def settings_environment(values: Mapping[str, str | None]) -> dict[str, str]:
    """``{"jobs_table": name}`` → ``{"VITRINE_JOBS_TABLE": name}``; ``None`` values are left
    out (the setting keeps its default)."""
    unknown = sorted(set(values) - set(Settings.model_fields))
    if unknown:
        raise UnknownSetting(f"not fields of api.settings.Settings: {unknown}")
    return {env_name(field): value for field, value in values.items() if value is not None}
