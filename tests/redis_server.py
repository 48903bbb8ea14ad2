"""A real Redis server for the tests that need one, started on a free port (as PostgreSQL is).

Debian's redis-server is installed by .ci/install-system-deps; the server runs without
persistence in a temporary folder and is stopped when the context ends.
"""

import contextlib
import os
import shutil
import subprocess
import tempfile
import time

import pytest

from tests.helpers import free_port


@contextlib.contextmanager
def redis_server():
    """Yields the redis:// URL of a fresh server."""
    import redis

    binary = shutil.which("redis-server")
    if binary is None:
        reason = "redis-server not found (run .ci/install-system-deps)"
        pytest.fail(reason) if os.environ.get("CI") else pytest.skip(reason)
    folder = tempfile.mkdtemp(prefix="credit-redis-")
    port = free_port()
    options = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    server = subprocess.Popen(
        [binary, *options, "--dir", folder],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        probe = redis.Redis(host="127.0.0.1", port=port)
        deadline = time.monotonic() + 20
        while True:
            try:
                probe.ping()
                break
            except redis.ConnectionError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on port {port}") from None
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
