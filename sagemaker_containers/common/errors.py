"""The one error a container raises for a bad request, and its wire form.

Error classes through the serving stack (``sagemaker_containers/README.md``):

- ``InvalidInput`` is the SageMaker serving toolkit's ``BaseInferenceToolkitError`` with
  status 400, so ``sagemaker_inference.transformer.Transformer`` (inside
  ``sagemaker-pytorch-inference``, the inference image's toolkit) answers 400 with
  ``message`` first in the body: the one-line envelope
  ``{"error": {"type": "invalid-input", "message": ...}}``. The toolkit appends its
  traceback on the following lines; the API reads only the first line.
- Any other exception becomes the toolkit's 500; its text is for the logs only.
- ``InvalidInput`` is also a ``ValueError``, so the local in-process runtime and the Triton
  wrapper treat it as "the request was refused" too; ``str()`` is the plain message.
"""

from __future__ import annotations

import json
from http import HTTPStatus

from sagemaker_inference.errors import BaseInferenceToolkitError

INVALID_INPUT = "invalid-input"


def envelope(message: str, error_type: str = INVALID_INPUT) -> str:
    """The containers' error body: one line of JSON."""
    return json.dumps({"error": {"type": error_type, "message": message}}, ensure_ascii=True)


class InvalidInput(BaseInferenceToolkitError, ValueError):  # type: ignore[misc]
    """The request cannot be served as sent (the container's 400).

    The message is shown to the caller: keep it precise and free of internals.
    """

    def __init__(self, message: str) -> None:
        super().__init__(HTTPStatus.BAD_REQUEST.value, envelope(message),
                         HTTPStatus.BAD_REQUEST.phrase)
        self.detail = message

    def __str__(self) -> str:
        return self.detail
