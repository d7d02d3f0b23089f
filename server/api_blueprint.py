"""flask-smorest Blueprint whose argument errors answer 400 in our error shape."""

import flask_smorest
from webargs.flaskparser import FlaskParser


class ApiArgumentsParser(FlaskParser):
    DEFAULT_VALIDATION_STATUS = 400


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = ApiArgumentsParser()
