"""The advisor dashboard: server-rendered pages behind sign-in, and the HTML error pages."""
