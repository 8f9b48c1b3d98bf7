"""Helpers for responses in tests."""

from django.core.signals import request_finished
from django.db import close_old_connections


def close(response):
    """Close a (file) response as a server would, without closing the test's database connection.

    ``response.close()`` sends ``request_finished``, whose ``close_old_connections`` drops a
    connection inside a transaction (the test's) on PostgreSQL; Django's test client disconnects it
    around its own close, and so does this.
    """
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def body(response):
    """The whole body of a streaming (file) response, the response closed."""
    try:
        return b"".join(response.streaming_content)
    finally:
        close(response)
