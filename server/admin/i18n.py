"""Vietnamese first, English with ?lang=en (remembered in a cookie), for the console pages.
Pages carry both strings side by side: {{ tr("Đơn vị", "Units") }}."""

from flask import Flask, request

LANGUAGES = ("vi", "en")
COOKIE = "lang"
ONE_YEAR = 365 * 24 * 3600


def current_lang() -> str:
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(COOKIE)
    return remembered if remembered in LANGUAGES else "vi"


def tr(vietnamese: str, english: str) -> str:
    return english if current_lang() == "en" else vietnamese


def _remember_language(response):
    asked = request.args.get("lang")
    if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=ONE_YEAR, samesite="Lax", httponly=True)
    return response


def init_app(app: Flask) -> None:
    app.jinja_env.globals["tr"] = tr
    app.jinja_env.globals["current_lang"] = current_lang
    app.after_request(_remember_language)
