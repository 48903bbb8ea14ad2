"""The JSON API for external systems, mounted at /api.

What other packages may use: `openapi_document()` (the published contract, which the console
reads) and `CONSOLE_CALL`.
"""

from app.api.openapi import openapi_document

# The API console (app/console) sends its calls through the WSGI app with this key set in the
# request's environ. A client cannot set it: HTTP headers arrive in the environ as HTTP_*.
# Such calls are logged with their own source, "console" (app/services/prediction_log.py).
CONSOLE_CALL = "pad.api_console"

__all__ = ["CONSOLE_CALL", "openapi_document"]
