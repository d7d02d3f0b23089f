from server.api_blueprint import Blueprint

blp = Blueprint("rounds", __name__, url_prefix="/api/v1/rounds", description="Đợt khảo sát / rounds")
