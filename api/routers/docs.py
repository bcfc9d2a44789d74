"""``GET /docs``: Swagger UI from the packaged ``swagger-ui-bundle`` assets, no CDN.

URLs are relative, so the page also works under an API Gateway stage prefix.
"""

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.responses import HTMLResponse

STATIC_PATH = "/docs/static"
router = APIRouter(include_in_schema=False)


@router.get("/docs")
def swagger_ui() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="openapi.json",
        title="Vitrine API",
        swagger_js_url="docs/static/swagger-ui-bundle.js",
        swagger_css_url="docs/static/swagger-ui.css",
        swagger_favicon_url="docs/static/favicon-32x32.png",
    )
