"""Finding 8: patterns anchored at the very end (``fullmatch``/``\\Z``), not at ``$``."""

from __future__ import annotations

import pytest

from api.adapters.local.fs import validate_key
from api.domain.errors import NotFound


@pytest.mark.parametrize("key", ["tenant-a/upl_x.png\n", "tenant-a\n/x.png", "a/b\n"])
def test_object_keys_with_a_newline_are_refused(key: str) -> None:
    with pytest.raises(NotFound):
        validate_key(key)
    assert validate_key("tenant-a/upl_x.png") == "tenant-a/upl_x.png"
