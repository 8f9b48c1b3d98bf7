"""Settings of the test suite (pyproject.toml): the site's own settings in development mode.

The site runs in production mode unless ``DEBUG=true`` is set (rcpdb/settings.py); the tests were written
for development mode (local host names, a development key, plain static files), so this sets
``DEBUG=true`` before reading the settings unless the environment already says otherwise. The variable
stays set for the commands the tests start (they inherit the environment); tests of production mode set
``DEBUG=false`` and the rest themselves (tests/site/test_settings.py).
"""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("DEBUG", "true")
# Without Redis, the content version is a file shared by every process using one folder: each test
# process (each xdist worker) gets a private one, so that one worker's saves do not retire another
# worker's cached filter options in the middle of a query count. Commands the tests start inherit it.
if not os.environ.get("CONTENT_VERSION_DIR"):
    os.environ["CONTENT_VERSION_DIR"] = tempfile.mkdtemp(prefix="rcpdb-test-content-version-")
    atexit.register(shutil.rmtree, os.environ["CONTENT_VERSION_DIR"], ignore_errors=True)

# Tests send many API requests from one address: throttling is tested with a rate of its own
# (tests/site/test_open_data.py), the rest of the suite is not throttled.
os.environ.setdefault("API_ANONYMOUS_RATE", "1000000/minute")
# The open data files (rcpdb/site/bulk.py) of the test run are built in a folder of its own.
if not os.environ.get("OPEN_DATA_DIR"):
    os.environ["OPEN_DATA_DIR"] = tempfile.mkdtemp(prefix="rcpdb-test-open-data-")
    atexit.register(shutil.rmtree, os.environ["OPEN_DATA_DIR"], ignore_errors=True)

# No background build of them after each test's writes (tests/site/test_open_data.py turns it on where
# it is what is tested); commands the tests start inherit it.
os.environ.setdefault("OPEN_DATA_BUILD_AFTER_CHANGE", "false")

from rcpdb.settings import *  # noqa: E402, F403
