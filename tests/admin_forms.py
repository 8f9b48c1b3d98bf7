"""Helpers for tests that post admin change forms built by hand."""

from processes.admin_concurrency import STATE_FIELD


def record_state(client, url):
    """``{hidden field: value}`` of the change page at ``url`` as it is now: what a browser that opened
    the page posts back, so the save is checked against the record as it was when opened."""
    form = client.get(url).context["adminform"].form
    return {STATE_FIELD: form[STATE_FIELD].value()}
