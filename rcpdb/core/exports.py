"""Downloads of public data: CSV that spreadsheets open safely, and JSON.

CSV is UTF-8 with a byte-order mark, so spreadsheet programs show accents ("Türkiye") correctly,
and every text cell that a spreadsheet would read as a formula (starting with = + - @, a tab or a
carriage return) is prefixed with a single quote (OWASP "CSV injection").
"""

import csv
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
JSON_CONTENT_TYPE = "application/json; charset=utf-8"


def escape_csv_cell(value):
    """``value`` as a CSV cell: text that could run as a formula gets a leading single quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value  # numbers are data, not formulas, even when negative
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _attachment(filename):
    # Filenames are chosen by the views (ASCII slugs); quotes are removed to keep the header valid.
    return 'attachment; filename="{}"'.format(filename.replace('"', ""))


def csv_response(rows, *, filename, header=None):
    """A CSV download of ``rows`` (an iterable of sequences), with an optional header row."""
    response = HttpResponse(content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = _attachment(filename)
    response.write(BOM)
    writer = csv.writer(response)
    if header is not None:
        writer.writerow([escape_csv_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([escape_csv_cell(cell) for cell in row])
    return response


def json_response(data, *, filename=None, status=200):
    """``data`` as JSON (dates, decimals and lazy strings included); a download when ``filename``."""
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type=JSON_CONTENT_TYPE,
        status=status,
    )
    if filename:
        response["Content-Disposition"] = _attachment(filename)
    return response
