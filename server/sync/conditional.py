"""ETag / If-None-Match for the sync API's GET endpoints (a phone on 3G re-fetches nothing)."""

import hashlib
import json

from flask import Response, request

IF_NONE_MATCH = {"name": "If-None-Match", "in": "header", "required": False,
                 "description": "The ETag of the copy the client holds; 304 when unchanged.",
                 "schema": {"type": "string"}}


def etag_of(data) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def not_modified(etag: str, cache_control: str) -> Response | None:
    """A 304 when the client already holds this ETag, else None."""
    # Weak comparison (RFC 9110): a gzipped reply carries the ETag made weak (server/pwa_host/compression.py).
    if not request.if_none_match.contains_weak(etag):
        return None
    response = Response(status=304)
    response.set_etag(etag)
    response.headers["Cache-Control"] = cache_control
    return response
