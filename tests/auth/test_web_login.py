import re


def _csrf(client, path="/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_official_logs_in_and_out_of_the_web_pages(client, factory):
    factory.user("official", "official", password="pw")
    token = _csrf(client)
    response = client.post("/login", data={"username": "official", "password": "pw",
                                           "csrf_token": token})
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/reports").status_code == 200
    logout = client.post("/logout", data={"csrf_token": _csrf(client, "/reports")})
    assert logout.status_code == 302
    assert client.get("/reports").status_code == 302


def test_wrong_password_shows_a_vietnamese_message(client, factory):
    factory.user("official", "official", password="pw")
    response = client.post("/login", data={"username": "official", "password": "x",
                                           "csrf_token": _csrf(client)})
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.get_data(as_text=True)


def test_form_post_without_csrf_token_is_refused(client, factory):
    factory.user("official", "official", password="pw")
    client.get("/login")
    response = client.post("/login", data={"username": "official", "password": "pw"})
    assert response.status_code == 400


def test_login_redirect_ignores_foreign_next(client, factory):
    factory.user("official", "official", password="pw")
    response = client.post("/login?next=https://evil.example/", data={
        "username": "official", "password": "pw", "csrf_token": _csrf(client)})
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]


def test_pages_require_login(client):
    response = client.get("/reports")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_volunteer_is_not_let_into_the_reports_pages(client, factory):
    factory.user("vol", "volunteer", password="pw")
    client.post("/login", data={"username": "vol", "password": "pw", "csrf_token": _csrf(client)})
    assert client.get("/reports").status_code == 403


def test_session_cookie_is_secure_over_https(client, factory):
    factory.user("official", "official", password="pw")
    page = client.get("/login", base_url="https://localhost").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/login", base_url="https://localhost",
                           data={"username": "official", "password": "pw", "csrf_token": token})
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]
    plain = client.get("/login")
    assert "Secure" not in plain.headers.get("Set-Cookie", "")
