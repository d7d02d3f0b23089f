from flask import Blueprint

bp = Blueprint("pwa_host", __name__)
