"""The application for `flask` and `gunicorn` run from the project folder.

`flask` finds this file by itself (no FLASK_APP needed), so `.venv/bin/flask db upgrade`
works from a plain shell. Importing it builds the app from the environment, so the test
suite never imports it (tests build their own apps).
"""

import sys

from server import create_app
from server.cli import database_problem, install_short_errors
from server.config import ConfigError

install_short_errors()
try:
    app = create_app()
except ConfigError as problem:
    sys.exit(f"Error: {problem}")
except Exception as error:  # a malformed DATABASE_URL fails here, when the engine is made
    if (problem := database_problem(error)) is None:
        raise
    sys.exit(f"Error: {problem}")
