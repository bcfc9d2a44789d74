"""The one error a container raises for a bad request."""

from __future__ import annotations


class InvalidInput(ValueError):
    """The request cannot be served as sent (the container's 4xx).

    A ``ValueError`` so that every host maps it the same way: the Hugging Face
    inference toolkit answers 400, and the local runtime turns it into
    ``ModelInputRejected``. The message is shown to the caller: keep it precise and
    free of internals.
    """
