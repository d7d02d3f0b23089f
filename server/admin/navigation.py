"""The console's navigation: the names issue 11 gives (English exactly), per role."""

from dataclasses import dataclass

from flask import Blueprint, redirect, render_template, url_for

from server.admin.access import staff_required
from server.auth.web import current_web_user


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    vi: str
    en: str
    roles: tuple[str, ...] = ("admin",)


NAVIGATION = (
    NavItem("units_admin.tree", "Đơn vị", "Units"),
    NavItem("people_admin.list_people", "Người dùng", "People"),
    NavItem("rounds_admin.list_rounds", "Đợt khảo sát", "Rounds"),
    NavItem("forms_admin.list_forms", "Mẫu phiếu", "Forms"),
    NavItem("progress_admin.overview", "Tiến độ", "Progress", ("admin", "official")),
    NavItem("responses_admin.browse", "Phiếu", "Responses"),
    NavItem("conflicts_admin.list_conflicts", "Xung đột", "Conflicts"),
    NavItem("audit_admin.log", "Nhật ký", "Audit log"),
    NavItem("reporting_web.rounds_page", "Báo cáo", "Reports", ("admin", "official")),
    NavItem("suggestions_admin.overview", "Hòm thư góp ý", "Suggestion box", ("admin", "official")),
    NavItem("kiosks_admin.overview", "Bàn một cửa", "One-stop desks", ("admin", "official")),
)

bp = Blueprint("admin", __name__, url_prefix="/admin")


def navigation_for(role: str, available: set[str]) -> list[NavItem]:
    """The items this role may open whose pages exist in this build."""
    return [item for item in NAVIGATION if role in item.roles and item.endpoint in available]


@bp.route("/")
@staff_required
def index():
    user = current_web_user()
    if user.role == "official":
        return redirect(url_for("progress_admin.overview")
                        if _endpoint_exists("progress_admin.overview")
                        else url_for("reporting_web.rounds_page"))
    return render_template("admin/index.html")


def _endpoint_exists(endpoint: str) -> bool:
    from flask import current_app
    return endpoint in current_app.view_functions


def init_app(app) -> None:
    @app.context_processor
    def _admin_navigation():
        user = current_web_user()
        if user is None or user.role == "volunteer":
            return {"admin_nav": []}
        return {"admin_nav": navigation_for(user.role, set(app.view_functions))}
