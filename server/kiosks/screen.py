"""The kiosk screen: its own small entry page at /kiosk/ (plain ES modules under
static/kiosk/) and its service worker, served from /kiosk/ so that its scope is /kiosk/ and
nothing of the volunteers' app. No login: the tablet holds a desk-only credential."""

from pathlib import Path

from flask import Blueprint, Response, current_app, render_template

bp = Blueprint("kiosk_screen", __name__, url_prefix="/kiosk")

QUESTION = "Ông/bà có hài lòng với việc giải quyết hồ sơ hôm nay?"


@bp.get("/")
def screen():
    return render_template("kiosks/screen.html", question=QUESTION)


@bp.get("/sw.js")
def service_worker():
    worker = (Path(current_app.static_folder) / "kiosk" / "sw.js").read_bytes()
    response = Response(worker, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response
