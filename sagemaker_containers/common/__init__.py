"""Helpers shared by the model containers (images, JSON payloads, device choice).

Pure Python + Pillow; ``device`` imports torch only when called. Never imports ``api/``.
``model_artifacts`` copies this package into each ``code/`` when packing, where the
handlers import it as the top-level ``common``.
"""
