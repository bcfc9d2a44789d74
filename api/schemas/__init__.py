"""HTTP request and response models (pydantic), one module per resource.

No postponed annotations here (nor in ``api/settings.py``, ``api/domain/job_data.py``):
pydantic would evaluate every field's string annotation when the model is built, at
cold start; names only needed for typing stay quoted, under ``TYPE_CHECKING``.
"""
