"""HTTP routes, one module per resource.

Like ``api/deps.py``, these modules keep annotations as objects (no postponed
annotations): FastAPI reads them when routes are declared, at cold start.
"""
