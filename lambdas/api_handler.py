"""API Lambda: the FastAPI app behind Mangum, built once per execution environment."""

from __future__ import annotations

from mangum import Mangum

from api.app import create_app

handler = Mangum(create_app(), lifespan="off")
