from server.api_blueprint import Blueprint

blp = Blueprint("reporting", __name__, url_prefix="/api/v1/rounds", description="Báo cáo / reports")
