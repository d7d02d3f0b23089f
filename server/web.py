"""The web pages' entry points: home redirects by role."""

from flask import Blueprint, redirect, render_template, url_for

from server.auth.web import current_web_user

bp = Blueprint("web", __name__)


@bp.route("/")
def home():
    user = current_web_user()
    if user is None:
        return render_template("landing.html")
    if user.role == "volunteer":
        return redirect("/app/")
    if user.role == "admin":
        return redirect(url_for("admin.index"))
    return redirect(url_for("reporting_web.rounds_page"))
