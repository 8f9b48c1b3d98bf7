"""The WSGI application (``rcpdb.wsgi:application``), as gunicorn serves it.

Once Django, the apps and the URLconf are loaded, the objects they made are moved out of the garbage
collector's reach (``gc.freeze()``): they live as long as the worker, and a full collection no longer
walks them. At 100× data a full collection then takes ~15 ms instead of ~85 ms, and a request that
triggers one no longer waits for the whole framework to be scanned (measured in the session notes of
issue 20). Objects made later (per-version caches, requests) are collected as before.

See https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rcpdb.settings")

application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - imports every view before the freeze
gc.freeze()
