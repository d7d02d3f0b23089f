from server.api_blueprint import Blueprint

blp = Blueprint("forms", __name__, url_prefix="/api/v1/forms", description="Biểu mẫu / forms")
