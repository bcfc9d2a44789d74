"""The avatar Triton model class (the image's code; archives import it through a shim)."""
