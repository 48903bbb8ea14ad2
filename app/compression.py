"""gzip for the pages and their stylesheet: a client page with its charts drawn as SVG is
~150 KB of very repetitive markup and ~25 KB gzipped. Heroku's router does not compress.

Only text a browser reads (HTML, CSS, SVG, JavaScript) from a 200 answer, when the client says
it accepts gzip; the JSON API is left as it is (its clients and tests read plain bodies), and an
answer that is already encoded (the monitoring report) is never touched.
"""

import gzip

from flask import Flask, Response, request

COMPRESSED_TYPES = {"text/html", "text/css", "image/svg+xml", "text/javascript"}
MIN_SIZE = 1024  # smaller bodies gain less than the header costs
LEVEL = 6  # zlib's default: ~3 ms for a client page, within a few % of level 9


def _wants_gzip(response: Response) -> bool:
    return (
        response.status_code == 200
        and response.mimetype in COMPRESSED_TYPES
        and "Content-Encoding" not in response.headers
        and "gzip" in request.headers.get("Accept-Encoding", "")
        and not request.path.startswith("/api/")
    )


def compress(response: Response) -> Response:
    """The response gzipped (weak ETag: same content, other bytes) when it should be."""
    if not _wants_gzip(response):
        return response
    response.direct_passthrough = False  # static files are streamed by default
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    response.set_data(gzip.compress(body, compresslevel=LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    etag, _ = response.get_etag()
    if etag:
        response.set_etag(etag, weak=True)
    return response


def init_compression(app: Flask) -> None:
    app.after_request(compress)
