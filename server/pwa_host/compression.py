"""gzip for text responses when no proxy does it (nginx does in production: deploy/).

A phone on a poor 3G line pays for every byte: the app shell's JavaScript and CSS shrink to
about a quarter. Only whole text bodies worth the trouble are compressed; streamed bodies
(exports), ranges, responses already encoded and those a proxy will encode are left alone.
"""

import gzip

from flask import Flask, Response, request

COMPRESSIBLE = {
    "application/javascript", "application/json", "application/manifest+json",
    "application/xml", "image/svg+xml", "text/javascript",
}
MIN_BYTES = 512
# Bigger files (a large CSV export sent from disk) go as they are rather than be read into
# memory and compressed in the request.
MAX_BYTES = 4 * 1024 * 1024
LEVEL = 6


def _compressible(response: Response) -> bool:
    mimetype = response.mimetype or ""
    return mimetype.startswith("text/") or mimetype in COMPRESSIBLE


def compress_response(response: Response) -> Response:
    if not _compressible(response):
        return response
    response.vary.add("Accept-Encoding")
    if (response.status_code != 200 or response.is_streamed and not response.direct_passthrough
            or "Content-Encoding" in response.headers
            or "gzip" not in request.accept_encodings
            or (response.content_length or 0) > MAX_BYTES):
        return response
    # A file sent by send_from_directory is a passthrough stream: read it (shell files are small).
    response.direct_passthrough = False
    body = response.get_data()
    if len(body) < MIN_BYTES:
        return response
    response.set_data(gzip.compress(body, compresslevel=LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    # Another representation of the same content: a weak validator still answers 304.
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)
    return response


def init_app(app: Flask) -> None:
    """Register first: hooks run in reverse order, so this one sees the finished response."""
    app.after_request(compress_response)
