from flask.cli import AppGroup

forms_cli = AppGroup("forms", help="Import, export and publish forms.")
