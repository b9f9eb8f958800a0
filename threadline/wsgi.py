from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "threadline.settings.local")
application = get_wsgi_application()

# Load every view module now, then move what start-up made (Django, the models, the URL patterns, the
# compiled schemas) out of the garbage collector's sight: it is never freed, and each full collection
# otherwise walks all of it while a request waits. In a lean process holding the app, a full collection
# took 78-172 ms before and 6-58 ms after (docs/performance.md, matcher session four).
get_resolver().url_patterns  # noqa: B018 (imports the URLconf and with it every view)
gc.collect()
gc.freeze()
