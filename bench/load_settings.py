"""Settings for the app server and worker that bench/load.py starts: `make run`'s settings (DEMO_MODE, demo
sign-ins without MFA, secrets under the scratch THREADLINE_VAR_DIR), with DEBUG off, a real huey queue,
the database behind pgbouncer in transaction mode, and the limits meant for one stranger raised, since
every simulated person comes from 127.0.0.1."""

from __future__ import annotations

from threadline.settings.base import pooled
from threadline.settings.local import *  # noqa: F403
from threadline.settings.local import DATABASES, huey_settings

DEBUG = False
HUEY = huey_settings(immediate=False)
# What DATABASE_POOLER=pgbouncer-transaction sets in production (threadline/settings/base.py): no
# server-side cursors, since pgbouncer in transaction mode hands each transaction another connection.
DATABASES = pooled(DATABASES, "pgbouncer-transaction")
# One address (loopback) for every simulated person: the per-address limits would refuse them.
ACCOUNT_RATE_LIMITS = {"login_failed": "60/m/ip,5/5m/key", "login": "100000/m/ip"}
INTAKE_REFER_PER_HOUR = 1_000_000
INTAKE_POW_MAX_NUMBER = 500  # the public form's proof of work, solved by the load client, kept cheap
INTAKE_SMS_BACKEND = "threadline.intake.notify.LocmemSMSBackend"
