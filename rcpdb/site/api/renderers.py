"""JSON that says its charset, as every JSON answer of the site does (rcpdb/core/exports.py)."""

from rest_framework import renderers


class JSONRenderer(renderers.JSONRenderer):
    charset = "utf-8"
    ensure_ascii = False
