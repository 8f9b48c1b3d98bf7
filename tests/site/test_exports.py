"""CSV and JSON downloads: UTF-8 with a BOM, formulas escaped, JSON with dates and accents."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy

from rcpdb.core.exports import csv_response, escape_csv_cell, json_response


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+33 1 23", "'+33 1 23"),
        ("-1+1", "'-1+1"),
        ("@cmd", "'@cmd"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("Türkiye", "Türkiye"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (-5, -5),
        (2.5, 2.5),
        (True, "true"),
    ],
)
def test_escape_csv_cell_neutralises_formulas_only(value, expected):
    assert escape_csv_cell(value) == expected


def test_csv_response_is_utf8_with_bom_and_parses_back():
    rows = [["Conferencia Suramericana sobre Migraciones", "Türkiye", 3], ['=HYPERLINK("x")', "a,b", None]]

    response = csv_response(rows, header=["Name", "State", "Count"], filename="rcpdb-test.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rcpdb-test.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(response.content.decode("utf-8").removeprefix("\ufeff"))))
    assert parsed == [
        ["Name", "State", "Count"],
        ["Conferencia Suramericana sobre Migraciones", "Türkiye", "3"],
        ['\'=HYPERLINK("x")', "a,b", ""],
    ]


def test_json_response_keeps_accents_dates_decimals_and_lazy_text():
    data = {
        "name": "Türkiye",
        "as_of": datetime.date(2015, 3, 1),
        "amount": Decimal("12.50"),
        "label": gettext_lazy("Member"),
    }

    response = json_response(data, filename="rcpdb.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rcpdb.json"'
    assert "Türkiye" in response.content.decode("utf-8")
    assert json.loads(response.content) == {
        "name": "Türkiye",
        "as_of": "2015-03-01",
        "amount": "12.50",
        "label": "Member",
    }


def test_json_response_without_filename_is_no_download_and_keeps_status():
    response = json_response({"error": "Bad filter."}, status=400)

    assert response.status_code == 400
    assert not response.has_header("Content-Disposition")
