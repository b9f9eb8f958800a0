"""The WSGI entry point loads the whole app before the first request and freezes what start-up made out
of the garbage collector's full collections (their pauses fell on the slowest requests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, sys
import threadline.wsgi
assert "threadline.care.views" in sys.modules, "the views were not loaded at start-up"
print(gc.get_freeze_count())
"""


def test_the_wsgi_app_loads_its_views_and_freezes_them() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "threadline.settings.test"}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.strip()) > 100_000
