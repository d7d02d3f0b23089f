"""A readable page of the API, generated from the OpenAPI document (no CDN scripts)."""

from flask import Blueprint, render_template

from server.extensions import api

bp = Blueprint("api_docs", __name__)


@bp.route("/api/v1/docs")
def docs_page():
    spec = api.spec.to_dict()
    operations = []
    for path, methods in sorted(spec.get("paths", {}).items()):
        for method, operation in methods.items():
            if method in ("get", "post", "put", "patch", "delete"):
                operations.append({
                    "method": method.upper(), "path": path,
                    "summary": operation.get("summary", ""),
                    "tags": ", ".join(operation.get("tags", [])),
                    "responses": ", ".join(sorted(operation.get("responses", {}))),
                })
    return render_template("api_docs.html", operations=operations, info=spec.get("info", {}))
