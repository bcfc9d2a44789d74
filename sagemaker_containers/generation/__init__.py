"""SDXL generation (text-to-image, img2img, ControlNet, tenant adapters): ``core`` and ``code/``."""
