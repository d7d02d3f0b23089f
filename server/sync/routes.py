from server.api_blueprint import Blueprint

blp = Blueprint("sync", __name__, url_prefix="/api/v1", description="Đồng bộ phiếu / sync")
