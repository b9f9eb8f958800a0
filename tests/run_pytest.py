"""Run pytest and treat "no tests collected" as a failure: a suite that ran nothing proved nothing."""

from __future__ import annotations

import sys

import pytest

if __name__ == "__main__":
    code = pytest.main(["-q", *sys.argv[1:]])
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        print("no tests were collected: failing on purpose")
        sys.exit(1)
    sys.exit(int(code))
