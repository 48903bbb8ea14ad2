"""Shared test helpers: the demo advisor, applications to post, error-shape checks, free ports."""

import random
import socket

import pytest

from app.api.openapi import EXAMPLE_APPLICATION

# The advisor account of the template database (tests/conftest.py).
ADVISOR, PASSWORD = "advisor", "correct horse battery"

# A plausible full-ish application (values inside every rule of app/services/validation.py):
# the OpenAPI document's own example, which integrators and the API console send too.
GOOD_APPLICATION = {k: v for k, v in EXAMPLE_APPLICATION.items() if k != "SK_ID_CURR"}


def assert_error(response, status: int, code: str, field: str | None = None) -> dict:
    """The response is the API's JSON error shape with this status, code (and field)."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if field is not None:
        assert body["error"]["details"]["field"] == field
        assert field in body["error"]["message"]
    return body["error"]


# Below Linux's ephemeral range (32768-60999): the kernel never hands these ports out for
# port-0 binds or outgoing connections, so one picked here stays free until the server under
# test binds it, even while other test runs on the machine start servers and clients.
FIXED_PORTS = range(20000, 32768)


def free_port() -> int:
    """A TCP port nobody listens on, outside the ephemeral range (picked at random, not seeded:
    parallel workers and other runs on the machine pick different ones)."""
    for port in random.SystemRandom().sample(FIXED_PORTS, 50):
        with socket.socket() as sock:
            try:
                sock.bind(("", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free TCP port in {FIXED_PORTS}")


def generate_applications(out_dir, n_clients: int, seed: int) -> None:
    """`training.synthetic.generate` with the six history tables left empty, for tests that read
    only the application files: those come out byte for byte the same (each block draws its
    applications first, from its own random stream; tests/training/test_synthetic.py checks
    it), about ten times faster."""
    import pandas as pd

    import training.synthetic as synthetic

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(synthetic, "make_bureau", lambda *_: (pd.DataFrame(),) * 2)
        patch.setattr(synthetic, "make_previous", lambda *_: (pd.DataFrame(),) * 4)
        synthetic.generate(out_dir, n_clients, seed)
