"""A test hook to stop a run at a known point, so a crash test's ``kill -9`` lands there.

When ``NKWATCH_TEST_PAUSE_AT`` names a pause point, the process writes its pid to the file
named by ``NKWATCH_TEST_PAUSE_MARKER`` and sleeps; unset (always, outside tests) it does nothing.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PAUSE_AT_ENV = "NKWATCH_TEST_PAUSE_AT"
PAUSE_MARKER_ENV = "NKWATCH_TEST_PAUSE_MARKER"


def pause_point(name: str) -> None:
    """Sleep here (for a test to kill the process) when the environment asks for this point."""
    if os.environ.get(PAUSE_AT_ENV) != name:
        return
    Path(os.environ[PAUSE_MARKER_ENV]).write_text(str(os.getpid()))
    time.sleep(3600)
