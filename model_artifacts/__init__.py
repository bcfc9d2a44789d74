"""Model artifacts: tiny offline models for tests and the demo (``python -m model_artifacts``)."""
