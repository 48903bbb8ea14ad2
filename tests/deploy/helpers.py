"""Shared by the deploy tests: the Procfile's commands, paths, a free port."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def procfile_command(process: str) -> str:
    """The command line of one Procfile process type, exactly as Heroku would run it."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(": ")
        if name == process:
            return command
    raise AssertionError(f"no {process!r} process in the Procfile")
