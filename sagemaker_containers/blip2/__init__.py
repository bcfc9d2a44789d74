"""BLIP-2 attribute Q&A: ``core`` (model logic) and ``code/`` (the handler)."""
