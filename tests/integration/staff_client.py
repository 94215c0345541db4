"""An httpx client logged in to the console as a staff member, sending the session's CSRF token."""

from __future__ import annotations

import httpx


def staff_client(console_url: str, username: str, password: str, timeout: float = 30.0) -> httpx.Client:
    client = httpx.Client(base_url=console_url, timeout=timeout)
    response = client.post("/api/session", json={"username": username, "password": password})
    if response.status_code != 200:
        client.close()
        raise AssertionError(f"login as {username} failed: {response.status_code} {response.text}")
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client
