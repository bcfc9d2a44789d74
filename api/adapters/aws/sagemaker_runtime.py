"""SageMaker runtime: real-time endpoints (incl. the avatar multi-model endpoint) and
the asynchronous try-on endpoint.

Async flow: the request JSON goes to S3 under ``{async_input_prefix}{tenant}/{job}.json``,
``InvokeEndpointAsync`` queues it with ``InferenceId = job.id``, and SageMaker later
publishes to SNS (``lambdas/async_results.py``). The key carries tenant and job id, so
the notification alone identifies the job.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from api.adapters.aws import clients, triton
from api.adapters.aws.errors import aws_errors
from api.domain import errors as e
from api.domain.job_data import AsyncSubmission
from api.domain.jobs import JobKind

if TYPE_CHECKING:
    from mypy_boto3_sagemaker_runtime import SageMakerRuntimeClient

    from api.adapters.aws.s3 import S3ObjectStore
    from api.domain.outcomes import JobRef
    from api.settings import Settings

# Which settings field names each model's endpoint.
ENDPOINT_FIELDS = {
    "clipseg": "segmentation_endpoint",
    "blip2": "attributes_endpoint",
    "avatar": "avatar_endpoint",
    "inpainting": "tryon_endpoint",
    "generation": "generation_endpoint",
}
# Models served on the asynchronous endpoint (everything else answers in real time).
ASYNC_MODELS = frozenset({"inpainting", "generation"})
# Models on the GPU multi-model endpoint: Triton, spoken through ``triton.py``.
MULTI_MODEL = frozenset({"avatar"})
JSON = "application/json"


def async_input_key(tenant: str, job_id: str, kind: JobKind | None = None) -> str:
    """The async input's key inside the async-inputs store (its prefix is added there):
    ``{tenant}/{job_id}.json`` for a try-on, ``{tenant}/{job_id}.{kind}.json`` for the
    other async kinds, so the endpoint's notification names the kind it may finish."""
    if kind is None or kind is JobKind.TRY_ON:
        return f"{tenant}/{job_id}.json"
    return f"{tenant}/{job_id}.{kind.value}.json"


class SageMakerModelRuntime:
    """``ModelRuntime`` on SageMaker endpoints.

    Parameters
    ----------
    settings
        Endpoint names, timeouts and retry policy.
    async_inputs
        The store (bucket + ``async_input_prefix``) that holds async request bodies.
    client
        A ``sagemaker-runtime`` client; by default the cached one.
    """

    def __init__(
        self,
        *,
        settings: Settings,
        async_inputs: S3ObjectStore | None,
        client: SageMakerRuntimeClient | None = None,
    ) -> None:
        self._settings = settings
        self._async_inputs = async_inputs
        self._client = client

    @property
    def client(self) -> SageMakerRuntimeClient:
        # Looked up per call, not kept: its timeouts follow the current deadline.
        return self._client or clients.sagemaker_runtime(self._settings)

    def endpoint(self, model: str) -> str:
        field = ENDPOINT_FIELDS.get(model)
        if field is None:
            raise e.VitrineError(f"unknown model {model!r}")
        name = str(getattr(self._settings, field))
        if not name:
            raise e.DependencyUnavailable(
                f"no endpoint configured for {model} (VITRINE_{field.upper()})"
            )
        return name

    def invoke(
        self, model: str, payload: dict[str, Any], *, target_model: str | None = None
    ) -> dict[str, Any]:
        """Real-time inference; ``target_model`` is required on the multi-model endpoint."""
        request: dict[str, Any] = {"EndpointName": self.endpoint(model)}
        if model in MULTI_MODEL:
            if not target_model:
                raise e.VitrineError(f"{model} is on a multi-model endpoint: target_model needed")
            request["Body"], request["ContentType"] = triton.encode_request(payload)
            request["TargetModel"] = target_model
        else:
            request.update(Body=json.dumps(payload).encode(), ContentType=JSON, Accept=JSON)
        with aws_errors("sagemaker"):
            response = self.client.invoke_endpoint(**request)
            body = response["Body"].read()
        if model in MULTI_MODEL:
            return triton.decode_response(body, response.get("ContentType", ""))
        return decode_output(body)

    def submit_async(self, model: str, payload: dict[str, Any], *, job: JobRef) -> AsyncSubmission:
        """Queue ``payload`` on the async endpoint for ``job``; the output comes by SNS.

        Returns where SageMaker will write the output (or the failure); the core keeps it
        in the job's state. Only models with an async endpoint can be submitted.
        """
        if model not in ASYNC_MODELS:
            raise e.VitrineError(f"{model} has no asynchronous endpoint")
        if self._async_inputs is None:
            raise e.DependencyUnavailable("no store for asynchronous inputs")
        endpoint = self.endpoint(model)
        key = async_input_key(job.tenant, job.job_id, job.kind)
        self._async_inputs.put(key, json.dumps(payload).encode(), content_type=JSON)
        input_location = self._async_inputs.uri(key)
        with aws_errors("sagemaker"):
            response = self.client.invoke_endpoint_async(
                EndpointName=endpoint,
                InputLocation=input_location,
                InferenceId=job.job_id,
                ContentType=JSON,
                Accept=JSON,
            )
        return AsyncSubmission(
            inference_id=response.get("InferenceId", job.job_id),
            input_location=input_location,
            output_location=response.get("OutputLocation"),
            failure_location=response.get("FailureLocation"),
        )


def decode_output(body: bytes) -> dict[str, Any]:
    """A container's JSON answer; anything else is a model failure."""
    try:
        output = json.loads(body)
    except ValueError as exc:
        raise e.ModelInvocationFailed("The model returned a response that is not JSON") from exc
    if not isinstance(output, dict):
        raise e.ModelInvocationFailed("The model returned JSON that is not an object")
    return output
