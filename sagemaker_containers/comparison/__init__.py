"""Model comparisons: one prompt set × many models, scored side by side (``run.py``)."""
