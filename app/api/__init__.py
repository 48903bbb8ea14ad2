"""The JSON API for external systems, mounted at /api."""
