"""Helpers shared by the model containers (images, JSON payloads, errors, device choice).

Pure Python + Pillow; ``device`` imports torch only when called; ``errors`` builds on the
serving toolkit's error class (``sagemaker_inference``, in the lock). Never imports
``api/``. Imported one way, ``from sagemaker_containers.common import ...``, in the repo
and in the images (code at ``/opt/vitrine/sagemaker_containers``).
"""
