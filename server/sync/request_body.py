"""A submission batch's body: gzip accepted (phones on 3G pay for every byte), and the size
limit enforced on what is sent and on what it inflates to, so a zip bomb stays small."""

import io
import zlib
from functools import wraps

from flask import current_app, request
from werkzeug.wsgi import get_input_stream

from server.errors import ApiError

GZIP_WBITS = 16 + zlib.MAX_WBITS


def _too_large() -> ApiError:
    max_bytes = current_app.config["SUBMISSION_BATCH_MAX_BYTES"]
    max_items = current_app.config["SUBMISSION_BATCH_MAX_ITEMS"]
    megabytes = f"{max_bytes / (1024 * 1024):g}"
    return ApiError(
        413, "payload_too_large",
        f"Dữ liệu gửi lên quá lớn: mỗi lần gửi tối đa {megabytes} MB (sau khi giải nén) "
        f"và {max_items} phiếu. Hãy gửi ít phiếu hơn mỗi lần.",
        {"message_en": f"The request is too large: at most {megabytes} MB (uncompressed) and "
                       f"{max_items} submissions per batch. Send fewer at a time.",
         "max_bytes": max_bytes, "max_items": max_items})


def _bad_gzip() -> ApiError:
    return ApiError(400, "bad_encoding", "Dữ liệu nén gzip bị hỏng hoặc không đầy đủ.",
                    {"message_en": "The gzip-compressed body is corrupt or incomplete."})


def _read_limited(environ: dict, limit: int) -> bytes:
    declared = environ.get("CONTENT_LENGTH")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large()  # refused before a byte of it is read
    raw = get_input_stream(environ).read(limit + 1)
    if len(raw) > limit:
        raise _too_large()
    return raw


def _gunzip_limited(data: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj(GZIP_WBITS)
    out = bytearray()
    try:
        while data:
            out += inflater.decompress(data, limit + 1 - len(out))
            if len(out) > limit:
                raise _too_large()
            data = inflater.unconsumed_tail
            if inflater.eof:
                break
        if not inflater.eof:
            raise _bad_gzip()
    except zlib.error:
        raise _bad_gzip() from None
    return bytes(out)


def decode_body() -> None:
    """Replace the request's input with its decoded body, before anything reads it."""
    environ = request.environ
    limit = current_app.config["SUBMISSION_BATCH_MAX_BYTES"]
    encoding = environ.get("HTTP_CONTENT_ENCODING", "").strip().lower()
    if encoding not in ("", "identity", "gzip"):
        raise ApiError(415, "unsupported_encoding",
                       f"Không hỗ trợ kiểu nén '{encoding}'; hãy dùng gzip.",
                       {"message_en": f"Content-Encoding '{encoding}' is not supported; use gzip."})
    body = _read_limited(environ, limit)
    if encoding == "gzip":
        body = _gunzip_limited(body, limit)
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    environ.pop("HTTP_CONTENT_ENCODING", None)
    environ.pop("wsgi.input_terminated", None)


def limited_body(view):
    """Decorate a view whose JSON body may be gzip-compressed and must stay within limits."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        decode_body()
        return view(*args, **kwargs)

    return wrapper
