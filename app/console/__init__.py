"""The API console (/api/console): a page to try every /api operation from the browser.

operations.py reads the operations and their examples from the OpenAPI document; calls.py sends
a call through the app exactly as a client's request; routes.py is the page.
"""
