import pytest


@pytest.fixture
def inline_formset_data():
    """POST data for one admin inline: its management form plus one dict of fields per row."""

    def build(prefix, rows, initial=0):
        data = {
            f"{prefix}-TOTAL_FORMS": str(len(rows)),
            f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
        for index, row in enumerate(rows):
            for field, value in row.items():
                data[f"{prefix}-{index}-{field}"] = value
        return data

    return build
