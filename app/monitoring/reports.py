"""Serving a stored Evidently report (drift or performance): gzipped HTML, as browsers take it."""

import gzip

from flask import Response, request


def report_response(compressed: bytes) -> Response:
    """The stored gzip as is when the browser accepts it, else decompressed; cached privately."""
    response = Response(compressed, mimetype="text/html")
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response.headers["Content-Encoding"] = "gzip"
    else:
        response.set_data(gzip.decompress(compressed))
    response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
