"""Settings for the app server and worker that bench_crash.py starts and kills: the test settings (same
keys as the bench process, so it can open what they wrote), a real huey queue in the scratch folder,
and intake limits raised so a burst from one address is not refused as abuse."""

from __future__ import annotations

from threadline.settings.test import *  # noqa: F403
from threadline.settings.test import huey_settings

HUEY = huey_settings(immediate=False)
INTAKE_REFER_PER_HOUR = 1_000_000
INTAKE_POW_MAX_NUMBER = 500
INTAKE_SMS_BACKEND = "threadline.intake.notify.LocmemSMSBackend"
