"""Stable Diffusion inpainting (try-on): ``core`` (model logic) and ``code/`` (the handler)."""
