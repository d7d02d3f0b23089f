"""flask-smorest Blueprint whose argument errors answer 400 in our error shape."""


import flask
import flask_smorest
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from server import json_provider
from server.errors import ApiError


class ApiArgumentsParser(FlaskParser):
    DEFAULT_VALIDATION_STATUS = 400

    def _raw_load_json(self, req: flask.Request):
        # webargs parses with the standard json module; parse within our bounds instead.
        if not is_json_request(req):
            if req.content_length or req.get_data(cache=True):
                # a body the route would read as "no data": say what it should be
                raise ApiError(415, "unsupported_media_type",
                               "Dữ liệu phải được gửi dạng JSON (Content-Type: application/json).",
                               {"message_en": "Send the body as JSON (Content-Type: "
                                              "application/json)."})
            return core.missing
        body = req.get_data(cache=True)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise json_provider.malformed(f"Bytes decoding error: {error.reason}", body) from None
        try:
            return json_provider.loads(text)
        except json_provider.JSONTooDeep:
            limit = json_provider.MAX_DEPTH
            raise ApiError(400, "json_too_deep",
                           f"Dữ liệu JSON lồng nhau quá sâu (tối đa {limit} cấp).",
                           {"message_en": f"The JSON body is nested too deeply (at most {limit} "
                                          "levels).", "max_depth": limit}) from None


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = ApiArgumentsParser()
