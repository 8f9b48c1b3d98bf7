"""Issue 21, item 10: a search uses at most MAX_SEARCH_TERMS words, says so, and costs no more than that."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rcpdb.core import search
from tests import factories as f

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")


def run_search(client, query):
    with CaptureQueriesContext(connection) as context:
        response = client.get(SEARCH, {"q": query})
    sql = [entry["sql"] for entry in context.captured_queries]
    return response, len(sql), sum(statement.upper().count(" LIKE ") for statement in sql)


def test_a_search_of_250_terms_uses_the_first_12_and_says_so(client):
    f.ThemeFactory(name="Labour migration", slug="labour-migration")
    f.ThemeFactory(name="Labour rights", slug="labour-rights")
    words = ["labour", "migration", *[f"w{number}" for number in range(248)]]
    long_query = " ".join(words)
    long_query = long_query[: search.MAX_QUERY_LENGTH].rsplit(" ", 1)[0]
    used = long_query.split()[:12]

    long, long_queries, long_likes = run_search(client, long_query)
    short, short_queries, short_likes = run_search(client, " ".join(used))

    html = long.content.decode()
    assert long.status_code == 200
    assert long.context["query"] == " ".join(used)
    left_out = len(long_query.split()) - 12
    assert left_out > 100
    assert f"Only the first 12 words were searched for: {left_out} more words were left out." in html
    assert "were left out" not in short.content.decode()
    # The long search runs exactly the short one's SQL.
    assert (long_queries, long_likes) == (short_queries, short_likes)


def test_a_search_of_13_words_leaves_one_out():
    assert search.limit_terms(" ".join(f"w{n}" for n in range(13))) == (
        " ".join(f"w{n}" for n in range(12)),
        1,
    )
    assert search.limit_terms('"border management" -trafficking labour') == (
        '"border management" -trafficking labour',
        0,
    )


def test_parse_terms_never_returns_more_than_the_cap():
    wanted, unwanted = search.parse_terms(" ".join(f"w{n}" for n in range(10)) + " -x -y -z -q")

    assert wanted == [f"w{n}" for n in range(10)]
    assert unwanted == ["x", "y"]


def test_the_notice_speaks_french(client):
    response = client.get("/fr/search/", {"q": " ".join(f"w{n}" for n in range(13))})

    assert "Seuls les 12 premiers mots ont été recherchés : 1 mot de plus a été laissé de côté." in (
        response.content.decode()
    )
