"""Serve a packed model with the inference image's toolkit, in this process.

The toolkit is the real pip package the image runs, ``sagemaker-pytorch-inference``
(pinned in ``sagemaker_containers/requirements.lock``): its
``handler_service.HandlerService`` and the ``sagemaker_inference.Transformer`` inside it
load the model, call our ``model_fn/input_fn/predict_fn/output_fn`` and turn errors into
statuses. Only the model server around it is emulated: ``TorchServeContext`` has the
surface of TorchServe's ``ts.context.Context`` / ``RequestProcessor`` that the toolkit
uses, and ``ServedModel`` does what TorchServe's worker does with it (``initialize`` once,
``handle`` per request, the per-request status and content type from the context).
"""

from __future__ import annotations

import os
import tarfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from model_artifacts.cli import main as model_artifacts
from model_artifacts.pack import handler_module

if TYPE_CHECKING:
    from pathlib import Path


class RequestProcessor:
    """TorchServe's per-request headers and response status (``ts.context``)."""

    def __init__(self, request_header: dict[str, str]) -> None:
        self._request_header = request_header
        self._status_code = 200
        self._reason_phrase: str | None = None
        self._response_header: dict[str, str] = {}

    def get_request_properties(self) -> dict[str, str]:
        return self._request_header

    def get_request_property(self, key: str) -> str | None:
        return self._request_header.get(key)

    def report_status(self, code: int, reason_phrase: str | None = None) -> None:
        self._status_code, self._reason_phrase = code, reason_phrase

    def get_response_status_code(self) -> int:
        return self._status_code

    def get_response_status_phrase(self) -> str | None:
        return self._reason_phrase

    def add_response_property(self, key: str, value: str) -> None:
        self._response_header[key] = value

    def get_response_headers(self) -> dict[str, str]:
        return self._response_header


class TorchServeContext:
    """The parts of TorchServe's ``ts.context.Context`` the SageMaker toolkit calls."""

    def __init__(self, model_name: str, model_dir: str, gpu: int | None = None) -> None:
        self.model_name = model_name
        self.manifest: dict[str, Any] = {"model": {"modelName": model_name}}
        self._system_properties = {"model_dir": model_dir, "gpu_id": gpu, "batch_size": 1,
                                   "server_name": "MMS", "server_version": "0.12.0"}
        self.request_processor: list[RequestProcessor] = []

    @property
    def system_properties(self) -> dict[str, Any]:
        return self._system_properties

    def get_request_header(self, idx: int, key: str) -> str | None:
        return self.request_processor[idx].get_request_property(key)

    def set_response_content_type(self, idx: int, value: str) -> None:
        self.request_processor[idx].add_response_property("content-type", value)

    def get_response_content_type(self, idx: int) -> str | None:
        return self.request_processor[idx].get_response_headers().get("content-type")

    def set_response_status(self, code: int = 200, phrase: str = "", idx: int = 0) -> None:
        self.request_processor[idx].report_status(code, reason_phrase=phrase)

    def get_response_status(self, idx: int) -> tuple[int, str | None]:
        processor = self.request_processor[idx]
        return processor.get_response_status_code(), processor.get_response_status_phrase()


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    content_type: str | None
    body: str


class ServedModel:
    """One model as the inference image serves it: ``SAGEMAKER_PROGRAM`` + ``/opt/ml/model``.

    ``initialize`` runs under the SageMaker Model's environment (``SAGEMAKER_PROGRAM``
    names the handler module in the image), restored afterwards: the toolkit reads it,
    and prepends ``/opt/ml/model/code`` to ``PYTHONPATH``, at load.
    """

    def __init__(self, model: str, model_dir: Path) -> None:
        from sagemaker_pytorch_serving_container.handler_service import HandlerService

        self.model = model
        self.model_dir = model_dir
        self.service = HandlerService()
        context = TorchServeContext("model", str(model_dir))
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SAGEMAKER_PROGRAM", handler_module(model))
            patch.setenv("PYTHONPATH", os.environ.get("PYTHONPATH", ""))
            self.service.initialize(context)

    def invoke(self, body: bytes, content_type: str = "application/json",
               accept: str = "application/json") -> Response:
        """One request, as TorchServe's worker hands it to the handler service."""
        context = TorchServeContext("model", str(self.model_dir))
        context.request_processor = [
            RequestProcessor({"Content-Type": content_type, "Accept": accept})
        ]
        answers = self.service.handle([{"body": body}], context)
        assert isinstance(answers, list) and len(answers) == 1, answers
        answer = answers[0]
        text = answer.decode() if isinstance(answer, bytes | bytearray) else str(answer)
        status, _phrase = context.get_response_status(0)
        return Response(status=status, content_type=context.get_response_content_type(0),
                        body=text)


def pack_and_extract(model: str, model_dir: Path, into: Path) -> tuple[Path, list[str]]:
    """``model_artifacts pack`` the model, then extract it as SageMaker does.

    Returns ``/opt/ml/model`` (under ``into``) and the archive's member names.
    """
    archive = into / f"{model}.tar.gz"
    assert model_artifacts(["pack", str(model_dir), "--container", model,
                            "--out", str(archive)]) == 0
    extracted = into / "opt" / "ml" / "model"
    with tarfile.open(archive) as packed:
        names = packed.getnames()
        packed.extractall(extracted, filter="data")
    return extracted, names
