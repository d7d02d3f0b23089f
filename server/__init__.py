"""Lắng Nghe: the Flask application factory."""

import logging
import os
from pathlib import Path

from flask import Flask

from server.config import load_config
from server.transactions import TransactionalFlask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    instance_path = os.environ.get("LANG_NGHE_INSTANCE", str(PROJECT_ROOT / "instance"))
    app = TransactionalFlask(__name__, instance_path=instance_path, instance_relative_config=False)
    app.config.from_mapping(load_config(instance_path, config))
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    return app


def _init_extensions(app: Flask) -> None:
    from server import database, errors, models, request_edge, request_log, security  # noqa: F401  (models: the schema)
    from server.admin import i18n as admin_i18n
    from server.admin import navigation as admin_navigation
    from server.auth import csrf
    from server.extensions import api, db, migrate
    from server.pwa_host import compression
    from server.templating import init_app as init_templating

    # First: routes pick up its URL converter, and its body limits apply before a hook reads.
    request_edge.init_app(app)
    # Its after_request hook runs last, on the finished response.
    compression.init_app(app)
    request_log.init_app(app)
    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True,
                     compare_type=True)
    api.init_app(app, spec_kwargs={"info": {"description": "Lắng Nghe: resident survey API"}})
    errors.init_app(app)
    security.init_app(app)
    csrf.init_app(app)
    init_templating(app)
    admin_i18n.init_app(app)
    admin_navigation.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from server import health, web
    from server.admin.navigation import bp as admin_bp
    from server.api_docs import bp as api_docs_bp
    from server.audit import pages as audit_pages
    from server.auth import routes as auth_routes
    from server.auth import signin_api
    from server.auth import web as auth_web
    from server.extensions import api
    from server.forms import drafts_api as form_drafts_api
    from server.forms import pages as forms_pages
    from server.forms import routes as forms_routes
    from server.kiosks import pages as kiosk_pages
    from server.kiosks import routes as kiosk_routes
    from server.kiosks import screen as kiosk_screen
    from server.moderation import pages as moderation_pages
    from server.moderation import routes as moderation_routes
    from server.people import pages as people_pages
    from server.people import routes as people_routes
    from server.people import signin_cards_page  # noqa: F401  (its routes join people_admin)
    from server.progress import pages as progress_pages
    from server.pwa_host import routes as pwa_routes
    from server.reporting import routes as reporting_routes
    from server.reporting import web as reporting_web
    from server.rounds import pages as round_pages
    from server.rounds import planning as round_planning
    from server.rounds import routes as rounds_routes
    from server.suggestions import pages as suggestion_pages
    from server.suggestions import public as suggestion_public
    from server.suggestions import routes as suggestion_routes
    from server.sync import conflict_pages
    from server.sync import pages as response_pages
    from server.sync import review as conflict_review
    from server.sync import routes as sync_routes
    from server.units import pages as units_pages
    from server.units import routes as units_routes

    for blp in (health.blp, auth_routes.blp, signin_api.blp, units_routes.blp, people_routes.blp,
                forms_routes.blp, form_drafts_api.blp, rounds_routes.blp, round_planning.blp,
                sync_routes.blp, conflict_review.blp, reporting_routes.blp,
                suggestion_routes.blp, kiosk_routes.blp,
                moderation_routes.blp):
        api.register_blueprint(blp)
    for bp in (web.bp, auth_web.bp, reporting_web.bp, pwa_routes.bp, api_docs_bp, admin_bp,
               progress_pages.bp, response_pages.bp, audit_pages.bp, round_pages.bp,
               units_pages.bp, people_pages.bp, forms_pages.bp, conflict_pages.bp,
               suggestion_pages.bp, suggestion_public.bp, kiosk_pages.bp, kiosk_screen.bp,
               moderation_pages.bp):
        app.register_blueprint(bp)


def _register_cli(app: Flask) -> None:
    from server import scheduling
    from server.cli import create_user_command, seed_demo_command
    from server.forms.cli import forms_cli
    from server.reporting.cli import reports_cli

    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(forms_cli)
    app.cli.add_command(reports_cli)
    scheduling.init_app(app)
