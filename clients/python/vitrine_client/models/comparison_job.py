from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_status import JobStatus, check_job_status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.comparison_job_links import ComparisonJobLinks
    from ..models.comparison_result_public import ComparisonResultPublic
    from ..models.job_error_public import JobErrorPublic
    from ..models.job_progress_public import JobProgressPublic
    from ..models.webhook_delivery_public import WebhookDeliveryPublic


T = TypeVar("T", bound="ComparisonJob")


@_attrs_define
class ComparisonJob:
    """A model comparison; ``result`` (the scored grid, image URLs short-lived) is set once
    it succeeded; ``progress`` counts images while it runs.

        Attributes:
            id (str):
            status (JobStatus):
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            links (ComparisonJobLinks): 'self': where to poll this job.
            kind (Literal['comparison']):
            progress (JobProgressPublic | None | Unset): Set while the job is queued or running.
            error (JobErrorPublic | None | Unset):
            webhook (None | Unset | WebhookDeliveryPublic): Set once a job with a callback_url has ended.
            result (ComparisonResultPublic | None | Unset):
    """

    id: str
    status: JobStatus
    created_at: datetime.datetime
    updated_at: datetime.datetime
    links: ComparisonJobLinks
    kind: Literal["comparison"]
    progress: JobProgressPublic | None | Unset = UNSET
    error: JobErrorPublic | None | Unset = UNSET
    webhook: None | Unset | WebhookDeliveryPublic = UNSET
    result: ComparisonResultPublic | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.comparison_result_public import ComparisonResultPublic  # noqa: PLC0415
        from ..models.job_error_public import JobErrorPublic  # noqa: PLC0415
        from ..models.job_progress_public import JobProgressPublic  # noqa: PLC0415
        from ..models.webhook_delivery_public import WebhookDeliveryPublic  # noqa: PLC0415

        id = self.id

        status: str = self.status

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        links = self.links.to_dict()

        kind = self.kind

        progress: dict[str, Any] | None | Unset
        if isinstance(self.progress, Unset):
            progress = UNSET
        elif isinstance(self.progress, JobProgressPublic):
            progress = self.progress.to_dict()
        else:
            progress = self.progress

        error: dict[str, Any] | None | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, JobErrorPublic):
            error = self.error.to_dict()
        else:
            error = self.error

        webhook: dict[str, Any] | None | Unset
        if isinstance(self.webhook, Unset):
            webhook = UNSET
        elif isinstance(self.webhook, WebhookDeliveryPublic):
            webhook = self.webhook.to_dict()
        else:
            webhook = self.webhook

        result: dict[str, Any] | None | Unset
        if isinstance(self.result, Unset):
            result = UNSET
        elif isinstance(self.result, ComparisonResultPublic):
            result = self.result.to_dict()
        else:
            result = self.result

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "created_at": created_at,
                "updated_at": updated_at,
                "links": links,
                "kind": kind,
            }
        )
        if progress is not UNSET:
            field_dict["progress"] = progress
        if error is not UNSET:
            field_dict["error"] = error
        if webhook is not UNSET:
            field_dict["webhook"] = webhook
        if result is not UNSET:
            field_dict["result"] = result

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.comparison_job_links import ComparisonJobLinks  # noqa: PLC0415
        from ..models.comparison_result_public import ComparisonResultPublic  # noqa: PLC0415
        from ..models.job_error_public import JobErrorPublic  # noqa: PLC0415
        from ..models.job_progress_public import JobProgressPublic  # noqa: PLC0415
        from ..models.webhook_delivery_public import WebhookDeliveryPublic  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        status = check_job_status(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        links = ComparisonJobLinks.from_dict(d.pop("links"))

        kind = cast(Literal["comparison"], d.pop("kind"))
        if kind != "comparison":
            raise ValueError(f"kind must match const 'comparison', got '{kind}'")

        def _parse_progress(data: object) -> JobProgressPublic | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                progress_type_0 = JobProgressPublic.from_dict(data)

                return progress_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobProgressPublic | None | Unset, data)

        progress = _parse_progress(d.pop("progress", UNSET))

        def _parse_error(data: object) -> JobErrorPublic | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = JobErrorPublic.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobErrorPublic | None | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_webhook(data: object) -> None | Unset | WebhookDeliveryPublic:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                webhook_type_0 = WebhookDeliveryPublic.from_dict(data)

                return webhook_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WebhookDeliveryPublic, data)

        webhook = _parse_webhook(d.pop("webhook", UNSET))

        def _parse_result(data: object) -> ComparisonResultPublic | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0 = ComparisonResultPublic.from_dict(data)

                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ComparisonResultPublic | None | Unset, data)

        result = _parse_result(d.pop("result", UNSET))

        comparison_job = cls(
            id=id,
            status=status,
            created_at=created_at,
            updated_at=updated_at,
            links=links,
            kind=kind,
            progress=progress,
            error=error,
            webhook=webhook,
            result=result,
        )

        comparison_job.additional_properties = d
        return comparison_job

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
