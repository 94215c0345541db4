"""HTTP Basic authentication for staff pages: user `admin`, password from the settings."""

from __future__ import annotations

import secrets
from typing import Callable

from fastapi import Depends
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from console.errors import ApiError
from kizuna.settings import Settings

STAFF_USER = "admin"
_basic = HTTPBasic(auto_error=False, realm="kizuna staff")


def staff_only(settings: Settings) -> Callable[..., None]:
    def check(credentials: HTTPBasicCredentials | None = Depends(_basic)) -> None:
        expected = settings.effective_admin_password
        given_user = (credentials.username if credentials else "").encode()
        given_password = (credentials.password if credentials else "").encode()
        user_ok = secrets.compare_digest(given_user, STAFF_USER.encode())
        password_ok = bool(expected) and secrets.compare_digest(given_password, expected.encode())
        if not (user_ok and password_ok):
            raise ApiError(401, "unauthorized", "staff pages need the admin user and password (see `make run` output)",
                           headers={"WWW-Authenticate": 'Basic realm="kizuna staff"'})

    return check
