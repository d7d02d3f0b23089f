"""Shared by the console tests: logging a test client in the way a person does."""

import re

import pytest


def csrf_token(client) -> str:
    """The CSRF token of the client's session (from the login page's form)."""
    page = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def log_in(client, username: str, password: str = "pw"):
    """POST /login with the username and password; returns the client, logged in."""
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": csrf_token(client)})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client


@pytest.fixture
def web_login(client):
    """web_login(user) logs the test client in as that user (password "pw")."""

    def login(user, password: str = "pw"):
        return log_in(client, user.username, password)

    return login
