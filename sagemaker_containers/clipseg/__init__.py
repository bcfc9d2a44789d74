"""CLIPSeg text-prompted segmentation: ``core`` (model logic) and ``code/`` (the handler)."""
