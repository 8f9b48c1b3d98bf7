"""Settings of the test suite (pyproject.toml): the site's own settings in development mode.

The site runs in production mode unless ``DEBUG=true`` is set (rcpdb/settings.py); the tests were written
for development mode (local host names, a development key, plain static files), so this sets
``DEBUG=true`` before reading the settings unless the environment already says otherwise. The variable
stays set for the commands the tests start (they inherit the environment); tests of production mode set
``DEBUG=false`` and the rest themselves (tests/site/test_settings.py).
"""

import os

os.environ.setdefault("DEBUG", "true")

from rcpdb.settings import *  # noqa: E402, F403
