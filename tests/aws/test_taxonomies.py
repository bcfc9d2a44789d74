"""DynamoDB taxonomy store under moto: items beside the jobs, one tenant's at a time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from api.adapters.aws.dynamo import DynamoJobStore
from api.adapters.aws.taxonomies import DynamoTaxonomyStore
from api.domain import errors as e
from api.domain.jobs import Job, JobKind, utcnow
from api.domain.taxonomies import Taxonomy, TaxonomyAttribute, TaxonomySpec
from tests.aws.faults import throttle

SPEC = TaxonomySpec(
    attributes={
        "sleeve_length": TaxonomyAttribute(values=("short", "long")),
        "color": TaxonomyAttribute(values=("red", "navy blue"), question="Which colour?"),
    },
    review_threshold=0.6,
)


def taxonomy(name: str = "tops", tenant: str = "t1", spec: TaxonomySpec = SPEC) -> Taxonomy:
    now = utcnow()
    return Taxonomy(tenant=tenant, name=name, spec=spec, created_at=now, updated_at=now)


@pytest.fixture
def store(aws):
    return DynamoTaxonomyStore(aws.jobs_table, settings=aws)


def test_round_trip_and_replace_keeps_created_at(store):
    first = store.put(taxonomy())
    assert first.spec == SPEC and store.get("t1", "tops") == first
    later = taxonomy(spec=TaxonomySpec(attributes=SPEC.attributes, review_threshold=None))
    later = Taxonomy(later.tenant, later.name, later.spec, later.created_at,
                     later.updated_at + timedelta(seconds=5))
    replaced = store.put(later)
    assert replaced.created_at == first.created_at
    assert replaced.updated_at > first.updated_at and replaced.spec.review_threshold is None
    # The attributes keep their order (answers are listed in it).
    assert list(replaced.spec.attributes) == ["sleeve_length", "color"]


def test_list_reads_only_the_tenants_taxonomies(store, aws):
    DynamoJobStore(aws.jobs_table, settings=aws).create(
        Job.new(tenant="t1", kind=JobKind.TRY_ON, request={}, ttl_days=1)
    )
    store.put(taxonomy("tops"))
    store.put(taxonomy("bottoms"))
    store.put(taxonomy("shoes", tenant="t2"))
    assert [t.name for t in store.list("t1")] == ["bottoms", "tops"]
    assert store.get("t2", "tops") is None
    assert not store.delete("t2", "tops")
    assert store.delete("t1", "tops") and store.get("t1", "tops") is None


def test_persistent_throttling_is_dependency_unavailable(aws, no_backoff):
    store = DynamoTaxonomyStore(aws.jobs_table, settings=aws)
    fault = throttle(store.client, "UpdateItem", times=100)
    with pytest.raises(e.DependencyUnavailable):
        store.put(taxonomy())
    assert fault.calls == aws.aws_max_attempts
