"""Who edits what: central editors (everything) and process editors (the processes naming them).

Plain user logic, no admin: the admin's scoping (processes/admin_scoping.py), the import/export scoping
and the services creating the editor groups (rcpdb/site/demo.py) all ask here.
"""

CENTRAL_EDITORS_GROUP = "Central editors"


def is_central_editor(user):
    """Superusers and members of the "Central editors" group: no per-process restriction."""
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_rcpdb_is_central", None)
    if cached is None:
        cached = user.groups.filter(name=CENTRAL_EDITORS_GROUP).exists()
        user._rcpdb_is_central = cached
    return cached


def editable_process_ids(user):
    """Primary keys of the processes ``user`` edits (cached on the user for the request)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_rcpdb_process_ids", None)
    if cached is None:
        cached = frozenset(user.edited_processes.values_list("pk", flat=True))
        user._rcpdb_process_ids = cached
    return cached
