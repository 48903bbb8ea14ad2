"""Monitoring data: synthetic files with the generator's documented drift, the real sample.

The app, the advisor and the API key are the suite's own (tests/conftest.py).
"""

import pytest

from tests.helpers import generate_applications
from tests.real_sample import REAL_SAMPLE

SYNTHETIC_CLIENTS = 15_000  # ~2,400 application_test rows: enough to keep sampling noise low
SYNTHETIC_SEED = 11


@pytest.fixture(scope="session")
def drift_data_dir(tmp_path_factory):
    """The synthetic application files; application_test is shifted in SHIFTED_COLUMNS only.

    The drift tests read no history table, so none is generated (the slow part of the data).
    """
    out = tmp_path_factory.mktemp("drift-data")
    generate_applications(out, SYNTHETIC_CLIENTS, SYNTHETIC_SEED)
    return out


@pytest.fixture(scope="session")
def synthetic_applications(drift_data_dir):
    """(application_train, application_test) as the loader reads them."""
    from training.dataset import load_applications

    return (
        load_applications(drift_data_dir / "application_train.csv"),
        load_applications(drift_data_dir / "application_test.csv"),
    )


@pytest.fixture(scope="session")
def real_sample():
    """(application_train, application_test) of the real sample; skipped only if it is absent."""
    if not REAL_SAMPLE.is_dir():
        pytest.skip(f"real sample not found at {REAL_SAMPLE}")
    from training.dataset import load_applications

    return (
        load_applications(REAL_SAMPLE / "application_train.csv"),
        load_applications(REAL_SAMPLE / "application_test.csv"),
    )
