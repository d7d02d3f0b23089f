"""The transaction boundary of a request: one commit when the view succeeded, a rollback
otherwise. Views and services only flush (as Indico's request handler does)."""

from __future__ import annotations

import logging

from flask import Flask, request
from sqlalchemy.exc import OperationalError

from server.database import READ_METHODS, is_lock_error
from server.extensions import db

log = logging.getLogger(__name__)


class TransactionalFlask(Flask):
    """Flask whose dispatch commits the request's work once the view has answered < 400.

    Committing here, inside dispatch, means a failed commit (a lock, a constraint) goes
    through the ordinary error handlers, so the client gets the documented error shape."""

    def dispatch_request(self):
        try:
            response = self.make_response(super().dispatch_request())
        except BaseException:
            # Roll back here rather than at app-context teardown, so nothing half-written
            # survives into the error handler (or into a context kept open by a caller).
            db.session.rollback()
            raise
        if response.status_code >= 400:
            db.session.rollback()
            return response
        try:
            db.session.commit()
        except OperationalError as error:
            db.session.rollback()
            if not (request.method in READ_METHODS and is_lock_error(error)):
                raise
            # A read request's only writes are bookkeeping (a last-used time, a cached
            # report); losing them under write contention is better than failing the read.
            log.warning("bookkeeping of %s %s dropped: database busy", request.method,
                        request.path)
        return response
