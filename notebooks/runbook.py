"""What the runbooks share: a Vitrine to call, the generated typed client on it, uploads,
job polling and a contact sheet.

``connect("local")`` starts the embedded API (``uvicorn api.app:create_app``, the local
profile) in a child process on a free loopback port, on tiny random-weight models (built
offline when missing) and a temporary data folder, and few training steps; ``close()``
stops it and removes the folder. ``connect("aws")`` calls a deployment named by
``VITRINE_API_URL`` and ``VITRINE_API_KEY``: training there runs on the deployment's
SageMaker instance types, with the recipes' default steps.
"""

from __future__ import annotations

import atexit
import io
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parents[1]
# The repository's generated client (clients/python) and the demo's server runner.
for _path in (ROOT / "clients" / "python", ROOT):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from vitrine_client import AuthenticatedClient  # noqa: E402
from vitrine_client.api.jobs import get_job  # noqa: E402
from vitrine_client.api.uploads import create_upload  # noqa: E402
from vitrine_client.models import Problem, UploadCreate, UploadPublic  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Iterable

LOCAL_KEY, LOCAL_TENANT = "runbook-key-0123456789", "runbook"
# On a CPU and random-weight bases a few steps at 64 px show each training path end to
# end; a deployment trains with the recipes' defaults (hundreds of steps, 512-1024 px).
TINY_TRAINING = {
    "VITRINE_ATTRIBUTE_TRAIN_STEPS": "4", "VITRINE_ATTRIBUTE_TRAIN_EPOCHS": "2",
    "VITRINE_ATTRIBUTE_LORA_RANK": "4", "VITRINE_ATTRIBUTE_VALIDATION_FRACTION": "0.25",
    "VITRINE_STYLE_TRAIN_STEPS": "2", "VITRINE_STYLE_RESOLUTION": "64",
    "VITRINE_PRODUCT_TRAIN_STEPS": "2", "VITRINE_PRODUCT_RESOLUTION": "64",
    "VITRINE_CONCEPT_TRAIN_STEPS": "2", "VITRINE_CONCEPT_RESOLUTION": "64",
    "VITRINE_AVATAR_TRAIN_STEPS": "2", "VITRINE_AVATAR_RESOLUTION": "64",
}
FINISHED = ("succeeded", "failed", "canceled")


class RunbookError(RuntimeError):
    pass


@dataclass
class Vitrine:
    """A connection to one Vitrine: its URL, key and the typed client."""

    target: str
    base_url: str
    api_key: str
    tiny: bool
    client: AuthenticatedClient
    _stack: ExitStack = field(repr=False)

    def upload(self, data: bytes, content_type: str = "image/png") -> str:
        """POST /v1/uploads, then PUT the bytes to the signed target; the upload id."""
        created = create_upload.sync(
            client=self.client, body=UploadCreate.from_dict(
                {"content_type": content_type, "size_bytes": len(data)}))
        created = ok(created)
        if not isinstance(created, UploadPublic):
            raise RunbookError(f"upload: {created}")
        target = created.upload
        method = target.method if isinstance(target.method, str) else "PUT"
        put = httpx.request(method, target.url, content=data, timeout=60,
                            headers=target.headers.additional_properties)
        put.raise_for_status()
        return created.upload_id

    def wait(self, job_id: str, timeout_s: float = 900) -> Any:
        """Poll GET /v1/jobs/{id} until it ends; the typed job (its ``kind`` says which)."""
        deadline = time.monotonic() + timeout_s
        while True:
            job = ok(get_job.sync(job_id, client=self.client))
            if job.status in FINISHED:
                if job.status != "succeeded":
                    raise RunbookError(f"job {job_id} {job.status}: {job.error}")
                return job
            if time.monotonic() > deadline:
                raise RunbookError(f"job {job_id} still {job.status} after {timeout_s} s")
            time.sleep(0.5)

    def fetch(self, url: str) -> Image.Image:
        """A signed file URL (an output image or mask), as a PIL image."""
        resp = httpx.get(url, timeout=60)
        resp.raise_for_status()
        return Image.open(io.BytesIO(resp.content))

    def close(self) -> None:
        """Close the client; on ``local``, stop the API and remove its data folder."""
        self._stack.close()


def ok(answer: Any) -> Any:
    """The typed answer, or an error naming the problem (type, detail)."""
    if answer is None or isinstance(answer, Problem):
        detail = "no parsed body" if answer is None else f"{answer.type_}: {answer.detail}"
        raise RunbookError(detail)
    return answer


def connect(target: str, *, models_dir: str | Path | None = None,
            models: Iterable[str] = ()) -> Vitrine:
    """A Vitrine for ``target``: ``"local"`` (embedded API, tiny models) or ``"aws"``."""
    stack = ExitStack()
    if target == "local":
        base, key, tiny = _start_local(stack, Path(models_dir or ROOT / "models"), models)
    elif target == "aws":
        base, key, tiny = os.environ["VITRINE_API_URL"], os.environ["VITRINE_API_KEY"], False
    else:
        raise ValueError(f"TARGET must be 'local' or 'aws', not {target!r}")
    # The API key scheme: the x-api-key header, no prefix.
    client = AuthenticatedClient(base_url=base, token=key, prefix="",
                                 auth_header_name="x-api-key", timeout=httpx.Timeout(300))
    stack.enter_context(client)
    # A kernel that stops before the last cell still stops the server.
    atexit.register(stack.close)
    return Vitrine(target, base, key, tiny, client, stack)


def _start_local(stack: ExitStack, models_dir: Path,
                 models: Iterable[str]) -> tuple[str, str, bool]:
    from demo.server import running_api
    from model_artifacts.tiny import build_all, is_tiny

    missing = [m for m in models if not (models_dir / m).is_dir()]
    if missing:
        print(f"building tiny random-weight models into {models_dir}: {', '.join(missing)}")
        build_all(models_dir, names=missing, progress=False)
    tiny = any(is_tiny(models_dir / m) for m in models)
    data = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="vitrine-runbook-")))
    env = {k: v for k, v in os.environ.items() if not k.startswith("VITRINE_")}
    env |= {"VITRINE_PROFILE": "local", "VITRINE_MODELS_DIR": str(models_dir.resolve()),
            "VITRINE_DATA_DIR": str(data / "state"),
            "VITRINE_API_KEYS": f"{LOCAL_KEY}:{LOCAL_TENANT}"}
    if tiny:
        env |= TINY_TRAINING
    base = stack.enter_context(running_api(env, data / "server.log", timeout_s=120))
    print(f"embedded API at {base} (models: {models_dir}, "
          f"{'tiny random weights' if tiny else 'real weights'})")
    return base, LOCAL_KEY, tiny


def png(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def contact_sheet(images: list[Image.Image], labels: list[str], *, cell: int = 160,
                  columns: int = 4) -> Image.Image:
    """A labelled grid, as the case studies' result pages show them."""
    rows = (len(images) + columns - 1) // columns
    sheet = Image.new("RGB", (columns * cell, rows * (cell + 18)), "white")
    draw = ImageDraw.Draw(sheet)
    for i, (img, label) in enumerate(zip(images, labels, strict=True)):
        x, y = (i % columns) * cell, (i // columns) * (cell + 18)
        sheet.paste(img.convert("RGB").resize((cell - 4, cell - 4)), (x + 2, y + 2))
        draw.text((x + 4, y + cell), label[:26], fill="black")
    return sheet
