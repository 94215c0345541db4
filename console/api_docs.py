"""The API reference at /docs: Swagger UI served by the console itself, so it works without internet access.

Swagger UI's files come from the fastapi-offline package (pinned like every other dependency); the page
that starts it is ours, so it needs no inline script and runs under the same content security policy as the
console's other pages: no CDN, no 'unsafe-inline'. ReDoc is not served: its stylesheet is injected inline
at run time, which that policy forbids, and Swagger UI shows the same API.
"""

from __future__ import annotations

import html
from importlib.metadata import version
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, Path as PathParam, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from console.errors import ApiError

DOCS_URL = "/docs"
ASSETS_URL = "/docs/assets"
SWAGGER_DIR = Path(fastapi_offline.__file__).parent / "static"
ASSET_VERSION = version("fastapi-offline")  # in the asset URLs, so a newer Swagger UI is not hidden by caches
CACHE = {"Cache-Control": "public, max-age=86400"}

# Swagger UI's settings as FastAPI's own /docs page has them; the OpenAPI address is read from the page.
START_SCRIPT = """\
"use strict";
(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]
  });
})();
"""

# name -> (file, or None for the start script above; content type)
ASSETS: dict[str, tuple[Path | None, str]] = {
    "swagger-ui-bundle.js": (SWAGGER_DIR / "swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
    "swagger-ui.css": (SWAGGER_DIR / "swagger-ui.css", "text/css; charset=utf-8"),
    "favicon.png": (SWAGGER_DIR / "favicon.png", "image/png"),
    "start.js": (None, "text/javascript; charset=utf-8"),
}


# /docs and its files; like the OpenAPI document they describe, open to everyone (as FastAPI's own page was).
# Create the app with docs_url=None and redoc_url=None so FastAPI adds no CDN-based pages of its own.
router = APIRouter(include_in_schema=False)


@router.get(DOCS_URL)
async def api_docs(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    openapi_url = request.app.openapi_url
    return HTMLResponse(render_docs_page(root, request.app.title, f"{root}{openapi_url}" if openapi_url else ""))


@router.get(ASSETS_URL + "/{name}")
async def api_docs_asset(name: str = PathParam(max_length=64)) -> Response:
    if name not in ASSETS:
        raise ApiError(404, "not_found", "no such file")
    path, media_type = ASSETS[name]
    if path is None:
        return Response(START_SCRIPT, media_type=media_type, headers=CACHE)
    return FileResponse(path, media_type=media_type, headers=CACHE)


def render_docs_page(root: str, title: str, openapi_url: str) -> str:
    def asset(name: str) -> str:
        return html.escape(f"{root}{ASSETS_URL}/{name}?v={ASSET_VERSION}")

    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} - API reference</title>
<link rel="icon" type="image/png" href="{asset('favicon.png')}">
<link rel="stylesheet" href="{asset('swagger-ui.css')}">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{html.escape(openapi_url)}"></div>
<script src="{asset('swagger-ui-bundle.js')}"></script>
<script src="{asset('start.js')}"></script>
</body>
</html>
"""
