"""Where the small real Home Credit sample lives: ../shared beside the repository (never copied in).

HOMECREDIT_SAMPLE_DIR overrides it; tests that need it skip when the folder is absent.
"""

import os
from pathlib import Path

REAL_SAMPLE = Path(
    os.environ.get(
        "HOMECREDIT_SAMPLE_DIR",
        Path(__file__).resolve().parents[2] / "shared" / "data" / "homecredit-sample",
    )
)
