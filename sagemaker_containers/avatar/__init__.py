"""DreamBooth-LoRA avatars: ``train.py`` (training), ``core`` (serving), wrappers."""
