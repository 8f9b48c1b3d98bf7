"""Context the site layer gives every template.

``page_parts`` names the site's parts that the data apps' pages include where the site provides them:
the "Suggest a correction" link of a profile section, the "Cite this page" box and the linked data
(schema.org JSON-LD) of a record. The data apps' templates include them as ``{% if page_parts.cite %}
{% include page_parts.cite %}{% endif %}``, so they name nothing of the site layer and render without
it (tests/processes_alone).
"""

PAGE_PARTS = {
    "correction": "site/_correction.html",
    "cite": "site/_cite.html",
    "linked_data": "site/_linked_data.html",
}


def page_parts(request):
    return {"page_parts": PAGE_PARTS}
