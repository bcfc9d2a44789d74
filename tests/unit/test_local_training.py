"""Until avatar training is wired in, launching it is a clear 503-class error."""

from __future__ import annotations

import pytest

from api.adapters.local.training import UnavailableTrainingLauncher
from api.domain.errors import DependencyUnavailable
from api.errors import status_of
from api.ports import TrainingSpec


def test_launch_refuses_with_a_service_unavailable_error() -> None:
    spec = TrainingSpec("avatar", "job_1", "t1", "t1/uploads/x/", "t1/avatars/x/", {})
    with pytest.raises(DependencyUnavailable, match="avatar training is not available") as err:
        UnavailableTrainingLauncher().launch(spec)
    assert status_of(err.value) == 503
    UnavailableTrainingLauncher().stop(spec)  # nothing to stop: no error
