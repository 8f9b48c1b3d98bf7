"""Post-processing of the generated OpenAPI schema (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``)."""


def _blank_or_uri(node):
    """drf-spectacular describes a blank URL field as ``oneOf: [maxLength 0, uri]``, which ``""``
    matches twice (and so fails ``oneOf``): say ``anyOf``."""
    if isinstance(node, dict):
        branches = node.get("oneOf")
        if isinstance(branches, list) and any(branch.get("maxLength") == 0 for branch in branches):
            node["anyOf"] = node.pop("oneOf")
        for value in node.values():
            _blank_or_uri(value)
    elif isinstance(node, list):
        for value in node:
            _blank_or_uri(value)


def fix_blank_urls(result, generator, request, public):
    _blank_or_uri(result)
    return result
