from flask import Blueprint, render_template

from server.auth.web import web_login_required

bp = Blueprint("reporting_web", __name__)


@bp.route("/reports")
@web_login_required(roles=("admin", "official"))
def rounds_page():
    return render_template("base.html")
