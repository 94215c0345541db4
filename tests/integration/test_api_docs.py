"""The API reference (/docs) works without internet access: Swagger UI comes from the console itself, under the
console's content security policy, and it is as public as the OpenAPI document it shows."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from tests.conftest import VIEWPORTS, console_app, served_console
from tests.integration.browser import WAIT_MS, expect


@pytest.fixture
def client(app_env, tmp_path):
    with TestClient(console_app(app_env, tmp_path)) as test_client:
        yield test_client


def referenced_assets(page_html: str) -> list[str]:
    return re.findall(r'<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"', page_html)


def test_the_docs_page_names_no_other_host_and_its_files_are_served(client):
    response = client.get("/docs")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert not re.search(r"(?:https?:)?//", response.text), "the page must load nothing from another host"
    assets = referenced_assets(response.text)
    assert len(assets) == 4  # favicon, stylesheet, Swagger UI and the script that starts it
    kinds = {}
    for url in assets:
        assert url.startswith("/docs/assets/"), url
        served = client.get(url)
        assert served.status_code == 200 and served.content, url
        assert served.headers["x-content-type-options"] == "nosniff"
        kinds[url] = served.headers["content-type"].split(";")[0]
    scripts = re.findall(r'<script src="([^"]+)"', response.text)
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', response.text)
    assert len(scripts) == 2 and len(stylesheets) == 1
    assert {kinds[url] for url in scripts} == {"text/javascript"} and kinds[stylesheets[0]] == "text/css"


def test_the_docs_page_runs_under_the_strict_page_policy(client):
    policy = client.get("/docs").headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and "http" not in policy
    assert "<script>" not in client.get("/docs").text  # every script is a file, none inline


def test_the_docs_stay_public_and_redoc_and_unknown_files_are_not_served(client):
    # As before: the API reference and the OpenAPI document need no login (the API itself checks who calls it).
    assert client.get("/openapi.json").status_code == 200
    assert client.get("/openapi.json").json()["info"]["title"] == "kizuna console"
    assert client.get("/docs").status_code == 200
    assert client.get("/redoc").status_code == 404
    for name in ("redoc.standalone.js", "..%2Fcore.py", "swagger-ui.css.map", "x" * 100):
        assert client.get(f"/docs/assets/{name}").status_code in (404, 422), name


@pytest.fixture
def console_url(app_env, tmp_path):
    """The console alone on a free local port (the docs need no rasa or action server)."""
    with served_console(console_app(app_env, tmp_path)) as url:
        yield url


@pytest.mark.integration
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_swagger_ui_renders_the_operations_with_other_hosts_unreachable(console_url, browser, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    blocked, problems = [], []

    def only_this_console(route):
        if urlsplit(route.request.url).netloc == urlsplit(console_url).netloc:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    try:
        context.route("**/*", only_this_console)
        page = context.new_page()
        page.on("console", lambda message: message.type == "error" and problems.append(message.text))
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.goto(urljoin(console_url, "/docs"))
        expect()(page.locator(".opblock").first).to_be_visible(timeout=WAIT_MS)
        expect()(page.locator(".info .title")).to_contain_text("kizuna console")
        assert page.locator(".opblock").count() > 10
        expect()(page.locator(".opblock-summary-path", has_text="/healthz").first).to_be_visible()
        page.locator(".opblock-summary", has_text="/healthz").first.click()  # an operation opens
        expect()(page.locator(".opblock-body").first).to_be_visible()
        page.screenshot(path=f"/tmp/api-docs-{viewport}.png")
        assert blocked == [], f"the page tried to reach other hosts: {blocked}"
        assert problems == [], f"errors in the page (a blocked script or style shows here): {problems}"
    finally:
        context.close()
