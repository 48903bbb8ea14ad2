"""Shared test helpers: the demo advisor, applications to post, error-shape checks, free ports."""

import random
import socket

import pytest

# The advisor account of the template database (tests/conftest.py).
ADVISOR, PASSWORD = "advisor", "correct horse battery"

# A plausible full-ish application (values inside every rule of app/services/validation.py).
GOOD_APPLICATION = {
    "NAME_CONTRACT_TYPE": "Cash loans",
    "CODE_GENDER": "F",
    "FLAG_OWN_CAR": "N",
    "FLAG_OWN_REALTY": "Y",
    "CNT_CHILDREN": 1,
    "AMT_INCOME_TOTAL": 135000.0,
    "AMT_CREDIT": 568800.0,
    "AMT_ANNUITY": 20560.5,
    "AMT_GOODS_PRICE": 450000.0,
    "NAME_INCOME_TYPE": "Working",
    "NAME_EDUCATION_TYPE": "Higher education",
    "NAME_FAMILY_STATUS": "Married",
    "NAME_HOUSING_TYPE": "House / apartment",
    "DAYS_BIRTH": -19241,
    "DAYS_EMPLOYED": -2329,
    "DAYS_REGISTRATION": -5170.0,
    "DAYS_ID_PUBLISH": -812,
    "OCCUPATION_TYPE": "Core staff",
    "CNT_FAM_MEMBERS": 3.0,
    "REGION_RATING_CLIENT": 2,
    "EXT_SOURCE_1": 0.75,
    "EXT_SOURCE_2": 0.79,
    "EXT_SOURCE_3": 0.16,
    "FLAG_DOCUMENT_3": 1,
}


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
