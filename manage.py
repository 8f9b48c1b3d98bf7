#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    """Run administrative tasks.

    The site (gunicorn through rcpdb/wsgi.py) runs in production mode unless DEBUG=true is set. A command
    run here in a checkout that sets neither DEBUG nor SECRET_KEY is a developer's (a deployment always
    sets its own key), so it runs in development mode; with a SECRET_KEY set, DEBUG stays off unless set.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rcpdb.settings")
    if "DEBUG" not in os.environ and not os.environ.get("SECRET_KEY"):
        os.environ["DEBUG"] = "true"
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
