"""The suggestion box's settings, from the environment like the rest (server/config.py),
applied when its API blueprint is registered: the throttle's limits per window of
LOGIN_WINDOW_MINUTES, and the small body limit of the public submission."""

import os

from flask import Flask

PUBLIC_SUBMIT_RULE = "/api/v1/suggestion-boxes/public/<code>/messages"
PUBLIC_BODY_LIMIT = 16 * 1024
DEFAULTS = {"SUGGESTION_MAX_PER_ADDRESS": 20, "SUGGESTION_MAX_PER_BOX": 300}


def configure(app: Flask) -> None:
    for key, default in DEFAULTS.items():
        app.config.setdefault(key, int(os.environ.get(key, str(default))))
    # A resident's message is a few kilobytes at most: a larger body is a 413 before it is read.
    app.config["ROUTE_MAX_CONTENT_LENGTH"] = {**app.config["ROUTE_MAX_CONTENT_LENGTH"],
                                              PUBLIC_SUBMIT_RULE: PUBLIC_BODY_LIMIT}
